"""Worker plumbing: the metrics a worker process reports are merged into /metrics."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from bot.adapters.slack.worker_metrics import merge_expositions


def _exposition(*, completed: int, latencies: list[float]) -> bytes:
    registry = CollectorRegistry()
    counter = Counter("swf_demo", "Demo counter", ["kind"], registry=registry)
    histogram = Histogram("swf_demo_seconds", "Demo latency", buckets=(0.1, 1.0), registry=registry)
    counter.labels(kind="a").inc(completed)
    for latency in latencies:
        histogram.observe(latency)
    return generate_latest(registry)


def test_counters_and_histograms_add_up_across_processes() -> None:
    """Counter samples and histogram buckets are summed, label by label."""
    merged = merge_expositions(
        _exposition(completed=2, latencies=[0.05]), _exposition(completed=3, latencies=[0.5])
    ).decode()
    assert 'swf_demo_total{kind="a"} 5.0' in merged
    assert 'swf_demo_seconds_bucket{le="0.1"} 1.0' in merged
    assert 'swf_demo_seconds_bucket{le="1.0"} 2.0' in merged
    assert "swf_demo_seconds_count 2.0" in merged


def test_merging_one_exposition_changes_no_value() -> None:
    """A single process's metrics come through unchanged."""
    single = _exposition(completed=4, latencies=[0.2, 2.0])
    merged = merge_expositions(single).decode()
    assert 'swf_demo_total{kind="a"} 4.0' in merged
    assert 'swf_demo_seconds_bucket{le="+Inf"} 2.0' in merged
