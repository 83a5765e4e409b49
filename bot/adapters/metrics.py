"""Prometheus metrics: one registry for the process, rendered at GET /metrics."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

EVENTS_RECEIVED = Counter(
    "swf_slack_events_received", "Slack deliveries received, by kind", ["kind"], registry=REGISTRY
)
DELIVERIES_DEDUPLICATED = Counter(
    "swf_slack_deliveries_deduplicated", "Slack retries and duplicates dropped", registry=REGISTRY
)
ACK_LATENCY_SECONDS = Histogram(
    "swf_slack_ack_latency_seconds",
    "Time from request received to ack sent",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 3.0),
    registry=REGISTRY,
)
INTERVIEWS_STARTED = Counter("swf_interviews_started", "Interviews started", registry=REGISTRY)
INTERVIEWS_COMPLETED = Counter(
    "swf_interviews_completed", "Interviews that reached a recommendation", registry=REGISTRY
)
RECOMMENDATIONS = Counter(
    "swf_recommendations", "Recommendations made, by approach", ["approach"], registry=REGISTRY
)
CLAUDE_CALLS = Counter(
    "swf_claude_calls", "Claude extraction calls, by outcome", ["outcome"], registry=REGISTRY
)
CLAUDE_LATENCY_SECONDS = Histogram(
    "swf_claude_latency_seconds", "Claude call latency", registry=REGISTRY
)
CLAUDE_TOKENS = Counter("swf_claude_tokens", "Claude tokens, by kind", ["kind"], registry=REGISTRY)
# Per call: was the static prefix read from the cache, written to it, or not cached at all?
CLAUDE_CACHE_CALLS = Counter(
    "swf_claude_cache_calls",
    "Claude calls by prompt-cache outcome (read, write, none)",
    ["outcome"],
    registry=REGISTRY,
)
CLAUDE_CACHE_TOKENS_PER_CALL = Histogram(
    "swf_claude_cache_tokens_per_call",
    "Prompt-cache tokens per Claude call, by kind (cache_read, cache_creation)",
    ["kind"],
    buckets=(0, 1024, 2048, 4096, 6144, 8192, 16384),
    registry=REGISTRY,
)
STORE_ERRORS = Counter(
    "swf_store_errors", "Session store failures, by operation", ["operation"], registry=REGISTRY
)

SLACK_REPLIES_KEPT_PENDING = Counter(
    "swf_slack_replies_kept_pending",
    "Replies Slack did not take at first, kept for a retry",
    registry=REGISTRY,
)
SLACK_REPLIES_GIVEN_UP = Counter(
    "swf_slack_replies_given_up",
    "Replies given up after every retry (or refused for good)",
    registry=REGISTRY,
)
TURN_FAILURES = Counter(
    "swf_turn_failures", "Turns that failed, by error type", ["error_type"], registry=REGISTRY
)


def render_metrics() -> bytes:
    """The Prometheus text exposition of every metric."""
    return generate_latest(REGISTRY)


class PrometheusInterviewEvents:
    """The service's events (bot.ports.InterviewEvents) as this process's counters."""

    def interview_started(self) -> None:
        INTERVIEWS_STARTED.inc()

    def recommended(self, approach: str, *, first_for_this_interview: bool) -> None:
        RECOMMENDATIONS.labels(approach=approach).inc()
        if first_for_this_interview:
            INTERVIEWS_COMPLETED.inc()
