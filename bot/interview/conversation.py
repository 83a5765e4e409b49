"""The interview's state transitions: pure functions from (session, input) to (session, reply).

The service around it does the I/O (store, extractor); this module only decides
what the next turn looks like: which facts to keep, what to ask, when to decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from pydantic import ValidationError

from bot.domain.engine import decide
from bot.domain.fields import field_label, value_words
from bot.domain.pricing import Pricing
from bot.domain.recommendation import ScalarFact
from bot.domain.requirements import Requirements
from bot.domain.validation import describe_validation_error
from bot.interview.commands import Command
from bot.interview.extraction import Extraction
from bot.interview.inferred import (
    confirmation_question,
    inferred_to_confirm,
    unconfirmed_inferred,
)
from bot.interview.planner import MAX_QUESTIONS_PER_ROUND, plan_questions
from bot.interview.questions import QuestionBank
from bot.interview.replies import (
    Choice,
    Decision,
    Notice,
    Question,
    Questions,
    Reply,
    plain_value,
)
from bot.interview.segments import answer_segments
from bot.interview.session import (
    TURN_TEXT_MAX_CHARS,
    FactOrigin,
    FactSource,
    Session,
    SessionKey,
    SessionStatus,
    Turn,
)

MAX_MESSAGE_CHARS: Final = 4_000
MAX_ROUNDS: Final = 3

WELCOME_TEXT: Final = (
    "Tell me about the AI use case in a few sentences: what it does, what knowledge it needs "
    "and how often that changes, the output format, volume, latency, and what your team can "
    "do with ML. I'll ask only what could change the answer."
)
HELP_TEXT: Final = (
    "I help decide between *prompting*, *RAG*, *fine-tuning* or a hybrid for one use case. "
    "Describe it in this thread and answer my questions (buttons or free text). "
    "Say `decide now` to get a recommendation with the unknowns stated as assumptions, "
    "`start over` to begin again, `explain` for the scoring in detail. After a "
    'recommendation, tell me what changes ("what if we had 5M requests a month?") '
    "and I'll re-run the decision. Anyone in the thread can answer; only the person who "
    "started the interview can start it over."
)
UNCLEAR_TEXT: Final = (
    "I couldn't find an answer in that, so here are the questions again. "
    "Answer in your own words, say `not sure`, or `decide now`."
)
NOTHING_NEW_TEXT: Final = (
    "I didn't find any new facts in that. Tell me what changes (for example \"what if we had "
    '5M requests a month?"), or say `start over`.'
)


def clip_message(text: str) -> tuple[str, str | None]:
    """The part of `text` the interview reads, and a notice when it had to be cut."""
    text = text.strip()
    if len(text) <= MAX_MESSAGE_CHARS:
        return text, None
    return text[:MAX_MESSAGE_CHARS], (
        f"Your message was long, so I read only its first {MAX_MESSAGE_CHARS:,} characters."
    )


# Facts that matter only when answers need outside knowledge: asked in the same round as
# that question, they read as its follow-ups rather than as assumptions that it is needed.
KNOWLEDGE_FOLLOW_UPS: Final = frozenset({"kb_size_tokens", "kb_size_docs", "knowledge_volatility"})


def _conditional(questions: list[Question], *, asked: list[str]) -> list[Question]:
    """Knowledge follow-ups asked in the round of the knowledge question read "If so: ..."."""
    if "needs_external_knowledge" not in asked:
        return questions
    return [
        q.model_copy(update={"text": f"If so: {q.text[0].lower()}{q.text[1:]}"})
        if q.field in KNOWLEDGE_FOLLOW_UPS
        else q
        for q in questions
    ]


def withdraw_dependents(s: Session) -> None:
    """A follow-up ("If so: how often does it change?") goes once its parent is answered No."""
    if s.facts.get("needs_external_knowledge") is False:
        s.pending = [f for f in s.pending if f not in KNOWLEDGE_FOLLOW_UPS]
        s.round_fields = [f for f in s.round_fields if f not in KNOWLEDGE_FOLLOW_UPS]


def fact_words(field: str, value: ScalarFact) -> str:
    """A fact as a person says it: an enum by its words ("managed fine-tuning APIs"), a
    number or yes/no with its label ("requests a month: 40,000")."""
    if isinstance(value, str) and field != "use_case":
        return value_words(field, value)
    return f"{field_label(field).lower()}: {plain_value(value)}"


@dataclass(frozen=True)
class Interview:
    """The interview policy: question copy, pricing for the engine, and the round limit."""

    bank: QuestionBank
    pricing: Pricing
    max_rounds: int = MAX_ROUNDS

    def begin(self, key: SessionKey, *, user_id: str | None, now: float) -> Session:
        return Session(key=key, user_id=user_id, created_at=now, updated_at=now)

    def on_message(
        self, session: Session, *, text: str, extraction: Extraction, now: float
    ) -> tuple[Session, Reply]:
        """Apply what the user said, then ask the next questions or decide."""
        s = session.model_copy(deep=True)
        notices = [extraction.fallback_reason] if extraction.fallback_reason else []
        what_if = s.status is SessionStatus.DECIDED
        applied, conflicts, rejected = self._apply_facts(s, extraction, what_if=what_if)
        for field in extraction.unknown:
            if field not in s.facts and field not in s.declined:
                s.declined.append(field)
        s.turns.append(
            Turn(role="user", text=text[:TURN_TEXT_MAX_CHARS], fields=sorted(applied), at=now)
        )
        s.updated_at = now
        if what_if:
            if applied:
                return self._decide(s, notices=notices, now=now)
            problems = " ".join(rejected.values())
            return s, Notice(text=problems or NOTHING_NEW_TEXT, notices=notices)
        if (
            not applied
            and not extraction.unknown
            and not rejected
            and not conflicts
            and (s.rounds == 0 and not s.facts)
        ):
            return s, Notice(text=WELCOME_TEXT, notices=notices)
        unclear = not (applied or extraction.unknown or rejected or conflicts)
        partial = (
            self._round_goes_on(s, understood=applied, rejected=rejected, conflicts=conflicts)
            if s.pending and not unclear
            else None
        )
        if partial is not None:
            return s, partial.model_copy(update={"notices": [*notices, *partial.notices]})
        if unclear and s.pending:
            # Nothing in the reply answered anything: ask the same questions again (this
            # uses a round, so a user who never answers still gets a decision).
            notices.append(
                f"{extraction.unread_reason} {UNCLEAR_TEXT}"
                if extraction.unread_reason
                else UNCLEAR_TEXT
            )
            rejected = {field: "" for field in s.pending if field not in s.facts}
        return self._next(
            s, notices=notices, understood=applied, rejected=rejected, conflicts=conflicts, now=now
        )

    def on_answer(
        self, session: Session, *, field: str, value: ScalarFact, label: str, now: float
    ) -> tuple[Session, Reply]:
        """A button or menu click: authoritative for its field; `None` means "not sure"."""
        if value is None:
            extraction = Extraction(unknown=[field])
        else:
            extraction = Extraction(facts={field: value}, corrected=[field])
        return self.on_message(session, text=label, extraction=extraction, now=now)

    def on_command(
        self, session: Session, command: Command, *, now: float
    ) -> tuple[Session, Reply]:
        if command is Command.HELP:
            return session, Notice(text=HELP_TEXT)
        if command is Command.START_OVER:
            fresh = self.begin(session.key, user_id=session.user_id, now=now)
            return fresh, Notice(text=f"Starting over. {WELCOME_TEXT}")
        if command is Command.EXPLAIN and session.status is not SessionStatus.DECIDED:
            return session, Notice(
                text="There is no recommendation to explain yet: answer the questions above, "
                "or say `decide now`."
            )
        s = session.model_copy(deep=True)
        s.updated_at = now
        return self._decide(s, notices=[], now=now, detail=command is Command.EXPLAIN)

    def on_edit(
        self, session: Session, *, facts: dict[str, ScalarFact], now: float
    ) -> tuple[Session, Reply]:
        """The *Edit answers* form: the full set of facts replaces the known ones."""
        try:
            edited = Requirements.model_validate(facts).known()
        except ValidationError as exc:
            return session, Notice(text=describe_validation_error(exc))
        s = session.model_copy(deep=True)
        turn = s.turn_count + 1
        for field, value in edited.items():
            if s.facts.get(field) != value:
                s.origins[field] = FactOrigin(source=FactSource.CORRECTED, turn=turn)
        for field in set(s.facts) - set(edited):
            s.origins.pop(field, None)
        s.facts = edited
        s.turns.append(Turn(role="user", text="(edited answers)", fields=sorted(edited), at=now))
        s.updated_at = now
        return self._decide(s, notices=[], now=now)

    def typed_choices(self, session: Session, text: str) -> dict[str, ScalarFact]:
        """Answers typed as a choice's label or value ("A dedicated owner", "weekly"): each
        answer segment that names exactly one choice of the question it answers."""
        chosen: dict[str, ScalarFact] = {}
        for segment, fields in answer_segments(text, session.pending):
            wanted = " ".join(segment.lower().strip(" .!").split())
            matches = [
                (field, choice.value)
                for field in fields
                if field in self.bank.specs
                for choice in self.bank.specs[field].choices
                if wanted in (choice.label.lower(), str(choice.value).lower())
            ]
            if len(matches) == 1:
                chosen[matches[0][0]] = matches[0][1]
        return chosen

    def decision(self, session: Session) -> Decision:
        """The recommendation for what the session knows now (the engine is deterministic)."""
        requirements = session.requirements
        return Decision(
            requirements=requirements, recommendation=decide(requirements, self.pricing)
        )

    def _apply_facts(
        self, s: Session, extraction: Extraction, *, what_if: bool
    ) -> tuple[dict[str, ScalarFact], dict[str, tuple[ScalarFact, ScalarFact]], dict[str, str]]:
        """Merge the extraction into `s`; returns applied facts, conflicts and rejections."""
        applied: dict[str, ScalarFact] = {}
        conflicts: dict[str, tuple[ScalarFact, ScalarFact]] = {}
        rejected = dict(extraction.rejected)
        turn = s.turn_count + 1
        for field, value in extraction.facts.items():
            old = s.facts.get(field)
            try:
                merged = Requirements.model_validate({**s.facts, field: value}).known()
            except ValidationError as exc:
                rejected[field] = describe_validation_error(exc)
                continue
            new = merged.get(field)
            if new == old and field in s.pending and field in unconfirmed_inferred(s):
                # The answer to a confirmation question: the inferred value is now stated.
                s.origins[field] = FactOrigin(source=FactSource.STATED, turn=turn)
            if new is None or new == old:
                continue
            # An answer to the question just asked, an explicit correction, or a what-if after
            # a decision replaces the old value; anything else that contradicts it is asked about.
            corrected = field in extraction.corrected or field in s.pending or what_if
            if old is not None and not corrected and field != "use_case":
                conflicts[field] = (old, new)
                continue
            if old is not None and field == "use_case":
                continue
            s.facts[field] = new
            source = FactSource.CORRECTED if old is not None else FactSource.STATED
            if old is None and field in extraction.inferred:
                source = FactSource.INFERRED
            s.origins[field] = FactOrigin(source=source, turn=turn)
            if field in s.declined:
                s.declined.remove(field)
            applied[field] = new
        return applied, conflicts, rejected

    def _round_goes_on(
        self,
        s: Session,
        *,
        understood: dict[str, ScalarFact],
        rejected: dict[str, str],
        conflicts: dict[str, tuple[ScalarFact, ScalarFact]],
    ) -> Questions | None:
        """The round's open questions, asked again compactly, when part of it was answered;
        None when the round is complete (answered, skipped or withdrawn)."""
        withdraw_dependents(s)
        still_open = [f for f in s.pending if f not in s.facts and f not in s.declined]
        if not still_open:
            return None
        # A value refused for a question not on the card is asked about there too.
        still_open += [f for f in rejected if f in self.bank.specs and f not in still_open]
        # So is a fact that now contradicts an earlier answer ("2M, now 3M: which is right?").
        clashes = [
            self._conflict_question(f, old, new)
            for f, (old, new) in conflicts.items()
            if f in self.bank.specs and f not in still_open
        ]
        s.pending = [q.field for q in clashes] + still_open
        s.turns.append(Turn(role="bot", fields=list(s.pending), at=s.updated_at))
        questions = clashes + [
            self.bank.question(f, problem=rejected.get(f, "")) for f in still_open
        ]
        got = [fact_words(f, v) for f, v in understood.items() if f != "use_case"]
        open_labels = ", ".join(field_label(f).lower() for f in still_open)
        ack = (f"Got: {', '.join(got)}. " if got else "") + f"Still open: {open_labels}."
        problems = [p for f, p in rejected.items() if p and f not in self.bank.specs]
        return Questions(
            questions=_conditional(questions, asked=s.round_fields),
            round=s.rounds,
            max_rounds=self.max_rounds,
            notices=[*problems, ack],
            continued=True,
            answered=self.round_answers(s),
            asked=self.round_questions(s),
        )

    def card_after(self, before: Session, after: Session) -> Questions | None:
        """The question card of `before`'s round as `after` leaves it: each question's answer
        so far, the ones still open, the withdrawn ones gone. None when no round was open."""
        if not before.round_fields:
            return None
        s = before.model_copy(update={"facts": after.facts, "declined": after.declined})
        withdraw_dependents(s)
        same_round = after.rounds == before.rounds and after.round_fields == s.round_fields
        still_open = after.pending if same_round else []
        answered = {f: after.facts.get(f) for f in s.round_fields if f not in still_open}
        questions = self.round_questions(s)
        return Questions(
            questions=[q for q in questions if q.field not in answered],
            round=before.rounds,
            max_rounds=self.max_rounds,
            continued=True,
            answered=answered,
            asked=questions,
        )

    def round_answers(self, s: Session) -> dict[str, ScalarFact]:
        """The latest round's questions answered so far (None for "not sure")."""
        return {
            f: s.facts.get(f)
            for f in s.round_fields
            if f not in s.pending and (f in s.facts or f in s.declined)
        }

    def round_questions(self, s: Session) -> list[Question]:
        """The latest round's questions as asked, less any withdrawn since."""
        return _conditional(
            [self.bank.question(f) for f in s.round_fields if f in self.bank.specs],
            asked=s.round_fields,
        )

    def _next(
        self,
        s: Session,
        *,
        notices: list[str],
        understood: dict[str, ScalarFact],
        rejected: dict[str, str],
        conflicts: dict[str, tuple[ScalarFact, ScalarFact]],
        now: float,
    ) -> tuple[Session, Reply]:
        """Ask what could still change the answer; decide when nothing can or rounds ran out."""
        reask: list[Question] = []
        for field, (old, new) in conflicts.items():
            if field in self.bank.specs:
                reask.append(self._conflict_question(field, old, new))
        for field, problem in rejected.items():
            if field in self.bank.specs and field not in conflicts:
                reask.append(self.bank.question(field, problem=problem))
            elif problem:
                notices.append(problem)
        exclude = {*s.asked, *s.declined, *(q.field for q in reask)}
        # Inferred facts the answer could turn on are confirmed before new facts are asked.
        confirm = inferred_to_confirm(s, pricing=self.pricing, bank=self.bank, exclude=exclude)
        room = max(0, MAX_QUESTIONS_PER_ROUND - len(reask))
        reask += [confirmation_question(self.bank, f, s.facts[f]) for f in confirm[:room]]
        room = max(0, MAX_QUESTIONS_PER_ROUND - len(reask))
        fields = plan_questions(
            s.requirements, pricing=self.pricing, bank=self.bank, exclude=exclude, limit=room
        )
        questions = reask[:MAX_QUESTIONS_PER_ROUND] + [self.bank.question(f) for f in fields]
        questions = _conditional(questions, asked=[q.field for q in questions])
        if not questions or s.rounds >= self.max_rounds:
            return self._decide(s, notices=notices, now=now)
        s.rounds += 1
        s.pending = [q.field for q in questions]
        s.round_fields = list(s.pending)
        s.asked.extend(f for f in s.pending if f not in s.asked)
        s.turns.append(Turn(role="bot", fields=list(s.pending), at=now))
        return s, Questions(
            questions=questions,
            round=s.rounds,
            max_rounds=self.max_rounds,
            notices=notices,
            understood=understood,
            asked=questions,
            inferred=[f for f in understood if f in unconfirmed_inferred(s)],
        )

    def _conflict_question(self, field: str, old: ScalarFact, new: ScalarFact) -> Question:
        base = self.bank.question(field)
        before, after = plain_value(old), plain_value(new)
        return base.model_copy(
            update={
                "text": f"Earlier you said {before}, now {after}. Which is right?",
                "choices": [
                    Choice(label=before, value=old),
                    Choice(label=after, value=new),
                ],
            }
        )

    def _decide(
        self, s: Session, *, notices: list[str], now: float, detail: bool = False
    ) -> tuple[Session, Reply]:
        decision = self.decision(s)
        approach = decision.recommendation.approach.value
        changed_from = s.last_approach if s.last_approach not in (None, approach) else None
        s.status = SessionStatus.DECIDED
        s.last_approach = approach
        s.pending = []
        # Where each fact came from includes the defaults this decision stood on.
        turn = s.turn_count
        for assumption in decision.recommendation.assumptions:
            if assumption.field not in s.facts:
                s.origins[assumption.field] = FactOrigin(source=FactSource.ASSUMED, turn=turn)
        if not detail:
            s.turns.append(Turn(role="bot", text=f"recommended {approach}", at=now))
        return s, decision.model_copy(
            update={"notices": notices, "changed_from": changed_from, "detail": detail}
        )
