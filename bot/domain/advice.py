"""Risks and next steps for the recommended approach (maintenance always, for any tuning)."""

from __future__ import annotations

from bot.domain.costs import TUNED_APPROACHES
from bot.domain.facts import Facts
from bot.domain.fields import value_words
from bot.domain.knowledge import FAMILY, KnowledgeRoute
from bot.domain.readiness import blocked_text
from bot.domain.recommendation import APPROACH_WORDS, Approach, ApproachCost
from bot.domain.requirements import DataPrivacy, MlCapability, Volatility
from bot.domain.rules import SELF_HOSTED_TARGETS, RuleResult
from bot.domain.thresholds import (
    BASE_MODEL_RETIREMENT_MONTHS,
    CACHED_PROMPT_MAX_TOKENS,
    REALTIME_LATENCY_MS,
)

ROUTES_STEP = (
    "Pick a realistic tuning route: OpenAI's self-serve fine-tuning is closed to new "
    "organisations (2026) and Anthropic offers none first-party, so use open-weight LoRA "
    "(if you serve models yourself), Vertex AI, Azure OpenAI or Amazon Bedrock."
)
# Regulated data may use hosted routes, but only under the provider's compliance terms.
REGULATED_TERMS = (
    " With regulated data, a hosted route needs the provider's compliance terms (a BAA or "
    "DPA) and a region that keeps the data where it must stay."
)
# Air-gapped data leaves only routes that run on the team's own hardware.
AIR_GAPPED_ROUTE_STEP = (
    "Air-gapped data rules out every hosted tuning service: fine-tune an open-weight model "
    "with LoRA on your own hardware, and serve it there."
)
AIR_GAPPED_MODEL_STEP = (
    "Air-gapped data: run an open-weight model on your own hardware; no hosted model API "
    "can be reached (the cost estimates use hosted list prices, so price your hardware)."
)
REGULATED_MODEL_STEP = (
    "Regulated data: use a hosted model only under the provider's compliance terms (a BAA "
    "or DPA) and in a region that keeps the data where it must stay."
)


def risks(facts: Facts, result: RuleResult, costs: dict[str, ApproachCost]) -> list[str]:
    approach = result.approach
    found: list[str] = []
    if approach in TUNED_APPROACHES:
        found.append(
            f"Base models are retired every {BASE_MODEL_RETIREMENT_MONTHS} months: the tuned "
            "model must be retrained and re-evaluated each time (who retrains it: "
            + (
                "not named yet"
                if facts["maintenance_capacity"] is None
                else value_words("maintenance_capacity", str(facts["maintenance_capacity"]))
            )
            + ")."
        )
        found.append(
            "Fine-tuning teaches form, not facts: knowledge trained into weights is recalled "
            "poorly and can raise hallucination (Ovadia et al. 2023; Gekhman et al. 2024)."
        )
        if facts["finetune_hosting_usd_per_month"] > 0:
            found.append(
                f"Dedicated hosting of the tuned model costs "
                f"~${facts['finetune_hosting_usd_per_month']:,.0f}/month whatever the volume."
            )
    if approach in (Approach.RAG, Approach.RAG_FINE_TUNING):
        found.append(
            "Answers are only as good as retrieval: measure recall on real questions; "
            "retrieval adds roughly 15-150 ms per request."
        )
    if result.route == KnowledgeRoute.IN_PROMPT:
        found.append(
            "The cached prompt must be refreshed whenever the knowledge changes; if it grows "
            f"towards ~{CACHED_PROMPT_MAX_TOKENS // 1000}k tokens, move to retrieval."
        )
    if approach == Approach.PROMPTING:
        found.append(
            "Prompts can regress when the model version changes: pin the version and re-run "
            "evals on upgrades."
        )
    if not facts["eval_set_exists"]:
        found.append("Without an eval set, quality claims (and any gap) are guesses.")
    budget = facts["budget_monthly_usd"]
    monthly = costs[approach.value].monthly_usd
    if budget is not None and monthly > budget:
        found.append(
            f"Estimated ${monthly:,.0f}/month exceeds the ${budget:,.0f}/month budget, and no "
            "approach fits it: raise the budget or cut the volume or prompt size."
        )
    privacy = facts["data_privacy"]
    if privacy == DataPrivacy.AIR_GAPPED:
        found.append(
            "Air-gapped data: every model, index and training run must stay on your own "
            "hardware; hosted model and tuning APIs cannot be used at all."
        )
    elif privacy == DataPrivacy.REGULATED:
        found.append(
            "Regulated data: keep prompts, indexes and training data inside approved "
            "boundaries; hosted routes need the provider's compliance terms (BAA/DPA) and "
            "an approved region."
        )
    return found


def next_steps(facts: Facts, result: RuleResult) -> list[str]:
    approach = result.approach
    steps: list[str] = []
    if not facts["eval_set_exists"]:
        steps.append(
            "Build an eval set first (a few hundred real cases with expected outputs); "
            "measure every change against it ("
            + (
                # Air-gapped teams get no hosted vendor's name, even as a citation.
                "tuning guides put evals before tuning)."
                if facts["data_privacy"] == DataPrivacy.AIR_GAPPED
                else "OpenAI and Azure both put evals before tuning)."
            )
        )
    if result.route == KnowledgeRoute.IN_PROMPT:
        cite = " with citations from the in-prompt documents" if facts["citations_required"] else ""
        steps.append(
            f"Place the ~{facts['kb_size_tokens']:,}-token knowledge base in a cached prompt"
            f"{cite}, and re-inject it when it changes."
        )
    if result.route == KnowledgeRoute.RETRIEVAL:
        steps.append(
            "Build retrieval: chunk with context, hybrid BM25 + embeddings, rerank, and "
            "measure retrieval recall on the eval set"
            + (" (query live sources for real-time facts)." if _realtime(facts) else ".")
        )
    if approach not in TUNED_APPROACHES:
        if facts["data_privacy"] == DataPrivacy.AIR_GAPPED:
            steps.append(AIR_GAPPED_MODEL_STEP)
        elif facts["data_privacy"] == DataPrivacy.REGULATED:
            steps.append(REGULATED_MODEL_STEP)
        steps.append(
            "Tighten the prompt: clear instructions, few-shot examples, structured outputs; "
            "use prompt caching to cut cost and time to first token."
        )
        tuned = FAMILY[result.route][1]
        if result.wants_fine_tuning and result.blockers:
            steps.append(
                f"Revisit {APPROACH_WORDS[tuned]} once these are fixed: "
                + blocked_text(facts, result.blockers)
                + "."
            )
        return steps
    if not result.ready:
        steps.insert(
            0,
            "Resolve what blocks it before building: " + blocked_text(facts, result.blockers) + ".",
        )
    examples = facts["labelled_examples"]
    steps.append(
        (
            "Count the curated examples you have"
            if examples is None
            else f"Curate training pairs from the {examples:,} examples"
        )
        + ": start with 50-100 clean ones, measure the gain, then scale."
    )
    if approach == Approach.RAG_FINE_TUNING:
        steps.append(
            "Train on examples that carry the retrieved passages in context (RAFT-style), so the "
            "tuned model learns the form while the facts keep coming from retrieval."
        )
    elif approach == Approach.PROMPTING_FINE_TUNING:
        steps.append(
            "Keep the knowledge in the cached prompt and train with it in context; if cost "
            "drives the tuning, route most traffic to the tuned small model and the rest to "
            "the prompted large one."
        )
    steps.extend(_tuning_route_steps(facts))
    steps.append(
        f"Plan maintenance: re-run evals on every base-model release and budget a retrain "
        f"every {BASE_MODEL_RETIREMENT_MONTHS} months."
    )
    if facts["latency_target_ms"] < REALTIME_LATENCY_MS:
        steps.append("Keep outputs short: output length dominates latency.")
    return steps


def _tuning_route_steps(facts: Facts) -> list[str]:
    """Where the tuning can run: only self-hosted routes for air-gapped data."""
    if facts["data_privacy"] == DataPrivacy.AIR_GAPPED:
        return [AIR_GAPPED_ROUTE_STEP]
    steps: list[str] = []
    self_hosted = facts["deployment_target"] in SELF_HOSTED_TARGETS
    if self_hosted or facts["team_ml_capability"] == MlCapability.STRONG:
        steps.append(
            "Distil into a small open-weight model with LoRA that you can serve on "
            f"{value_words('deployment_target', str(facts['deployment_target']))}."
        )
    regulated = facts["data_privacy"] == DataPrivacy.REGULATED
    steps.append(ROUTES_STEP + (REGULATED_TERMS if regulated else ""))
    return steps


def _realtime(facts: Facts) -> bool:
    return bool(facts["knowledge_volatility"] == Volatility.REALTIME)
