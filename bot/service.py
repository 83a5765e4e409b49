"""The application service: one method per thing a user can do, shared by Slack and the terminal.

Each method is one serialised turn on the thread's session: the store's `turn()`
locks the thread and loads the session, the pure interview decides the reply,
and the staged session is written when the turn ends without an error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.adapters import metrics
from bot.domain.recommendation import ScalarFact
from bot.domain.requirements import FIELD_NAMES
from bot.interview.commands import Command, parse_command
from bot.interview.conversation import WELCOME_TEXT, Interview, clip_message
from bot.interview.extraction import Extraction
from bot.interview.replies import Decision, Notice, Reply
from bot.interview.session import Session, SessionKey, SessionStatus
from bot.ports import Extractor, HistoryEntry, SessionStore

EXPIRED_TEXT = (
    "I no longer have this interview (it expired or could not be read). "
    "Mention me with your use case, or use `/should-we-finetune`, to start a new one."
)


def with_typed_choices(extraction: Extraction, typed: dict[str, ScalarFact]) -> Extraction:
    """The extraction with typed choices laid over it: a choice is an exact answer."""
    if not typed:
        return extraction
    return extraction.model_copy(
        update={
            "facts": {**extraction.facts, **typed},
            "corrected": sorted({*extraction.corrected, *typed}),
            "unknown": [f for f in extraction.unknown if f not in typed],
            "rejected": {f: m for f, m in extraction.rejected.items() if f not in typed},
        }
    )


@dataclass(frozen=True)
class Outcome:
    reply: Reply
    session: Session | None


def _with_notice(reply: Reply, notice: str | None) -> Reply:
    if notice is None:
        return reply
    return reply.model_copy(update={"notices": [notice, *reply.notices]})


class Interviewer:
    def __init__(
        self,
        *,
        store: SessionStore,
        extractor: Extractor,
        interview: Interview,
        clock: Callable[[], float] = time.time,
        extractor_notice: str | None = None,
    ) -> None:
        self._store = store
        self._extractor = extractor
        self._interview = interview
        self._clock = clock
        # Said once per interview, e.g. that the offline rules are in use (no Claude key).
        self._extractor_notice = extractor_notice

    async def start(self, key: SessionKey, *, user_id: str | None, text: str) -> Outcome:
        """A new interview in this thread (replacing any earlier one), opened with `text`."""
        text, clip_notice = clip_message(text)
        async with self._store.turn(key) as turn:
            session = self._interview.begin(key, user_id=user_id, now=self._clock())
            session, reply = await self._process(session, text)
            turn.stage(session)
        metrics.INTERVIEWS_STARTED.inc()
        reply = _with_notice(_with_notice(reply, clip_notice), self._extractor_notice)
        return await self._finish(None, session, reply)

    async def reply(self, key: SessionKey, *, user_id: str | None, text: str) -> Outcome | None:
        """A message in the thread; None when the thread has no interview (so it is ignored)."""
        text, clip_notice = clip_message(text)
        async with self._store.turn(key) as turn:
            before = turn.session
            if before is None:
                return Outcome(Notice(text=EXPIRED_TEXT), None) if turn.discarded else None
            session, reply = await self._process(before, text)
            turn.stage(session)
        return await self._finish(before, session, _with_notice(reply, clip_notice))

    async def answer(
        self, key: SessionKey, *, user_id: str | None, field: str, value: ScalarFact, label: str
    ) -> Outcome:
        """A button or menu click answering `field`; `None` means "not sure"."""
        if field not in FIELD_NAMES:
            return Outcome(
                Notice(text="That button is not one I know; please answer in text."), None
            )
        async with self._store.turn(key) as turn:
            before = turn.session
            if before is None:
                return Outcome(Notice(text=EXPIRED_TEXT), None)
            session, reply = self._interview.on_answer(
                before, field=field, value=value, label=label, now=self._clock()
            )
            turn.stage(session)
        return await self._finish(before, session, reply)

    async def decide_now(self, key: SessionKey, *, user_id: str | None) -> Outcome:
        return await self._command(key, Command.DECIDE_NOW)

    async def start_over(self, key: SessionKey, *, user_id: str | None) -> Outcome:
        async with self._store.turn(key) as turn:
            session = turn.session or self._interview.begin(key, user_id=user_id, now=self._clock())
            session, reply = self._interview.on_command(
                session, Command.START_OVER, now=self._clock()
            )
            turn.stage(session)
        metrics.INTERVIEWS_STARTED.inc()
        return Outcome(reply, session)

    async def explain(self, key: SessionKey, *, user_id: str | None) -> Outcome:
        return await self._command(key, Command.EXPLAIN)

    async def edit(
        self, key: SessionKey, *, user_id: str | None, facts: dict[str, ScalarFact]
    ) -> Outcome:
        """The *Edit answers* form: re-run the engine on the edited facts."""
        async with self._store.turn(key) as turn:
            before = turn.session
            start = before or self._interview.begin(key, user_id=user_id, now=self._clock())
            session, reply = self._interview.on_edit(start, facts=facts, now=self._clock())
            turn.stage(session)
        return await self._finish(before, session, reply)

    async def aclose(self) -> None:
        """Close the extractor (the store belongs to whoever built it, and is closed there)."""
        await self._extractor.aclose()

    async def current(self, key: SessionKey) -> Outcome | None:
        """The thread's latest recommendation, recomputed from its stored facts."""
        session = await self._store.load(key)
        if session is None or session.status is not SessionStatus.DECIDED:
            return None
        return Outcome(self._interview.decision(session), session)

    async def _command(self, key: SessionKey, command: Command) -> Outcome:
        async with self._store.turn(key) as turn:
            before = turn.session
            if before is None:
                return Outcome(Notice(text=EXPIRED_TEXT), None)
            session, reply = self._interview.on_command(before, command, now=self._clock())
            turn.stage(session)
        return await self._finish(before, session, reply)

    async def _process(self, session: Session, text: str) -> tuple[Session, Reply]:
        command = parse_command(text)
        if command is not None:
            return self._interview.on_command(session, command, now=self._clock())
        if not text:
            return session, Notice(text=WELCOME_TEXT)
        typed = self._interview.typed_choices(session, text)
        if typed and set(typed) >= set(session.pending):
            # Every question was answered with one of its choices: no extraction needed.
            extraction = Extraction(facts=typed, corrected=list(typed))
        else:
            extraction = await self._extractor.extract(
                text=text, known=session.requirements, asked=list(session.pending)
            )
            extraction = with_typed_choices(extraction, typed)
        return self._interview.on_message(
            session, text=text, extraction=extraction, now=self._clock()
        )

    async def _finish(self, before: Session | None, session: Session, reply: Reply) -> Outcome:
        """Count a fresh decision and keep it in the history."""
        if isinstance(reply, Decision) and not reply.detail:
            approach = reply.recommendation.approach.value
            metrics.RECOMMENDATIONS.labels(approach=approach).inc()
            if before is None or before.status is not SessionStatus.DECIDED:
                metrics.INTERVIEWS_COMPLETED.inc()
            await self._store.add_history(
                HistoryEntry(
                    key=session.key,
                    user_id=session.user_id,
                    approach=approach,
                    confidence=reply.recommendation.confidence,
                    use_case=reply.requirements.use_case,
                    decided_at=self._clock(),
                )
            )
        return Outcome(reply, session)
