"""Reasons, risks and next steps, written from the rule outcome and the facts that drove it."""

from __future__ import annotations

from bot.domain.assumptions import Facts
from bot.domain.costs import TUNED_APPROACHES
from bot.domain.knowledge import FAMILY, KnowledgeRoute
from bot.domain.recommendation import Approach, ApproachCost, Reason
from bot.domain.requirements import (
    DataPrivacy,
    DeploymentTarget,
    DomainSpecialization,
    MlCapability,
    Volatility,
)
from bot.domain.rules import Outcome
from bot.domain.thresholds import (
    BASE_MODEL_RETIREMENT_MONTHS,
    CACHED_PROMPT_MAX_TOKENS,
    LARGE_GAP_PP,
    MIN_LABELLED_EXAMPLES,
    PAYBACK_MAX_MONTHS,
    REALTIME_LATENCY_MS,
)

_BLOCKER_TEXT = {
    "labelled_examples": "{labelled_examples:,} labelled examples is under the ~"
    f"{MIN_LABELLED_EXAMPLES} floor (OpenAI: 10 minimum, gains from 50-100; Vertex: 100+; "
    "Azure: hundreds to thousands for a new skill)",
    "team_ml_capability": "team_ml_capability is {team_ml_capability} (managed tuning needs "
    "basic skills; on-prem or edge weights need a team that trains and serves open weights)",
    "maintenance_capacity": "nobody can retrain the model when its base is retired every "
    f"{BASE_MODEL_RETIREMENT_MONTHS} months (maintenance_capacity: none)",
    "project_stage": "at prototype stage the task and its evals still move; iterate with "
    "prompts first (project_stage: prototype)",
}

ROUTES_STEP = (
    "Pick a realistic tuning route: OpenAI's self-serve fine-tuning is closed to new "
    "organisations (2026) and Anthropic offers none first-party, so use open-weight LoRA "
    "(if you serve models yourself), Vertex AI, Azure OpenAI or Amazon Bedrock."
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


def fine_tuning_reasons(facts: Facts, outcome: Outcome) -> list[Reason]:
    reasons: list[Reason] = []
    gap = facts["prompt_baseline_gap_pp"]
    if outcome.form_gap:
        reasons.append(
            Reason(
                text=f"The best prompt misses the target by {gap:g} pp on form "
                f"({facts['output_format_strictness']} output, {facts['style_consistency_need']}"
                f" style need, {facts['domain_specialization']} domain); fine-tuning teaches "
                "form, not facts (Huyen, AI Engineering, 2025).",
                facts=[
                    "prompt_baseline_gap_pp",
                    "output_format_strictness",
                    "style_consistency_need",
                    "domain_specialization",
                ],
            )
        )
    if outcome.small_model:
        reasons.append(
            Reason(
                text=f"A p95 of {facts['latency_target_ms']:,} ms on "
                f"{facts['deployment_target']} needs a small tuned model: output length "
                "dominates latency and large prompted models rarely fit edge or on-prem budgets.",
                facts=["latency_target_ms", "deployment_target"],
            )
        )
    if outcome.cost_win:
        reasons.append(
            Reason(
                text=f"Distilling into a smaller tuned model saves "
                f"${outcome.base_usd_per_request - outcome.tuned_usd_per_request:.4f}"
                f" per request; at {facts['requests_per_month']:,} requests/month it pays back "
                f"${facts['finetune_fixed_cost_usd']:,.0f} in {outcome.payback_months or 0:.1f} "
                f"months (within {PAYBACK_MAX_MONTHS:g}).",
                facts=[
                    "requests_per_month",
                    "cost_per_request_usd",
                    "finetuned_cost_per_request_usd",
                    "finetune_fixed_cost_usd",
                    "finetune_hosting_usd_per_month",
                ],
            )
        )
    if outcome.wants_fine_tuning and not outcome.cost_win:
        payback = outcome.payback_months
        reasons.append(
            Reason(
                text="Tuning here buys quality or speed, not savings: "
                + (
                    "the tuned model never pays for itself in money."
                    if payback is None
                    else f"it would take {payback:.1f} months to pay back in money."
                ),
                facts=["requests_per_month", "finetune_fixed_cost_usd", "cost_per_request_usd"],
            )
        )
    if outcome.blockers:
        lead = (
            "Fine-tuning would help but is not feasible yet: "
            if outcome.wants_fine_tuning
            else "Fine-tuning is not an option yet either: "
        )
        details = "; ".join(_BLOCKER_TEXT[name].format(**facts) for name in outcome.blockers)
        reasons.append(Reason(text=lead + details + ".", facts=list(outcome.blockers)))
    if not outcome.wants_fine_tuning:
        reasons.extend(_why_not_fine_tuning(facts, outcome))
    return reasons


def _why_not_fine_tuning(facts: Facts, outcome: Outcome) -> list[Reason]:
    gap = facts["prompt_baseline_gap_pp"]
    reasons = [
        Reason(
            text=(
                f"Prompting meets the target (gap {gap:g} pp), so there is no form gap to train."
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
    payback = outcome.payback_months
    reasons.append(
        Reason(
            text=(
                "A tuned model never saves money here: the per-request saving does not cover "
                "its hosting."
                if payback is None
                else f"A tuned model would take {payback:.1f} months to pay back, beyond "
                f"~{PAYBACK_MAX_MONTHS:g} months (base models are retired every "
                f"{BASE_MODEL_RETIREMENT_MONTHS} months)."
            ),
            facts=["requests_per_month", "finetune_fixed_cost_usd", "cost_per_request_usd"],
        )
    )
    return reasons


def risks(facts: Facts, outcome: Outcome, costs: dict[str, ApproachCost]) -> list[str]:
    approach = outcome.approach
    found: list[str] = []
    if approach in TUNED_APPROACHES:
        found.append(
            f"Base models are retired every {BASE_MODEL_RETIREMENT_MONTHS} months: the tuned "
            f"model must be retrained and re-evaluated each time (maintenance_capacity: "
            f"{facts['maintenance_capacity']})."
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
    if outcome.route == KnowledgeRoute.IN_PROMPT:
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
            f"Estimated ${monthly:,.0f}/month exceeds the ${budget:,.0f}/month budget "
            "(budget_monthly_usd)."
        )
    if facts["data_privacy"] != DataPrivacy.STANDARD:
        found.append(
            f"{facts['data_privacy']} data: keep prompts, indexes and training data inside "
            "approved boundaries, and check where a managed tuning service stores them."
        )
    return found


def next_steps(facts: Facts, outcome: Outcome) -> list[str]:
    approach = outcome.approach
    steps: list[str] = []
    if not facts["eval_set_exists"]:
        steps.append(
            "Build an eval set first (a few hundred real cases with expected outputs); "
            "measure every change against it (OpenAI and Azure both put evals before tuning)."
        )
    if outcome.route == KnowledgeRoute.IN_PROMPT:
        cite = " with citations from the in-prompt documents" if facts["citations_required"] else ""
        steps.append(
            f"Place the ~{facts['kb_size_tokens']:,}-token knowledge base in a cached prompt"
            f"{cite}, and re-inject it when it changes."
        )
    if outcome.route == KnowledgeRoute.RETRIEVAL:
        steps.append(
            "Build retrieval: chunk with context, hybrid BM25 + embeddings, rerank, and "
            "measure retrieval recall on the eval set"
            + (" (query live sources for real-time facts)." if _realtime(facts) else ".")
        )
    if approach not in TUNED_APPROACHES:
        steps.append(
            "Tighten the prompt: clear instructions, few-shot examples, structured outputs; "
            "use prompt caching to cut cost and time to first token."
        )
        tuned = FAMILY[outcome.route][1]
        if outcome.wants_fine_tuning and outcome.blockers:
            steps.append(
                f"Revisit {tuned.value} once the gates are met: "
                + ", ".join(outcome.blockers)
                + "."
            )
        return steps
    steps.append(
        f"Curate training pairs from the {facts['labelled_examples']:,} examples: start with "
        "50-100 clean ones, measure the gain, then scale."
    )
    self_hosted = facts["deployment_target"] in (
        DeploymentTarget.ON_PREM,
        DeploymentTarget.EDGE_DEVICE,
    )
    if self_hosted or facts["team_ml_capability"] == MlCapability.STRONG:
        steps.append(
            "Distil into a small open-weight model with LoRA that you can serve on "
            f"{facts['deployment_target']}."
        )
    steps.append(ROUTES_STEP)
    steps.append(
        f"Plan maintenance: re-run evals on every base-model release and budget a retrain "
        f"every {BASE_MODEL_RETIREMENT_MONTHS} months."
    )
    if facts["latency_target_ms"] < REALTIME_LATENCY_MS:
        steps.append("Keep outputs short: output length dominates latency.")
    return steps


def _realtime(facts: Facts) -> bool:
    return bool(facts["knowledge_volatility"] == Volatility.REALTIME)
