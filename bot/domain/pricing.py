"""Dated list prices used for cost estimates when a team gives no costs of its own.

The figures live in `bot/data/pricing.json` so they can be refreshed without
touching the engine; stated facts always override them.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelPrice(_Frozen):
    name: str
    input_usd_per_mtok: float = Field(ge=0)
    output_usd_per_mtok: float = Field(ge=0)
    # Price of a cached prompt read relative to a fresh input token.
    cache_read_multiplier: float = Field(ge=0, le=1)


class TrainingPrice(_Frozen):
    usd_per_mtok_trained: float = Field(ge=0)
    epochs: int = Field(ge=1)
    # A typical curated training run; the estimate does not grow with the examples on offer.
    examples_per_run: int = Field(ge=1)
    tokens_per_example: int = Field(ge=1)
    # Data curation, evals and training runs: the part of the fixed cost that dominates.
    people_usd: float = Field(ge=0)


class HostingPrice(_Frozen):
    cloud_api: float = Field(ge=0)
    private_cloud: float = Field(ge=0)
    on_prem: float = Field(ge=0)
    edge_device: float = Field(ge=0)


class RagPrice(_Frozen):
    setup_usd: float = Field(ge=0)
    store_usd_per_month: float = Field(ge=0)
    store_usd_per_mtok_month: float = Field(ge=0)
    retrieved_tokens_per_request: int = Field(ge=0)
    query_usd: float = Field(ge=0)


class Pricing(_Frozen):
    as_of: str
    currency: str
    sources: list[str]
    notes: str
    baseline_model: ModelPrice
    tuned_model: ModelPrice  # base prices of the small model a team would tune
    tuned_token_multiplier: float = Field(ge=1)  # tuned tokens cost more than base ones
    training: TrainingPrice
    hosting_usd_per_month: HostingPrice
    rag: RagPrice


@lru_cache(maxsize=1)
def load_pricing() -> Pricing:
    """The packaged price list (read once per process)."""
    text = resources.files("bot").joinpath("data", "pricing.json").read_text(encoding="utf-8")
    return Pricing.model_validate(json.loads(text))
