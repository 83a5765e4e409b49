"""Where the knowledge an answer needs should come from: nowhere, the prompt, or retrieval."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.facts import Facts
from bot.domain.recommendation import Approach
from bot.domain.requirements import Volatility
from bot.domain.thresholds import CACHED_PROMPT_MAX_TOKENS


class KnowledgeRoute(StrEnum):
    NONE = "none"  # the request carries everything
    IN_PROMPT = "in_prompt"  # small and not realtime: a cached prompt, re-injected on change
    RETRIEVAL = "retrieval"  # too large for a prompt, or changing in real time


# For each route: the approach without fine-tuning and the one with it.
FAMILY: dict[KnowledgeRoute, tuple[Approach, Approach]] = {
    KnowledgeRoute.NONE: (Approach.PROMPTING, Approach.FINE_TUNING),
    KnowledgeRoute.IN_PROMPT: (Approach.PROMPTING, Approach.PROMPTING_FINE_TUNING),
    KnowledgeRoute.RETRIEVAL: (Approach.RAG, Approach.RAG_FINE_TUNING),
}


def route_knowledge(facts: Facts) -> KnowledgeRoute:
    """Size combined with volatility decides retrieval, not document count alone."""
    if not facts["needs_external_knowledge"]:
        return KnowledgeRoute.NONE
    if facts["knowledge_volatility"] == Volatility.REALTIME:
        return KnowledgeRoute.RETRIEVAL
    if facts["kb_size_tokens"] < CACHED_PROMPT_MAX_TOKENS:
        return KnowledgeRoute.IN_PROMPT
    return KnowledgeRoute.RETRIEVAL
