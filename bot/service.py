"""The application service: one method per thing a user can do, shared by Slack and the terminal.

Each method is one serialised turn on the thread's session: the store's `turn()`
locks the thread and loads the session, the pure interview decides the reply,
and the staged session is written when the turn ends without an error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.recommendation import ScalarFact
from bot.domain.requirements import FIELD_NAMES
from bot.interview.commands import Command, parse_command
from bot.interview.conversation import WELCOME_TEXT, Interview, clip_message
from bot.interview.extraction import Extraction
from bot.interview.replies import Decision, Notice, Questions, Reply
from bot.interview.session import Session, SessionKey, SessionStatus
from bot.ports import Extractor, HistoryEntry, InterviewEvents, NoEvents, SessionStore

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
    """What a service call returns: the reply, the session after it, and how to deliver it."""

    reply: Reply
    session: Session | None
    # The question card a click answered, redrawn from the session (each question's state).
    card: Questions | None = None
    # Nothing to post: chatter in a thread, or a click whose card is updated in place.
    silent: bool = False
    # Tell only this user (e.g. someone other than the starter asked to start over).
    private_to: str | None = None


NOT_THE_STARTER_TEXT = (
    "Only the person who started this interview can start it over. Anyone in the thread can "
    "answer the questions, say `decide now`, or ask what would change the recommendation."
)


def _not_the_starter(session: Session | None, user_id: str | None) -> bool:
    return bool(session and session.user_id and user_id and user_id != session.user_id)


def _with_notice(reply: Reply, notice: str | None) -> Reply:
    if notice is None:
        return reply
    return reply.model_copy(update={"notices": [notice, *reply.notices]})


class InterviewService:
    """The interviews, one method per user action; each is one serialised turn on a thread."""

    def __init__(
        self,
        *,
        store: SessionStore,
        extractor: Extractor,
        interview: Interview,
        clock: Callable[[], float] = time.time,
        extractor_notice: str | None = None,
        events: InterviewEvents | None = None,
    ) -> None:
        self._store = store
        self._extractor = extractor
        self._interview = interview
        self._clock = clock
        # Said once per interview, e.g. that the offline rules are in use (no Claude key).
        self._extractor_notice = extractor_notice
        # Counted by the metrics adapter under `serve`; nothing by default.
        self._events: InterviewEvents = events or NoEvents()

    async def start(self, key: SessionKey, *, user_id: str | None, text: str) -> Outcome:
        """A new interview in this thread (replacing any earlier one), opened with `text`."""
        text, clip_notice = clip_message(text)
        async with self._store.turn(key) as turn:
            session = self._interview.begin(key, user_id=user_id, now=self._clock())
            processed, reply = await self._process(session, text)
            session = processed or session
            turn.stage(session)
        self._events.interview_started()
        reply = _with_notice(_with_notice(reply, clip_notice), self._extractor_notice)
        return await self._finish(None, session, reply)

    async def reply(
        self, key: SessionKey, *, user_id: str | None, text: str, addressed: bool = True
    ) -> Outcome | None:
        """A message in the thread; None when the thread has no interview (so it is ignored).

        A message not `addressed` to the bot (a thread reply without a mention) is answered
        only when it answers a question, states facts or is a command: otherwise silence.
        """
        text, clip_notice = clip_message(text)
        async with self._store.turn(key) as turn:
            before = turn.session
            if before is None:
                return Outcome(Notice(text=EXPIRED_TEXT), None) if turn.discarded else None
            if parse_command(text) is Command.START_OVER and _not_the_starter(before, user_id):
                return Outcome(Notice(text=NOT_THE_STARTER_TEXT), before, private_to=user_id)
            session, reply = await self._process(before, text, addressed=addressed)
            if session is None:
                return Outcome(Notice(text=""), before, silent=True)
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
        outcome = await self._finish(before, session, reply)
        if field not in before.round_fields:
            return outcome  # a card from an earlier round: its click is answered in the thread
        card = self._interview.card_after(before, session)
        # Part of the round is still open: the card shows it, so nothing new is posted.
        goes_on = isinstance(reply, Questions) and reply.continued
        return Outcome(outcome.reply, outcome.session, card=card, silent=goes_on)

    async def decide_now(self, key: SessionKey, *, user_id: str | None) -> Outcome:
        return await self._command(key, Command.DECIDE_NOW)

    async def start_over(self, key: SessionKey, *, user_id: str | None) -> Outcome:
        async with self._store.turn(key) as turn:
            if _not_the_starter(turn.session, user_id):
                return Outcome(Notice(text=NOT_THE_STARTER_TEXT), turn.session, private_to=user_id)
            session = turn.session or self._interview.begin(key, user_id=user_id, now=self._clock())
            session, reply = self._interview.on_command(
                session, Command.START_OVER, now=self._clock()
            )
            turn.stage(session)
        self._events.interview_started()
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

    async def _process(
        self, session: Session, text: str, *, addressed: bool = True
    ) -> tuple[Session | None, Reply]:
        """The next session and reply; no session (and nothing to say) when a message not
        addressed to the bot turns out to answer nothing."""
        command = parse_command(text)
        if command is not None:
            return self._interview.on_command(session, command, now=self._clock())
        if not text:
            return (session, Notice(text=WELCOME_TEXT)) if addressed else (None, Notice(text=""))
        typed = self._interview.typed_choices(session, text)
        if typed and set(typed) >= set(session.pending):
            # Every question was answered with one of its choices: no extraction needed.
            extraction = Extraction(facts=typed, corrected=list(typed))
        else:
            extraction = await self._extractor.extract(
                text=text, known=session.requirements, asked=list(session.pending)
            )
            extraction = with_typed_choices(extraction, typed)
        if not addressed and not (extraction.facts or extraction.unknown or extraction.rejected):
            return None, Notice(text="")
        return self._interview.on_message(
            session, text=text, extraction=extraction, now=self._clock()
        )

    async def _finish(self, before: Session | None, session: Session, reply: Reply) -> Outcome:
        """Count a fresh decision and keep it in the history."""
        if isinstance(reply, Decision) and not reply.detail:
            approach = reply.recommendation.approach.value
            first = before is None or before.status is not SessionStatus.DECIDED
            self._events.recommended(approach, first_for_this_interview=first)
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
