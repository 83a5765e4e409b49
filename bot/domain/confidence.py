"""How sure the engine is of its verdict: one written formula (README "How it decides").

    confidence = 0.95
        - 0.05 x each key fact the decision leans on that was assumed, not stated
        - 0.04 x each open precondition (a readiness fact a tuned verdict needs, unstated;
          or the eval set a team said it lacks)
        - 0.10 when a decisive numeric fact sits within a factor of two of its threshold
        - 0.10 x (1 - margin) when the runner-up among the feasible, ready approaches is
          within one point of the verdict's matrix total (margin = the gap, 0..1)
        - 0.05 when cost alone drives tuning and the prices are the price list's, not the team's
    clamped to 0.30..0.95 and rounded to two decimals.

Monotone by construction: stating an assumed key fact with the value that was assumed
leaves every term but the first unchanged (the close-call term reads values, not where they
came from), and the first only drops.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.costs import TUNED_APPROACHES
from bot.domain.facts import Facts
from bot.domain.fields import FieldName
from bot.domain.recommendation import Change
from bot.domain.rules import RuleResult, candidates

MAX_CONFIDENCE = 0.95
MIN_CONFIDENCE = 0.30
PER_ASSUMED_KEY_FACT = 0.05
PER_OPEN_PRECONDITION = 0.04
CLOSE_CALL = 0.10
CLOSE_RUNNER_UP = 0.10
LIST_PRICES = 0.05
# A threshold within this factor of today's value is a close call.
CLOSE_FACTOR = 2.0

# Facts whose assumed value the decision leans on; each one assumed lowers confidence.
KEY_FIELDS: tuple[FieldName, ...] = (
    "needs_external_knowledge",
    "prompt_baseline_gap_pp",
    "requests_per_month",
    "latency_target_ms",
    "deployment_target",
)
KNOWLEDGE_KEY_FIELDS: tuple[FieldName, ...] = ("kb_size_tokens", "knowledge_volatility")


def _close_call(changes: list[Change]) -> bool:
    for change in changes:
        if change.together:
            continue  # one fact of several that must move together is no close call
        current, threshold = change.current, change.threshold
        if (
            isinstance(current, int | float)
            and isinstance(threshold, int | float)
            and not isinstance(current, bool)
            and current > 0
            and 1 / CLOSE_FACTOR <= threshold / current <= CLOSE_FACTOR
        ):
            return True
    return False


def runner_up_margin(result: RuleResult, totals: Mapping[str, float]) -> float | None:
    """The verdict's lead over the best other feasible, ready candidate (None: no rival)."""
    rivals = [
        totals[a.value]
        for a in candidates(result.route, result.wants_fine_tuning)
        if a != result.approach
        and a not in result.infeasible
        and not (result.blockers and a in TUNED_APPROACHES)
    ]
    if not rivals:
        return None
    return totals[result.approach.value] - max(rivals)


def confidence(
    facts: Facts,
    assumed: Mapping[str, str],
    result: RuleResult,
    *,
    changes: list[Change],
    totals: Mapping[str, float],
    open_preconditions: int,
) -> float:
    key = KEY_FIELDS + (KNOWLEDGE_KEY_FIELDS if facts["needs_external_knowledge"] else ())
    value = MAX_CONFIDENCE - PER_ASSUMED_KEY_FACT * sum(1 for field in key if field in assumed)
    value -= PER_OPEN_PRECONDITION * open_preconditions
    if _close_call(changes):
        value -= CLOSE_CALL
    margin = runner_up_margin(result, totals)
    if margin is not None and margin < 1:
        value -= CLOSE_RUNNER_UP * (1 - max(0.0, margin))
    cost_driven = result.cost_win and not (result.form_gap or result.small_model)
    if cost_driven and facts["cost_per_request_usd"] is None:
        value -= LIST_PRICES
    return round(min(MAX_CONFIDENCE, max(MIN_CONFIDENCE, value)), 2)
