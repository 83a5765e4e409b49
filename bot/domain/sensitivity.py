"""What would change the recommendation: found by probing the rules, never written by hand.

Each probe sets one fact to a candidate value and asks the rules for the approach.
Numeric candidates sit on the rules' own thresholds; the volume candidate is the
exact volume at which distillation starts (or stops) paying back in time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from bot.domain.costs import requests_for_payback
from bot.domain.facts import Facts, value_of
from bot.domain.fields import field_label, value_words
from bot.domain.recommendation import APPROACH_WORDS, Approach, Change, ScalarFact
from bot.domain.requirements import (
    DataPrivacy,
    DeploymentTarget,
    DomainSpecialization,
    Level,
    MaintenanceCapacity,
    MlCapability,
    OutputStrictness,
    ProjectStage,
    Requirements,
    Volatility,
)
from bot.domain.rules import SELF_HOSTED_TARGETS, RuleResult
from bot.domain.thresholds import (
    CACHED_PROMPT_MAX_TOKENS,
    LARGE_GAP_PP,
    MIN_LABELLED_EXAMPLES,
    ON_PREM_SMALL_MODEL_LATENCY_MS,
    PAYBACK_MAX_MONTHS,
    REALTIME_LATENCY_MS,
    RETRIEVAL_LATENCY_MS,
)

Probe = Callable[[str, ScalarFact], Approach]
# The approach with several facts changed at once (gates that block together).
ProbeMany = Callable[[Mapping[str, ScalarFact]], Approach]

# Marks a change that needs several facts to move together (the text names them all).
TOGETHER = " together: "


def _upper_bound(field: str) -> float:
    """The largest value the Requirements model accepts for `field`."""
    return min(
        float(item.le) for item in Requirements.model_fields[field].metadata if hasattr(item, "le")
    )


# No threshold is reported past what the Requirements model accepts (1e9: no real project).
MAX_FIXED_COST_USD = _upper_bound("finetune_fixed_cost_usd")
MAX_BUDGET_USD = _upper_bound("budget_monthly_usd")

# One numeric candidate: the side of today's value it lies on, the value probed, the
# threshold reported, and the phrase that states it.
Candidate = tuple[str, float, float, str]


def _threshold(
    threshold: float, *, below: float, above: float, unit: str, subject: str = ""
) -> tuple[Candidate, Candidate]:
    """A rule threshold seen from both sides: probed just below and at (or just past) it."""
    at = f"{subject} of" if subject else "at"
    lead = f"{subject} " if subject else ""
    return (
        ("below", below, threshold, lead + "below {t:,.0f} " + unit),
        ("above", above, threshold, at + " {t:,.0f} " + unit + " or more"),
    )


NUMERIC_CANDIDATES: dict[str, tuple[Candidate, ...]] = {
    "kb_size_tokens": _threshold(
        CACHED_PROMPT_MAX_TOKENS,
        below=CACHED_PROMPT_MAX_TOKENS - 1,
        above=CACHED_PROMPT_MAX_TOKENS,
        unit="tokens",
        subject="a knowledge base",
    ),
    "labelled_examples": _threshold(
        MIN_LABELLED_EXAMPLES,
        below=MIN_LABELLED_EXAMPLES - 1,
        above=MIN_LABELLED_EXAMPLES,
        unit="curated examples",
    ),
    "latency_target_ms": _threshold(
        REALTIME_LATENCY_MS,
        below=REALTIME_LATENCY_MS - 1,
        above=REALTIME_LATENCY_MS,
        unit="ms",
        subject="a p95 target",
    )
    + _threshold(
        REALTIME_LATENCY_MS + RETRIEVAL_LATENCY_MS,
        below=REALTIME_LATENCY_MS + RETRIEVAL_LATENCY_MS - 1,
        above=REALTIME_LATENCY_MS + RETRIEVAL_LATENCY_MS,
        unit="ms",
        subject="a p95 target",
    )
    + _threshold(
        ON_PREM_SMALL_MODEL_LATENCY_MS,
        below=ON_PREM_SMALL_MODEL_LATENCY_MS - 1,
        above=ON_PREM_SMALL_MODEL_LATENCY_MS,
        unit="ms",
        subject="a p95 target",
    ),
    # The rule is "more than 5 pp": at 5 it is not large, from 5.1 (gaps have one decimal) it is.
    "prompt_baseline_gap_pp": (
        ("below", LARGE_GAP_PP, LARGE_GAP_PP, "a prompt gap of {t:g} pp or less"),
        ("above", LARGE_GAP_PP + 0.1, LARGE_GAP_PP, "a prompt gap above {t:g} pp"),
    ),
}

ENUM_CANDIDATES: dict[str, tuple[ScalarFact, ...]] = {
    "needs_external_knowledge": (False, True),
    "knowledge_volatility": tuple(v.value for v in Volatility),
    "output_format_strictness": tuple(v.value for v in OutputStrictness),
    "style_consistency_need": tuple(v.value for v in Level),
    "domain_specialization": tuple(v.value for v in DomainSpecialization),
    "deployment_target": tuple(v.value for v in DeploymentTarget),
    "team_ml_capability": tuple(v.value for v in MlCapability),
    "maintenance_capacity": tuple(v.value for v in MaintenanceCapacity),
    "project_stage": tuple(v.value for v in ProjectStage),
}

PROBED_FIELDS: tuple[str, ...] = (
    "needs_external_knowledge",
    "knowledge_volatility",
    "kb_size_tokens",
    "output_format_strictness",
    "style_consistency_need",
    "domain_specialization",
    "prompt_baseline_gap_pp",
    "latency_target_ms",
    "deployment_target",
    "requests_per_month",
    "finetune_fixed_cost_usd",
    "labelled_examples",
    "team_ml_capability",
    "maintenance_capacity",
    "project_stage",
)

_KNOWLEDGE_DETAIL = frozenset({"kb_size_tokens", "knowledge_volatility"})

# Facts that feed exactly one fine-tuning trigger, and facts that feed only the gates.
_FORM_FIELDS = frozenset(
    {
        "output_format_strictness",
        "style_consistency_need",
        "domain_specialization",
        "prompt_baseline_gap_pp",
    }
)
_COST_FIELDS = frozenset({"requests_per_month", "finetune_fixed_cost_usd"})
_GATE_ONLY = frozenset(
    {"labelled_examples", "team_ml_capability", "maintenance_capacity", "project_stage"}
)


def _cannot_switch(field: str, facts: Facts, result: RuleResult) -> bool:
    """Skips probes the rule structure makes pointless (the probes dominate decide's time).

    A trigger's facts matter only when no gate blocks and no other trigger already asks
    for tuning; a gate's facts matter only when tuning is wanted and no other gate blocks.
    A stated budget or a hard constraint on the model size can move the verdict across
    knowledge routes, so then every fact is probed.
    """
    if facts["budget_monthly_usd"] is not None or result.large_model_ruled_out:
        return False
    if field in _FORM_FIELDS:
        return bool(result.blockers) or result.small_model or result.cost_win
    if field == "latency_target_ms":
        return not result.blockers and (result.form_gap or result.cost_win)
    if field in _COST_FIELDS:
        return bool(result.blockers) or result.form_gap or result.small_model
    if field in _GATE_ONLY:
        return not result.wants_fine_tuning or bool(set(result.blockers) - {field})
    return False


def _blocks(field: str, value: Any, facts: Facts) -> bool:
    """Whether `value` of a readiness gate blocks tuning (see `rules.blockers`; None never)."""
    if field == "team_ml_capability":
        return value == MlCapability.NONE or (
            value == MlCapability.BASIC and facts["deployment_target"] in SELF_HOSTED_TARGETS
        )
    if field == "maintenance_capacity":
        return bool(value == MaintenanceCapacity.NONE)
    return bool(value == ProjectStage.PROTOTYPE)


def _plain(value: Any) -> ScalarFact:
    return value.value if hasattr(value, "value") else value  # type: ignore[no-any-return]


def _volume_candidates(facts: Facts, result: RuleResult) -> tuple[Candidate, ...]:
    volume = requests_for_payback(
        months=PAYBACK_MAX_MONTHS,
        fixed_usd=facts["finetune_fixed_cost_usd"],
        base_usd_per_request=result.base_usd_per_request,
        tuned_usd_per_request=result.tuned_usd_per_request,
        hosting_usd_per_month=facts["finetune_hosting_usd_per_month"],
    )
    if volume is None:
        return ()
    above = ("above", volume, volume, "at {t:,.0f} requests a month or more")
    if volume == 0:
        return (above,)
    return (("below", volume - 1, volume, "below {t:,.0f} requests a month"), above)


def _fixed_cost_candidates(facts: Facts, result: RuleResult) -> tuple[Candidate, ...]:
    monthly_saving = (
        facts["requests_per_month"] * (result.base_usd_per_request - result.tuned_usd_per_request)
        - facts["finetune_hosting_usd_per_month"]
    )
    if monthly_saving <= 0:
        return ()
    # The largest fixed cost that still pays back within the window, in whole dollars.
    limit = PAYBACK_MAX_MONTHS * monthly_saving
    if not math.isfinite(limit) or math.floor(limit) + 1 > MAX_FIXED_COST_USD:
        return ()
    threshold = math.floor(limit) + 1
    return (
        ("below", threshold - 1, threshold, "a fine-tuning fixed cost below ${t:,.0f}"),
        ("above", threshold, threshold, "a fine-tuning fixed cost of ${t:,.0f} or more"),
    )


def _budget_candidates(lines_usd: Sequence[float]) -> tuple[Candidate, ...]:
    """Just under and at each approach's monthly estimate (a budget fits what costs no more);
    none past the largest budget anyone can state (an estimate at absurd volumes and prices)."""
    found: list[Candidate] = []
    for line in sorted(set(lines_usd)):
        if line > MAX_BUDGET_USD:
            continue
        if line > 0:
            found.append(("below", round(line - 0.01, 2), line, "a monthly budget below ${t:,.2f}"))
        found.append(("above", line, line, "a monthly budget of ${t:,.2f} or more"))
    return tuple(found)


def _candidates(
    field: str, facts: Facts, result: RuleResult, budget_lines_usd: Sequence[float]
) -> tuple[Candidate, ...]:
    if field == "budget_monthly_usd":
        return _budget_candidates(budget_lines_usd)
    if field == "requests_per_month":
        return _volume_candidates(facts, result)
    if field == "finetune_fixed_cost_usd":
        return _fixed_cost_candidates(facts, result)
    return NUMERIC_CANDIDATES[field]


def _impossible(field: str, value: ScalarFact, facts: Facts) -> bool:
    """A value the Requirements model refuses beside the other facts is no change to offer."""
    return (
        field == "deployment_target"
        and value == DeploymentTarget.CLOUD_API
        and facts["data_privacy"] == DataPrivacy.AIR_GAPPED
    )


def gate_passes(facts: Facts, gates: Iterable[str]) -> dict[str, ScalarFact]:
    """For each blocking gate, the nearest value that opens it (see `rules.blockers`)."""
    self_hosted = facts["deployment_target"] in SELF_HOSTED_TARGETS
    opening: dict[str, ScalarFact] = {
        "labelled_examples": MIN_LABELLED_EXAMPLES,
        "team_ml_capability": (MlCapability.STRONG if self_hosted else MlCapability.BASIC).value,
        "maintenance_capacity": MaintenanceCapacity.LIMITED.value,
        "project_stage": ProjectStage.PILOT.value,
    }
    return {gate: opening[gate] for gate in gates}


_GATE_PHRASES = {
    "labelled_examples": "{value:,} or more curated examples",
    "maintenance_capacity": "someone owning retraining",
    "project_stage": "a pilot, not a prototype",
}
_ML_PHRASES = {
    MlCapability.BASIC: "a team that uses managed tuning APIs",
    MlCapability.STRONG: "a team that trains and serves open weights",
}


def _gate_phrase(gate: str, value: ScalarFact, now: str) -> str:
    """How an opened gate reads, with today's value in words: `... (now X)`."""
    if gate == "team_ml_capability":
        template = _ML_PHRASES[MlCapability(str(value))]
    else:
        template = _GATE_PHRASES[gate]
    return template.format(value=value) + f" (now {now})"


def _gates_together(
    facts: Facts, result: RuleResult, assumed: Mapping[str, str], probe_many: ProbeMany
) -> list[Change]:
    """Gates that block together: no single one switches the answer, all of them at once can."""
    if len(result.blockers) < 2 or not result.wants_fine_tuning:
        return []
    passes = gate_passes(facts, result.blockers)
    switched = probe_many(passes)
    if switched == result.approach:
        return []
    parts = [
        _gate_phrase(
            gate,
            value,
            _words(gate, value_of(facts, gate)) + (", assumed" if gate in assumed else ""),
        )
        for gate, value in passes.items()
    ]
    first = result.blockers[0]
    return [
        Change(
            field=first,
            current=_plain(facts[first]),
            threshold=passes[first],
            direction="above" if first == "labelled_examples" else "set_to",
            switches_to=switched,
            text="With "
            + ", ".join(parts[:-1])
            + " and "
            + parts[-1]
            + TOGETHER
            + APPROACH_WORDS[switched],
            together=list(result.blockers[1:]),
        )
    ]


def is_combined(change: Change) -> bool:
    """Whether the change needs several facts moved together (only its first is `field`)."""
    return bool(change.together)


def what_would_change(
    facts: Facts,
    result: RuleResult,
    assumed: Mapping[str, str],
    *,
    probe: Probe,
    probe_many: ProbeMany,
    budget_lines_usd: Sequence[float] = (),
) -> list[Change]:
    """The nearest switch on each side of every decisive numeric fact, every enum switch, and
    the gates that only open together. `budget_lines_usd` are the approaches' monthly
    estimates: a stated budget switches the answer only where it crosses one."""
    current_approach = result.approach
    changes: list[Change] = []
    fields = PROBED_FIELDS + (("budget_monthly_usd",) if budget_lines_usd else ())
    for field in fields:
        if field in _KNOWLEDGE_DETAIL and not facts["needs_external_knowledge"]:
            continue  # a knowledge base the team does not need has no size that matters
        if _cannot_switch(field, facts, result):
            continue
        current = value_of(facts, field)
        note = " (assumed)" if field in assumed else ""
        if field in ENUM_CANDIDATES:
            seen: set[Approach] = set()
            for value in ENUM_CANDIDATES[field]:
                if value == current or _impossible(field, value, facts):
                    continue
                if field in _GATE_ONLY and _blocks(field, value, facts) == _blocks(
                    field, current, facts
                ):
                    continue  # a gate reads only "blocks or not": the same side, the same answer
                switched = probe(field, value)
                if switched == current_approach or switched in seen:
                    continue
                seen.add(switched)
                changes.append(
                    Change(
                        field=field,
                        current=_plain(current),
                        threshold=value,
                        direction="set_to",
                        switches_to=switched,
                        text=f"{field_label(field)}: {_words(field, value)} instead of "
                        f"{_words(field, current)}{note}: {APPROACH_WORDS[switched]}",
                    )
                )
            continue
        candidates = _candidates(field, facts, result, budget_lines_usd)
        if current is None:  # an unstated gate passes: only a stated shortfall can switch
            below = sorted((c for c in candidates if c[0] == "below"), reverse=True)
            above = []
        else:
            below = sorted(
                (c for c in candidates if c[0] == "below" and c[1] < current), reverse=True
            )
            above = sorted(c for c in candidates if c[0] == "above" and c[1] > current)
        for side in (below, above):
            for direction, value, threshold, phrase in side:
                switched = probe(field, _as_field_type(field, value))
                if switched == current_approach:
                    continue
                changes.append(
                    Change(
                        field=field,
                        current=_plain(current),
                        threshold=_as_field_type(field, threshold),
                        direction=direction,
                        switches_to=switched,
                        text=f"{phrase.format(t=threshold)} (now {_text(current)}"
                        f"{', assumed' if note else ''}): "
                        f"{APPROACH_WORDS[switched]}",
                    )
                )
                break
    changes.extend(_gates_together(facts, result, assumed, probe_many))
    return changes


def _as_field_type(field: str, value: float) -> int | float:
    return float(value) if field in _FLOAT_FIELDS else int(value)


_FLOAT_FIELDS = frozenset({"prompt_baseline_gap_pp", "budget_monthly_usd"})


def _words(field: str, value: Any) -> str:
    """A fact's value in the catalogue's words ("an edge device", "nobody", "yes")."""
    plain = _plain(value)
    if plain is None:
        return "not stated"
    if isinstance(plain, bool):
        return "yes" if plain else "no"
    if isinstance(plain, str):
        return value_words(field, plain)
    return _text(plain)


def _text(value: Any) -> str:
    plain = _plain(value)
    if plain is None:
        return "not stated"
    if isinstance(plain, bool):
        return "true" if plain else "false"
    if isinstance(plain, int):
        return f"{plain:,}"
    if isinstance(plain, float):
        return f"{plain:,.0f}" if plain.is_integer() and abs(plain) < 1e15 else f"{plain:g}"
    return str(plain)
