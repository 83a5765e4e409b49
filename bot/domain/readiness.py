"""Readiness for fine-tuning in plain words: what blocks it (stated as insufficient) and
what to confirm first (not stated). Unknown is not "no" (docs/design.md §5)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.facts import Facts
from bot.domain.fields import READINESS_FIELDS, FieldName
from bot.domain.recommendation import Precondition
from bot.domain.requirements import DataPrivacy
from bot.domain.rules import SELF_HOSTED_TARGETS
from bot.domain.thresholds import BASE_MODEL_RETIREMENT_MONTHS, MIN_LABELLED_EXAMPLES

EXAMPLES_SOURCE = (
    "OpenAI: 10 minimum, gains from 50-100; Vertex: 100+; Azure: hundreds to thousands "
    "for a new skill"
)
# Air-gapped teams get no hosted vendor's name, even as a citation.
EXAMPLES_SOURCE_NO_VENDOR = (
    "tuning guides ask for 10 minimum, with gains from 50-100 and hundreds to thousands for "
    "a new skill"
)


def _examples_source(facts: Facts) -> str:
    return (
        EXAMPLES_SOURCE_NO_VENDOR
        if facts["data_privacy"] == DataPrivacy.AIR_GAPPED
        else EXAMPLES_SOURCE
    )


def blocker_words(facts: Facts, field: FieldName) -> str:
    """Why a stated readiness fact blocks tuning for now, in plain words with its source."""
    if field == "labelled_examples":
        return (
            f"only {facts['labelled_examples'] or 0:,} curated examples, under the "
            f"~{MIN_LABELLED_EXAMPLES} floor ({_examples_source(facts)})"
        )
    if field == "team_ml_capability":
        if facts["team_ml_capability"] == "none":
            return "nobody on the team has ML experience, even with managed fine-tuning APIs"
        return (
            "the tuned weights must run on your own hardware, which needs a team that trains "
            "and serves open weights (the team uses managed fine-tuning APIs)"
        )
    if field == "maintenance_capacity":
        return (
            "nobody to retrain it when its base model is retired, every "
            f"{BASE_MODEL_RETIREMENT_MONTHS} months (the source article: budget for ongoing "
            "model maintenance)"
        )
    return (
        "at prototype stage the task and its evals still move: iterate with prompts first "
        "(the source article: start with prompting)"
    )


def blocked_text(facts: Facts, gates: Iterable[FieldName]) -> str:
    return "; ".join(blocker_words(facts, gate) for gate in gates)


def _condition(facts: Facts, field: FieldName) -> tuple[str, str]:
    air_gapped = facts["data_privacy"] == DataPrivacy.AIR_GAPPED
    if field == "labelled_examples":
        return (
            f"At least ~{MIN_LABELLED_EXAMPLES} clean, curated input/output pairs, and a few "
            "hundred to thousands for a new skill",
            f"Fine-tuning learns only from examples ({_examples_source(facts)}).",
        )
    if field == "team_ml_capability":
        if facts["deployment_target"] in SELF_HOSTED_TARGETS or air_gapped:
            return (
                "Someone who can train and serve an open-weight model (LoRA) on your own hardware",
                "The tuned weights must run where the data and the deployment are; no "
                "managed tuning service reaches there.",
            )
        return (
            "Someone who can run a managed fine-tuning job and evaluate the result",
            "Tuning, evaluating and deploying a model is ML work, even on a managed service.",
        )
    if field == "maintenance_capacity":
        return (
            "Name who will retrain the model when its base is retired, every "
            f"{BASE_MODEL_RETIREMENT_MONTHS} months",
            "A tuned model is tied to its base model: when the base is retired it must be "
            "retrained and re-evaluated (the source article: budget for ongoing maintenance).",
        )
    if field == "eval_set_exists":
        return (
            "An eval set of real cases with expected outputs, built before tuning",
            "Without one the gain cannot be measured ("
            + (
                "tuning guides put evals first)."
                if air_gapped
                else "OpenAI and Azure put evals before tuning)."
            ),
        )
    return (
        "The task and its evals are settled: a pilot or production, not a prototype",
        "At prototype stage the task still moves; retraining after every change is slow.",
    )


def _to_confirm(facts: Facts, field: FieldName) -> bool:
    # A team that says it has no eval set can build one in days, so that does not block
    # tuning (the gates of docs/design.md §5.2 are examples, skills, maintenance, stage); it
    # is still what must be true before tuning starts, as much as an unstated one.
    return facts[field] is None or (field == "eval_set_exists" and facts[field] is False)


def preconditions(facts: Facts) -> list[Precondition]:
    """What must be true before tuning, and why (for a tuned verdict): each readiness fact
    nobody stated, and an eval set the team said it does not have yet."""
    found: list[Precondition] = []
    for field in READINESS_FIELDS:
        if _to_confirm(facts, field):
            condition, why = _condition(facts, field)
            found.append(Precondition(field=field, condition=condition, why=why))
    return found
