"""Cost maths: per-request, upfront and monthly USD per approach; break-even and payback.

Estimates come from the dated price list; a stated per-request cost replaces the
estimate for its approach and rescales the related approaches by the same factor,
so a team's real price level carries through the comparison.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from bot.domain.facts import Facts
from bot.domain.knowledge import FAMILY, KnowledgeRoute
from bot.domain.pricing import ModelPrice, Pricing
from bot.domain.recommendation import Approach, ApproachCost
from bot.domain.thresholds import CACHED_PROMPT_MAX_TOKENS

TUNED_APPROACHES = frozenset(
    {Approach.FINE_TUNING, Approach.RAG_FINE_TUNING, Approach.PROMPTING_FINE_TUNING}
)
_IN_PROMPT_APPROACHES = frozenset({Approach.PROMPTING, Approach.PROMPTING_FINE_TUNING})
_RETRIEVAL_APPROACHES = frozenset({Approach.RAG, Approach.RAG_FINE_TUNING})
_USD_PER_TOKEN = 1 / 1_000_000
_APPROACHES = tuple(Approach)
# Below a billionth of a dollar per request a "saving" is float noise, not money.
MIN_SAVING_USD_PER_REQUEST = 1e-9
# Beyond any real workload; a volume past this means "never pays back" in practice.
MAX_REQUESTS_PER_MONTH = 10**12


def _estimate_usd(facts: Facts, pricing: Pricing, approach: Approach) -> float:
    tuned = approach in TUNED_APPROACHES
    model: ModelPrice = pricing.tuned_model if tuned else pricing.baseline_model
    multiplier = pricing.tuned_token_multiplier if tuned else 1.0
    input_usd = model.input_usd_per_mtok * multiplier * _USD_PER_TOKEN
    output_usd = model.output_usd_per_mtok * multiplier * _USD_PER_TOKEN
    input_tokens = facts["input_tokens_per_request"]
    usd: float = facts["output_tokens_per_request"] * output_usd
    if facts["needs_external_knowledge"]:
        # A prompt holds at most the cached-prompt line; reads cost a fraction of input.
        kb_tokens = min(facts["kb_size_tokens"], CACHED_PROMPT_MAX_TOKENS)
        if input_tokens >= kb_tokens:
            # A stated prompt at least as large as the knowledge base already carries it
            # (dev-45: 185k input tokens around a 180k-token manual set): the question part
            # is the rest, and only an in-prompt approach keeps reading the knowledge.
            input_tokens -= kb_tokens
        if approach in _IN_PROMPT_APPROACHES:
            usd += kb_tokens * input_usd * model.cache_read_multiplier
        elif approach in _RETRIEVAL_APPROACHES:
            usd += pricing.rag.retrieved_tokens_per_request * input_usd + pricing.rag.query_usd
    return usd + input_tokens * input_usd


def per_request_usd(
    facts: Facts,
    pricing: Pricing,
    route: KnowledgeRoute,
    only: Iterable[Approach] = _APPROACHES,
) -> dict[Approach, float]:
    """Per-request USD of every approach (or `only` these); stated costs apply to the route's
    own pair, and rescale the others by the same factor."""
    base, tuned = FAMILY[route]
    estimates = {
        approach: _estimate_usd(facts, pricing, approach) for approach in {*only, base, tuned}
    }
    stated_base = facts["cost_per_request_usd"]
    stated_tuned = facts["finetuned_cost_per_request_usd"]
    base_scale = _scale(stated_base, estimates[base])
    tuned_scale = _scale(stated_tuned, estimates[tuned]) if stated_tuned is not None else base_scale
    costs: dict[Approach, float] = {}
    for approach in only:
        estimate = estimates[approach]
        scale = tuned_scale if approach in TUNED_APPROACHES else base_scale
        costs[approach] = estimate * scale if scale is not None else estimate
    if stated_base is not None and base in costs:
        costs[base] = stated_base
    if stated_tuned is not None and tuned in costs:
        costs[tuned] = stated_tuned
    return costs


def _scale(stated: float | None, estimate: float) -> float | None:
    if stated is None or estimate <= 0:
        return None
    return stated / estimate


def pair_usd(facts: Facts, pricing: Pricing, route: KnowledgeRoute) -> tuple[float, float]:
    """Per-request USD of the route's approach without and with fine-tuning.

    The same numbers as `per_request_usd` gives for the pair, computed alone because the
    rules ask for them on every probe."""
    base, tuned = FAMILY[route]
    stated_base = facts["cost_per_request_usd"]
    stated_tuned = facts["finetuned_cost_per_request_usd"]
    if stated_tuned is not None:
        tuned_usd = stated_tuned
    else:
        tuned_usd = _estimate_usd(facts, pricing, tuned)
        if stated_base is not None:
            scale = _scale(stated_base, _estimate_usd(facts, pricing, base))
            tuned_usd = tuned_usd * scale if scale is not None else tuned_usd
    if stated_base is not None:
        return stated_base, tuned_usd
    return _estimate_usd(facts, pricing, base), tuned_usd


def break_even_requests(
    *, fixed_usd: float, base_usd_per_request: float, tuned_usd_per_request: float
) -> int | None:
    """The source article's `fixed / (prompting - finetuned)`, truncated; None if it never pays."""
    saving = base_usd_per_request - tuned_usd_per_request
    if saving < MIN_SAVING_USD_PER_REQUEST:
        return None
    # Rounded first so that 500 / 0.015 is 33,333 however the subtraction rounds.
    return math.floor(round(fixed_usd / saving, 6))


def payback_months(
    *,
    fixed_usd: float,
    requests_per_month: int,
    base_usd_per_request: float,
    tuned_usd_per_request: float,
    hosting_usd_per_month: float,
) -> float | None:
    """`fixed / (volume x saving - hosting)`; None when the monthly saving is never positive."""
    monthly_saving = (
        requests_per_month * (base_usd_per_request - tuned_usd_per_request) - hosting_usd_per_month
    )
    if monthly_saving <= 0:
        return None
    months = fixed_usd / monthly_saving
    return months if math.isfinite(months) else None


def requests_for_payback(
    *,
    months: float,
    fixed_usd: float,
    base_usd_per_request: float,
    tuned_usd_per_request: float,
    hosting_usd_per_month: float,
) -> int | None:
    """The smallest monthly volume that pays back within `months`; None if none does."""
    saving = base_usd_per_request - tuned_usd_per_request
    if saving <= 0:
        return None
    volume = (fixed_usd / months + hosting_usd_per_month) / saving
    if not math.isfinite(volume) or volume > MAX_REQUESTS_PER_MONTH:
        return None

    def pays(requests: int) -> bool:
        result = payback_months(
            fixed_usd=fixed_usd,
            requests_per_month=requests,
            base_usd_per_request=base_usd_per_request,
            tuned_usd_per_request=tuned_usd_per_request,
            hosting_usd_per_month=hosting_usd_per_month,
        )
        return result is not None and result <= months

    candidate = max(0, math.ceil(volume))
    # Float rounding can put the exact boundary a request either side of the formula's.
    for _ in range(3):
        if candidate > 0 and pays(candidate - 1):
            candidate -= 1
        elif not pays(candidate):
            candidate += 1
        else:
            return candidate
    return candidate if pays(candidate) else None


def _rag_store_usd_per_month(facts: Facts, pricing: Pricing) -> float:
    kb_tokens = facts["kb_size_tokens"] if facts["needs_external_knowledge"] else 0
    return pricing.rag.store_usd_per_month + kb_tokens / 1e6 * pricing.rag.store_usd_per_mtok_month


def _monthly(approach: Approach, per_request: float, facts: Facts, rag_store_usd: float) -> float:
    usd = per_request * facts["requests_per_month"]
    if approach in TUNED_APPROACHES:
        usd += facts["finetune_hosting_usd_per_month"]
    if approach in _RETRIEVAL_APPROACHES:
        usd += rag_store_usd
    return usd


def monthly_usd(
    facts: Facts,
    pricing: Pricing,
    route: KnowledgeRoute,
    only: Iterable[Approach] = _APPROACHES,
) -> dict[Approach, float]:
    """Each approach's monthly USD, as the costs table shows it (checked against a budget)."""
    store = _rag_store_usd_per_month(facts, pricing)
    return {
        approach: round(_monthly(approach, usd, facts, store), 2)
        for approach, usd in per_request_usd(facts, pricing, route, only).items()
    }


def approach_costs(
    facts: Facts, pricing: Pricing, route: KnowledgeRoute
) -> dict[str, ApproachCost]:
    """Upfront, monthly and per-request USD for every approach, with the inputs used."""
    per_request = per_request_usd(facts, pricing, route)
    volume = facts["requests_per_month"]
    fixed = facts["finetune_fixed_cost_usd"]
    hosting = facts["finetune_hosting_usd_per_month"]
    kb_tokens = facts["kb_size_tokens"] if facts["needs_external_knowledge"] else 0
    rag_store = _rag_store_usd_per_month(facts, pricing)
    shared: dict[str, str | int | float | bool | None] = {
        "requests_per_month": volume,
        "input_tokens_per_request": facts["input_tokens_per_request"],
        "output_tokens_per_request": facts["output_tokens_per_request"],
        "price_list_as_of": pricing.as_of,
    }
    result: dict[str, ApproachCost] = {}
    for approach in _APPROACHES:
        tuned = approach in TUNED_APPROACHES
        retrieval = approach in _RETRIEVAL_APPROACHES
        upfront = (fixed if tuned else 0.0) + (pricing.rag.setup_usd if retrieval else 0.0)
        monthly = _monthly(approach, per_request[approach], facts, rag_store)
        inputs = dict(shared)
        inputs["model"] = (pricing.tuned_model if tuned else pricing.baseline_model).name
        if tuned:
            inputs["finetune_fixed_cost_usd"] = round(fixed, 2)
            inputs["finetune_hosting_usd_per_month"] = round(hosting, 2)
        if retrieval:
            inputs["rag_setup_usd"] = pricing.rag.setup_usd
            inputs["rag_store_usd_per_month"] = round(rag_store, 2)
            inputs["retrieved_tokens_per_request"] = pricing.rag.retrieved_tokens_per_request
        elif approach in _IN_PROMPT_APPROACHES and facts["needs_external_knowledge"]:
            inputs["cached_kb_tokens"] = min(kb_tokens, CACHED_PROMPT_MAX_TOKENS)
        inputs["stated"] = _stated_for(facts, approach, route)
        result[approach.value] = ApproachCost(
            upfront_usd=round(upfront, 2),
            monthly_usd=round(monthly, 2),
            per_request_usd=round(per_request[approach], 6),
            inputs=dict(sorted(inputs.items())),
        )
    return result


def _stated_for(facts: Facts, approach: Approach, route: KnowledgeRoute) -> bool:
    base, tuned = FAMILY[route]
    if approach == base:
        return facts["cost_per_request_usd"] is not None
    if approach == tuned:
        return facts["finetuned_cost_per_request_usd"] is not None
    return False
