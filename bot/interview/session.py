"""One interview's state, stored per workspace, channel and thread.

Serialised as versioned JSON; a store that reads another `schema_version`
treats the session as expired rather than guessing at its shape.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.recommendation import ScalarFact
from bot.domain.requirements import Requirements

SCHEMA_VERSION: Literal[1] = 1
# A turn's text is kept for context, not as a transcript: long pastes are cut
# so that a typical session stays well under the store's size bound.
TURN_TEXT_MAX_CHARS = 280


class FactSource(StrEnum):
    STATED = "stated"  # the user said it
    INFERRED = "inferred"  # implied by what the user said (a KB size implies knowledge)
    ASSUMED = "assumed"  # the engine's default, used because the user did not know
    CORRECTED = "corrected"  # the user changed an earlier answer


class SessionStatus(StrEnum):
    INTERVIEWING = "interviewing"
    DECIDED = "decided"


class FactOrigin(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: FactSource
    turn: int = Field(ge=0)


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "bot"]
    text: str = ""
    fields: list[str] = Field(default_factory=list)  # facts this turn stated or asked about
    at: float


class SessionKey(BaseModel):
    """Where a session lives; also the unit of isolation between conversations."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    team_id: str = Field(min_length=1, max_length=64)
    channel_id: str = Field(min_length=1, max_length=64)
    thread_ts: str = Field(min_length=1, max_length=64)


class Session(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = SCHEMA_VERSION
    key: SessionKey
    user_id: str | None = None
    status: SessionStatus = SessionStatus.INTERVIEWING
    facts: dict[str, ScalarFact] = Field(default_factory=dict)
    origins: dict[str, FactOrigin] = Field(default_factory=dict)
    declined: list[str] = Field(default_factory=list)  # asked, and the user did not know
    pending: list[str] = Field(default_factory=list)  # asked in the latest round, still open
    round_fields: list[str] = Field(default_factory=list)  # everything the latest round asked
    asked: list[str] = Field(default_factory=list)  # every field asked so far
    rounds: int = 0
    turns: list[Turn] = Field(default_factory=list)
    last_approach: str | None = None
    # The ts of the thread's recommendation card, so later changes update it in place.
    card_ts: str | None = None
    created_at: float
    updated_at: float

    @property
    def requirements(self) -> Requirements:
        return Requirements.model_validate(self.facts)

    @property
    def turn_count(self) -> int:
        return sum(1 for turn in self.turns if turn.role == "user")
