"""What an extractor returns for one user message, whichever extractor it was."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.recommendation import ScalarFact


class Extraction(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # New or changed facts, each already valid for its Requirements field.
    facts: dict[str, ScalarFact] = Field(default_factory=dict)
    # Fields the user explicitly corrected ("actually it's 5M a month").
    corrected: list[str] = Field(default_factory=list)
    # Fields the user said they do not know.
    unknown: list[str] = Field(default_factory=list)
    # Facts among `facts` whose value was inferred rather than stated: confirmed when decisive.
    inferred: list[str] = Field(default_factory=list)
    # Values the user gave that were rejected: field -> message naming the allowed values.
    rejected: dict[str, str] = Field(default_factory=dict)
    source: Literal["claude", "offline"] = "offline"
    # Set when Claude was configured but failed and the offline rules answered instead.
    fallback_reason: str | None = None
    # Why nothing could be read from a reply to the questions ("only emoji", "not a number").
    unread_reason: str | None = None
