"""The numbers the rules turn on, each with where it comes from (docs/design.md §5)."""

from __future__ import annotations

# Knowledge under about 200k tokens (~500 pages) fits a cached prompt instead of
# retrieval (Anthropic, "Introducing Contextual Retrieval", 2024).
CACHED_PROMPT_MAX_TOKENS = 200_000

# Fewer curated examples than this and fine-tuning is not feasible yet: OpenAI asks
# for 10 minimum with gains from 50-100, Vertex for 100+, Azure for hundreds+.
MIN_LABELLED_EXAMPLES = 50

# A gap above this many points between target and best prompt is "large".
LARGE_GAP_PP = 5.0

# Below this p95 only a small (tuned) model answers in time: real-time and edge work.
REALTIME_LATENCY_MS = 300

# Retrieval's own p95 (embedding the query, the index lookup): RAG adds roughly
# 15-150 ms, so on the retrieval route a prompted large model has that much less time.
RETRIEVAL_LATENCY_MS = 150

# On hardware a team runs itself, a large open model rarely meets a sub-second p95.
ON_PREM_SMALL_MODEL_LATENCY_MS = 1_000

# Distillation is worth it only when it pays back within about 6-12 months; the
# lower end, because base models are retired every 12-18 months and retraining
# resets the clock.
PAYBACK_MAX_MONTHS = 6.0

# How often base models are retired, forcing a retrain of any tuned model.
BASE_MODEL_RETIREMENT_MONTHS = "12-18"
