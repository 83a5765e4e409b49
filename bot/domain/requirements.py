"""The facts about one use case (docs/design.md §3). Field names are a public contract."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.domain.text import echo_safe


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


# Strict types: `true` is not 1 and "5000" is not 5000 (the issue: a wrong type is an error),
# and no field takes infinity or NaN. Upper bounds catch typos and keep the cost maths finite.
Flag = Annotated[bool | None, Field(strict=True)]
Count = Annotated[int | None, Field(strict=True, ge=0)]
Number = Annotated[float | None, Field(strict=True, allow_inf_nan=False)]
Usd = Annotated[float | None, Field(strict=True, allow_inf_nan=False, ge=0)]

# Ordered from least to most volatile: the engine compares positions.
VOLATILITY_ORDER: tuple[Volatility, ...] = tuple(Volatility)


class Requirements(BaseModel):
    """Everything known about a use case; `None` means unknown."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    use_case: str | None = Field(default=None, max_length=500)
    task_type: TaskType | None = None
    needs_external_knowledge: Flag = None
    knowledge_volatility: Volatility | None = None
    citations_required: Flag = None
    kb_size_docs: Count = Field(default=None, le=10**10)
    kb_size_tokens: Count = Field(default=None, le=10**13)
    output_format_strictness: OutputStrictness | None = None
    style_consistency_need: Level | None = None
    domain_specialization: DomainSpecialization | None = None
    prompt_baseline_gap_pp: Number = Field(default=None, ge=-100, le=100)
    latency_target_ms: Count = Field(default=None, gt=0, le=3_600_000)
    deployment_target: DeploymentTarget | None = None
    requests_per_month: Count = Field(default=None, le=10**12)
    input_tokens_per_request: Count = Field(default=None, le=10**7)
    output_tokens_per_request: Count = Field(default=None, le=10**7)
    cost_per_request_usd: Usd = Field(default=None, le=1_000)
    finetuned_cost_per_request_usd: Usd = Field(default=None, le=1_000)
    finetune_fixed_cost_usd: Usd = Field(default=None, le=10**9)
    finetune_hosting_usd_per_month: Usd = Field(default=None, le=10**8)
    labelled_examples: Count = Field(default=None, le=10**10)
    team_ml_capability: MlCapability | None = None
    budget_monthly_usd: Usd = Field(default=None, le=10**10)
    data_privacy: DataPrivacy | None = None
    maintenance_capacity: MaintenanceCapacity | None = None
    eval_set_exists: Flag = None
    project_stage: ProjectStage | None = None

    @field_validator("use_case")
    @classmethod
    def _printable_use_case(cls, value: str | None) -> str | None:
        # The summary is shown in terminals and Slack: control and bidi characters go.
        if value is None:
            return None
        cleaned = " ".join(echo_safe(value).split())  # one line, as it is shown
        return cleaned or None

    @model_validator(mode="after")
    def _consistent(self) -> Requirements:
        if (
            self.data_privacy is DataPrivacy.AIR_GAPPED
            and self.deployment_target is DeploymentTarget.CLOUD_API
        ):
            raise ValueError(
                "deployment_target cloud_api contradicts data_privacy air_gapped: "
                "an air-gapped system cannot call a cloud API; choose on_prem, "
                "private_cloud or edge_device, or a different data_privacy"
            )
        return self

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
