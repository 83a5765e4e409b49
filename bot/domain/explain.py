"""Reasons for a decision, each naming the facts that drove it."""

from __future__ import annotations

from bot.domain.costs import TUNED_APPROACHES
from bot.domain.facts import Facts
from bot.domain.fields import FieldName, value_words
from bot.domain.knowledge import KnowledgeRoute
from bot.domain.readiness import blocked_text
from bot.domain.recommendation import Reason
from bot.domain.requirements import (
    DeploymentTarget,
    DomainSpecialization,
    Level,
    OutputStrictness,
    Volatility,
)
from bot.domain.rules import RuleResult, has_cost_basis, large_model_floor_ms
from bot.domain.thresholds import (
    BASE_MODEL_RETIREMENT_MONTHS,
    CACHED_PROMPT_MAX_TOKENS,
    LARGE_GAP_PP,
    PAYBACK_MAX_MONTHS,
    REALTIME_LATENCY_MS,
    RETRIEVAL_LATENCY_MS,
)


def knowledge_reason(facts: Facts, route: KnowledgeRoute) -> Reason:
    if route == KnowledgeRoute.NONE:
        return Reason(
            text="The request carries what the answer needs, so nothing has to be retrieved "
            "or placed in the prompt.",
            facts=["needs_external_knowledge"],
        )
    tokens = facts["kb_size_tokens"]
    volatility = facts["knowledge_volatility"]
    if route == KnowledgeRoute.IN_PROMPT:
        return Reason(
            text=f"The knowledge base (~{tokens:,} tokens, changing {volatility}) is under the "
            f"~{CACHED_PROMPT_MAX_TOKENS // 1000}k-token line, so it fits a cached prompt "
            "(Anthropic, Contextual Retrieval; cache reads cost ~0.1x input) and is "
            "re-injected when it changes, with no retrieval index to run.",
            facts=["kb_size_tokens", "knowledge_volatility", "needs_external_knowledge"],
        )
    if volatility == Volatility.REALTIME:
        return Reason(
            text="The knowledge changes in real time, so it must be fetched at query time "
            "(retrieval from a store or an API), not cached or trained in.",
            facts=["knowledge_volatility", "needs_external_knowledge"],
        )
    return Reason(
        text=f"~{tokens:,} tokens of knowledge is past the ~{CACHED_PROMPT_MAX_TOKENS // 1000}"
        "k tokens a cached prompt holds (Anthropic, Contextual Retrieval), so retrieve the "
        "relevant passages at query time (RAG is for facts).",
        facts=["kb_size_tokens", "needs_external_knowledge"],
    )


def _small_model_text(facts: Facts, route: KnowledgeRoute) -> str:
    latency = facts["latency_target_ms"]
    if facts["deployment_target"] == DeploymentTarget.EDGE_DEVICE:
        lead = "Running on an edge device needs a small model that fits the device"
    elif latency < REALTIME_LATENCY_MS:
        lead = f"A p95 target of {latency:,} ms (real-time) needs a small, fast model"
    elif latency < large_model_floor_ms(route):
        lead = (
            f"A p95 target of {latency:,} ms, less retrieval's own ~{RETRIEVAL_LATENCY_MS} ms, "
            "needs a small, fast model"
        )
    else:
        lead = f"On-prem hardware with a p95 target of {latency:,} ms needs a small model"
    return (
        f"{lead}, tuned to do the task well: output length dominates latency, and large "
        "prompted models rarely fit edge or on-prem budgets."
    )


def _assumed_cost_basis(facts: Facts) -> str:
    """Which part of a saving's basis nobody stated (rules.has_cost_basis wants both)."""
    if "requests_per_month" not in facts["stated"]:
        return "the monthly volume behind it was assumed, not stated"
    return "the per-request cost (or prompt size) behind it was assumed, not stated"


def _form_words(facts: Facts) -> dict[FieldName, str]:
    """The form facts that ask for tuning (rules.has_form_gap's), each in words."""
    found: dict[FieldName, str] = {}
    if facts["output_format_strictness"] == OutputStrictness.STRICT_CUSTOM:
        found["output_format_strictness"] = (
            value_words("output_format_strictness", OutputStrictness.STRICT_CUSTOM) + " output"
        )
    if facts["style_consistency_need"] == Level.HIGH:
        found["style_consistency_need"] = "a high need for a consistent voice"
    if facts["domain_specialization"] == DomainSpecialization.NICHE_PROPRIETARY:
        found["domain_specialization"] = (
            value_words("domain_specialization", DomainSpecialization.NICHE_PROPRIETARY) + " domain"
        )
    return found


def fine_tuning_reasons(facts: Facts, result: RuleResult, as_of: str) -> list[Reason]:
    reasons: list[Reason] = []
    gap = facts["prompt_baseline_gap_pp"]
    if result.form_gap:
        # Only the form facts that make the gap one tuning can close, not the others' defaults.
        form = _form_words(facts)
        reasons.append(
            Reason(
                text=f"The best prompt misses the target by {gap:g} pp on form ("
                + ", ".join(form.values())
                + "); fine-tuning teaches form, not facts (Huyen, AI Engineering, 2025).",
                facts=["prompt_baseline_gap_pp", *form],
            )
        )
    if result.small_model:
        reasons.append(
            Reason(
                text=_small_model_text(facts, result.route),
                facts=["latency_target_ms", "deployment_target"],
            )
        )
    if result.cost_win:
        prices = (
            "your stated per-request costs"
            if facts["cost_per_request_usd"] is not None
            else f"the {as_of} price list's prices, not yours (confirm them before relying on it)"
        )
        reasons.append(
            Reason(
                text=f"Distilling into a smaller tuned model saves "
                f"${result.base_usd_per_request - result.tuned_usd_per_request:.4f}"
                f" per request; at the stated {facts['requests_per_month']:,} requests a month "
                f"it pays back ${facts['finetune_fixed_cost_usd']:,.0f} in "
                f"{result.payback_months or 0:.1f} months (within {PAYBACK_MAX_MONTHS:g}), "
                f"at {prices}.",
                facts=[
                    "requests_per_month",
                    "cost_per_request_usd",
                    "finetuned_cost_per_request_usd",
                    "finetune_fixed_cost_usd",
                    "finetune_hosting_usd_per_month",
                ],
            )
        )
    tuned_verdict = result.approach in TUNED_APPROACHES
    if tuned_verdict and result.wants_fine_tuning and not result.cost_win:
        payback = result.payback_months
        reasons.append(
            Reason(
                text="Tuning here buys quality or speed, not savings: "
                + (
                    "the tuned model never pays for itself in money."
                    if payback is None
                    else f"it would take {payback:.1f} months to pay back in money."
                    if payback > PAYBACK_MAX_MONTHS or has_cost_basis(facts)
                    else f"a saving is not counted, as {_assumed_cost_basis(facts)}."
                ),
                facts=["requests_per_month", "finetune_fixed_cost_usd", "cost_per_request_usd"],
            )
        )
    if result.blockers and result.ready and not tuned_verdict:
        lead = (
            "Fine-tuning would help but is not ready: "
            if result.wants_fine_tuning
            else "Fine-tuning is not an option yet either: "
        )
        reasons.append(
            Reason(
                text=lead + blocked_text(facts, result.blockers) + ".",
                facts=list(result.blockers),
            )
        )
    if not result.wants_fine_tuning and tuned_verdict:
        payback = result.payback_months
        reasons.append(
            Reason(
                text="Tuning is here for the budget alone: nothing about quality, form or "
                "latency calls for it, and on cost alone "
                + (
                    "it would never pay back"
                    if payback is None
                    else f"it would take {payback:.1f} months to pay back"
                )
                + "; the budget leaves it the approach that fits.",
                facts=["budget_monthly_usd", "prompt_baseline_gap_pp", "requests_per_month"],
            )
        )
    elif not result.wants_fine_tuning:
        reasons.extend(_why_not_fine_tuning(facts, result))
    return reasons


def _why_not_fine_tuning(facts: Facts, result: RuleResult) -> list[Reason]:
    gap = facts["prompt_baseline_gap_pp"]
    reasons = [
        Reason(
            text=(
                "No prompt gap has been measured, so it is taken as met until an eval shows "
                "one (evals first): there is no form gap to train yet."
                if "prompt_baseline_gap_pp" not in facts["stated"]
                else f"Prompting meets the target (gap {gap:g} pp), so there is no form gap "
                "to train."
                if gap <= 0
                else f"A {gap:g} pp gap is not a large gap on a non-standard form (over "
                f"{LARGE_GAP_PP:g} pp on a custom format, fixed voice or niche jargon), so "
                "better prompts and structured outputs come first."
            ),
            facts=["prompt_baseline_gap_pp", "output_format_strictness", "style_consistency_need"],
        )
    ]
    if facts["domain_specialization"] == DomainSpecialization.SPECIALIZED_PUBLIC:
        reasons.append(
            Reason(
                text="A specialised public domain is knowledge strong models already have; "
                "training facts in is poor and can raise hallucination (Ovadia et al. 2023; "
                "Gekhman et al. 2024).",
                facts=["domain_specialization"],
            )
        )
    payback = result.payback_months
    reasons.append(
        Reason(
            text=(
                "A tuned model never saves money here: the per-request saving does not cover "
                "its hosting."
                if payback is None
                else f"A tuned model would take {payback:.1f} months to pay back, beyond "
                f"~{PAYBACK_MAX_MONTHS:g} months (base models are retired every "
                f"{BASE_MODEL_RETIREMENT_MONTHS} months)."
                if payback > PAYBACK_MAX_MONTHS
                # A quick payback on guessed numbers is no motive (Azure): say why it is not
                # counted rather than call it too slow.
                else f"A saving from a tuned model is not counted: {_assumed_cost_basis(facts)}."
            ),
            facts=["requests_per_month", "finetune_fixed_cost_usd", "cost_per_request_usd"],
        )
    )
    return reasons
