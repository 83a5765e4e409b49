"""The facts about one use case (DESIGN.md §3). Field names are a public contract."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class TaskType(StrEnum):
    SUMMARIZATION = "summarization"
    CLASSIFICATION = "classification"
    EXTRACTION = "extraction"
    TRANSLATION = "translation"
    CODE_EXPLANATION = "code_explanation"
    QA_OVER_DOCS = "qa_over_docs"
    GENERATION = "generation"
    SEMANTIC_PARSING = "semantic_parsing"
    DIALOGUE = "dialogue"
    MODERATION = "moderation"
    OTHER = "other"


class Volatility(StrEnum):
    STATIC = "static"
    YEARLY = "yearly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    WEEKLY = "weekly"
    DAILY = "daily"
    REALTIME = "realtime"


class OutputStrictness(StrEnum):
    FREE = "free"
    COMMON_SCHEMA = "common_schema"
    STRICT_CUSTOM = "strict_custom"


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class DomainSpecialization(StrEnum):
    GENERAL = "general"
    SPECIALIZED_PUBLIC = "specialized_public"
    NICHE_PROPRIETARY = "niche_proprietary"


class DeploymentTarget(StrEnum):
    CLOUD_API = "cloud_api"
    PRIVATE_CLOUD = "private_cloud"
    ON_PREM = "on_prem"
    EDGE_DEVICE = "edge_device"


class MlCapability(StrEnum):
    NONE = "none"
    BASIC = "basic"
    STRONG = "strong"


class DataPrivacy(StrEnum):
    STANDARD = "standard"
    REGULATED = "regulated"
    AIR_GAPPED = "air_gapped"


class MaintenanceCapacity(StrEnum):
    NONE = "none"
    LIMITED = "limited"
    DEDICATED = "dedicated"


class ProjectStage(StrEnum):
    PROTOTYPE = "prototype"
    PILOT = "pilot"
    PRODUCTION = "production"


# Ordered from least to most volatile: the engine compares positions.
VOLATILITY_ORDER: tuple[Volatility, ...] = tuple(Volatility)


class Requirements(BaseModel):
    """Everything known about a use case; `None` means unknown."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    use_case: str | None = Field(default=None, max_length=500)
    task_type: TaskType | None = None
    needs_external_knowledge: bool | None = None
    knowledge_volatility: Volatility | None = None
    citations_required: bool | None = None
    kb_size_docs: int | None = Field(default=None, ge=0)
    kb_size_tokens: int | None = Field(default=None, ge=0)
    output_format_strictness: OutputStrictness | None = None
    style_consistency_need: Level | None = None
    domain_specialization: DomainSpecialization | None = None
    prompt_baseline_gap_pp: float | None = Field(default=None, ge=-100, le=100)
    latency_target_ms: int | None = Field(default=None, gt=0)
    deployment_target: DeploymentTarget | None = None
    requests_per_month: int | None = Field(default=None, ge=0)
    input_tokens_per_request: int | None = Field(default=None, ge=0)
    output_tokens_per_request: int | None = Field(default=None, ge=0)
    cost_per_request_usd: float | None = Field(default=None, ge=0)
    finetuned_cost_per_request_usd: float | None = Field(default=None, ge=0)
    finetune_fixed_cost_usd: float | None = Field(default=None, ge=0)
    finetune_hosting_usd_per_month: float | None = Field(default=None, ge=0)
    labelled_examples: int | None = Field(default=None, ge=0)
    team_ml_capability: MlCapability | None = None
    budget_monthly_usd: float | None = Field(default=None, ge=0)
    data_privacy: DataPrivacy | None = None
    maintenance_capacity: MaintenanceCapacity | None = None
    eval_set_exists: bool | None = None
    project_stage: ProjectStage | None = None

    def known(self) -> dict[str, Any]:
        """The facts that are set, as JSON-ready values."""
        return self.model_dump(mode="json", exclude_none=True)

    def unknown_fields(self) -> list[str]:
        """Names of the facts still unknown, in schema order."""
        return [name for name in FIELD_NAMES if getattr(self, name) is None]

    def merged(self, facts: dict[str, Any]) -> Requirements:
        """A copy with `facts` laid over this one (validated; `None` values clear a fact)."""
        return Requirements.model_validate({**self.known(), **facts})


FIELD_NAMES: tuple[str, ...] = tuple(Requirements.model_fields)
