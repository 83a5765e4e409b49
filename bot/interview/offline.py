"""The offline extractor: facts from a message by rules and tables, with no API key.

It reads a whole description (nothing asked yet) or a short answer to the
fields the bot just asked about. User text can only state facts: there is no
phrase that changes the engine's rules or the bot's instructions, a value
outside a field's range is rejected with a message naming the allowed values,
and a number whose meaning the words around it don't pin down is left for the
bot to ask about rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

from pydantic import ValidationError

from bot.domain.recommendation import ScalarFact
from bot.domain.requirements import FIELD_NAMES, Requirements
from bot.interview import answer_vocabulary as answers
from bot.interview import vocabulary as vocab
from bot.interview.amounts import (
    NUMERIC_FIELDS,
    as_field_type,
    read_asked_amount,
    read_stated_amounts,
)
from bot.interview.assignments import read_assignments
from bot.interview.extraction import Extraction
from bot.interview.gap import read_gap
from bot.interview.phrases import (
    BOOLEAN_FIELDS,
    first_cue,
    needs_external_knowledge,
    read_asked_phrase,
    read_stated_phrases,
)
from bot.interview.plaintext import is_substantial, sentences, to_plain_text, without_greeting
from bot.interview.quantities import find_quantities
from bot.interview.rejection import rejection_reason
from bot.interview.segments import answer_segments, ordered_parts, without_list_numbers

USE_CASE_MAX_CHARS: Final = 200
# Slack allows 40k characters; the facts of a use case come in the first few thousand.
MAX_TEXT_CHARS: Final = 20_000
# Extra plausibility bounds beyond the schema's: $100 a request is a misread, not a price.
PLAUSIBLE_MAX: Final[dict[str, int]] = {
    "cost_per_request_usd": 100,
    "finetuned_cost_per_request_usd": 100,
}
_WANT: Final = re.compile(
    r"\b(?:we want|we'd like|we would like|wants?|we need to|we're adding|we're building"
    r"|we generate|we classify|we map|we normali[sz]e|looking to|like to)\b",
    re.IGNORECASE,
)
# A short answer to "what are you building?" must say something: a task, a want, or at least
# two words one of which is ordinary English ("month" or "asdf qwer" is not a use case).
USE_CASE_MIN_WORDS: Final = 2
_ORDINARY_WORDS: Final = re.compile(
    r"\b(?:a|an|the|to|for|of|our|we|my|that|which|and|with|from|in|on|about|by|into|it|is"
    r"|bot|app|tool|assistant|model|agent|system|pipeline|service|support|customer\w*|user\w*"
    r"|team|staff|tickets?|emails?|calls?|questions?|answers?|docs?|documents?|reports?"
    r"|contracts?|invoices?|code|products?|search|chat\w*|helper|triage|reviews?|notes)\b",
    re.IGNORECASE,
)
# A reply this short answers only what was asked.
TERSE_ANSWER_MAX_WORDS: Final = 4
_KNOWLEDGE_FACTS: Final = ("kb_size_docs", "kb_size_tokens", "knowledge_volatility")


class OfflineExtractor:
    """The rule-based `bot.ports.Extractor`, used when no Anthropic key is configured."""

    async def extract(self, *, text: str, known: Requirements, asked: Sequence[str]) -> Extraction:
        return extract_offline(text, known=known, asked=asked)

    async def aclose(self) -> None:
        """Nothing to release: the rules hold no connections."""


def extract_offline(text: str, *, known: Requirements, asked: Sequence[str]) -> Extraction:
    """Facts stated in `text`, given what is already known and what the bot just asked."""
    # Every read below, of a part or of the whole, sees values only: no list numbers.
    plain = without_list_numbers(to_plain_text(text[:MAX_TEXT_CHARS]))
    if not plain:
        return Extraction(source="offline")
    asked_fields = [field for field in dict.fromkeys(asked) if field in FIELD_NAMES]
    facts: dict[str, Any] = {}
    corrections: dict[str, Any] = {}
    unknown: list[str] = []
    segments = _reordered(answer_segments(plain, asked_fields))
    for segment, segment_asked in segments:
        segment_facts, segment_corrected = _read_with_corrections(segment, asked=segment_asked)
        for field, value in segment_facts.items():
            if field in segment_asked or field not in facts:
                facts[field] = value
        corrections |= {field: segment_facts[field] for field in segment_corrected}
        unknown += _unknown_fields(segment, stated=segment_facts, asked=segment_asked)
    missing = [field for field in asked_fields if field not in facts]
    # In parts read one by one, a "not sure" part settles its question ("not sure; strong").
    settled = [field for field in missing if field not in unknown]
    if len(segments) > 1 and settled:
        # Parts cut in the wrong place ("0.78 F1 on our test set, we need 0.85"): the whole
        # message may still answer what no single part did.
        whole = _read_facts(plain, asked=settled)
        # A number already given to another question is not also this one's answer.
        used = [v for v in facts.values() if _is_amount(v)]
        facts |= {
            f: whole[f]
            for f in settled
            if f in whole and not (_is_amount(whole[f]) and whole[f] in used)
        }
    elif len(segments) == 1 and missing and len(asked_fields) > 1:
        # Read as a whole, some questions are still open: "no and no", "on prem / regulated":
        # answers in order fill the gaps, each part read for its own question.
        parts = ordered_parts(plain, len(asked_fields), loose=True)
        positional = _reordered([(part, [f]) for part, f in zip(parts, asked_fields, strict=False)])
        for part, (field,) in ((p, f) for p, f in positional if len(f) == 1):
            if (
                field in missing
                and (value := _read_facts(part, asked=[field]).get(field)) is not None
            ):
                facts[field] = value
    if not asked_fields and known.known():
        # No question open (a what-if, or news after a recommendation): a message about a
        # topic is read as the answer to that topic's question.
        for field in dict.fromkeys(str(f) for p, f in answers.TOPICS if p.search(plain)):
            if (
                field not in facts
                and (value := _read_facts(plain, asked=[field]).get(field)) is not None
            ):
                facts[field] = value
    if asked_fields:
        facts |= _unasked_answers(plain, asked=asked_fields, stated=facts)
    facts |= corrections  # "actually ..." wins over anything else in the message
    # A first message that states no fact is chatter (or an attempt at instructions), not
    # a description, so it is not taken for the use case either.
    if not asked_fields and not known.known() and facts and "use_case" not in facts:
        facts["use_case"] = summarise_use_case(segments[0][0] or plain)
    valid, rejected = _validate(facts, known=known)
    unknown_fields = [field for field in dict.fromkeys(unknown) if field not in facts]
    unread = not (valid or rejected or unknown_fields) and bool(asked_fields)
    return Extraction(
        facts=valid,
        corrected=[field for field in corrections if field in valid],
        unknown=unknown_fields,
        rejected=rejected,
        source="offline",
        unread_reason=unread_reason(plain) if unread else None,
    )


# Reasons a reply to the questions gave nothing to read, said back in plain words.
_NOT_A_NUMBER: Final = re.compile(r"\b(?:NaN|inf(?:inity)?|undefined|null)\b", re.IGNORECASE)
_LETTER: Final = re.compile(r"[^\W\d_]")
_ENGLISH_WORD: Final = re.compile(
    r"\b(?:the|we|it|is|a|an|and|of|to|yes|no|our|in|for|not|about|per|month|with)\b",
    re.IGNORECASE,
)


def unread_reason(text: str) -> str | None:
    """Why `text` answers nothing, when there is a reason worth saying (None otherwise)."""
    if not _LETTER.search(text) and not re.search(r"\d", text):
        return "That reply has only emoji or symbols in it, so there was no answer to read."
    if _NOT_A_NUMBER.search(text):
        return (
            "That isn't a figure I can use (not a number); please give an amount like “about 50k”."
        )
    letters = _LETTER.findall(text)
    foreign = any(not ch.isascii() for ch in letters)
    if foreign and not _ENGLISH_WORD.search(text):
        return (
            "Without a Claude key I read English only; please answer in English "
            "(a word or a number per question is enough)."
        )
    return None


# Answer words that belong to one question only ("some time", "prod", "managed APIs") may
# answer it unasked; level words ("high", "general", "weekly", "standard terminology") need
# their topic named too.
_UNASKED_BY_WORDS: Final = (
    "team_ml_capability",
    "maintenance_capacity",
    "project_stage",
    "deployment_target",
)
_UNASKED_BY_TOPIC: Final = (
    "data_privacy",
    "style_consistency_need",
    "domain_specialization",
    "output_format_strictness",
    "knowledge_volatility",
)
UNASKED_PART_MAX_WORDS: Final = 3
_PARTS: Final = re.compile(r"\s*(?:[,;\n]|\s/\s)\s*")


def _unasked_answers(text: str, *, asked: list[str], stated: dict[str, Any]) -> dict[str, Any]:
    """Parts of a reply that answer none of the questions asked but one the bot did not
    ask ("managed APIs, some time, production" while the knowledge questions are open).
    A part is read for another question only when exactly one question reads it, and its
    topic is named or its words are that question's own; otherwise it is left alone."""
    found: dict[str, Any] = {}
    for part in filter(None, (p.strip(" .-*•") for p in _PARTS.split(text))):
        if any(f in _read_facts(part, asked=asked) for f in asked):
            continue
        topics = {str(f) for pattern, f in answers.TOPICS if pattern.search(part)}
        short = len(part.split()) <= UNASKED_PART_MAX_WORDS
        readings = {
            field: value
            for field in (*_UNASKED_BY_WORDS, *_UNASKED_BY_TOPIC)
            if field not in asked
            and (value := _read_facts(part, asked=[field]).get(field)) is not None
        }
        if len(readings) != 1:
            continue  # nothing, or a word several questions could take: not guessed
        ((field, value),) = readings.items()
        by_words = field in _UNASKED_BY_WORDS and short
        if field not in stated and field not in found and (by_words or field in topics):
            found[field] = value
    return found


def _is_amount(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _reordered(segments: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Positional answers given in another order ("prod, and one engineer part-time" to
    "who maintains it? what stage?"): a part that says nothing about its own question but
    answers another one asked goes to that one instead."""
    positional = [fields[0] for _, fields in segments if len(fields) == 1]
    if len(positional) < 2 or len(positional) != len(segments):
        return segments
    answered = {
        field: bool(_read_facts(part, asked=[field]).get(field) is not None)
        for part, (field,) in ((part, fields) for part, fields in segments)
    }
    result: list[tuple[str, list[str]]] = []
    taken = {field for field, ok in answered.items() if ok}
    for part, fields in segments:
        if answered[fields[0]]:
            result.append((part, fields))
            continue
        other = next(
            (
                f
                for f in positional
                if f not in taken and _read_facts(part, asked=[f]).get(f) is not None
            ),
            None,
        )
        if other is not None:
            taken.add(other)
            result.append((part, [other]))
        else:
            result.append((part, fields))
    return result


def _read_with_corrections(text: str, *, asked: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Facts in `text`, where what follows "actually" or "I meant" overrides what precedes."""
    head, tail = _split_at_correction(text)
    facts = _read_facts(head, asked=asked) if head else {}
    if not tail:
        return facts, []
    later = _read_facts(tail, asked=asked)
    return {**facts, **later}, list(later)


def summarise_use_case(text: str) -> str:
    """The sentence that says what is wanted (else the first one), trimmed for a summary."""
    parts = sentences(without_greeting(text)) or [text]
    parts = [part for part in parts if is_substantial(part)] or parts
    chosen = next((part for part in parts if _WANT.search(part)), parts[0])
    if len(chosen) <= USE_CASE_MAX_CHARS:
        return chosen
    return chosen[: USE_CASE_MAX_CHARS - 1].rsplit(" ", 1)[0] + "…"


def says_what_is_built(text: str) -> bool:
    """Whether a short reply reads as a use case: it names a task or a want, or it has a few
    words of ordinary English rather than a stray word or keyboard noise."""
    if first_cue(text, vocab.TASK_TYPE) is not None:
        return True
    if _WANT.search(text):
        return True
    return len(text.split()) >= USE_CASE_MIN_WORDS and _ORDINARY_WORDS.search(text) is not None


def _split_at_correction(text: str) -> tuple[str, str]:
    """The text before the last correction cue, and what follows it (empty when none)."""
    cues = list(answers.CORRECTION.finditer(text))
    if not cues:
        return text, ""
    return text[: cues[-1].start()].strip(), text[cues[-1].end() :].strip(" ,:-")


# "no to both", "yes to all three": one answer for every yes/no question asked.
_TO_ALL: Final = re.compile(
    r"^\W*(?P<answer>yes|no)\W+(?:to\s+)?(?:both|all(?: of them| three)?)\b", re.IGNORECASE
)


def _read_facts(text: str, *, asked: Sequence[str]) -> dict[str, Any]:
    quantities = find_quantities(text)
    facts: dict[str, Any] = {}
    if to_all := _TO_ALL.match(text):
        is_yes = to_all.group("answer").lower() == "yes"
        facts |= {field: is_yes for field in asked if field in BOOLEAN_FIELDS}
    taken: set[int] = set()
    first_boolean = next((field for field in asked if field in BOOLEAN_FIELDS), None)
    for field in asked:
        value = _read_asked(field, text, quantities, taken, yes_no=field == first_boolean)
        if value is not None:
            facts[field] = value
    strict = bool(asked)  # in a short answer, only numbers with a clear unit count
    for field, (amount, index) in read_stated_amounts(
        text, quantities, skip=taken, strict=strict
    ).items():
        if field not in facts:
            facts[field] = as_field_type(field, amount)
            taken.add(index)
    if "prompt_baseline_gap_pp" not in facts and (gap := read_gap(text, quantities)) is not None:
        facts["prompt_baseline_gap_pp"] = gap
    if "labelled_examples" not in facts and vocab.NO_EXAMPLES.search(text):
        facts["labelled_examples"] = 0
    # "House template or DSL" answers the format question; in so short a reply its words
    # are not also a statement about the domain. A short reply that answers nothing asked
    # ("citations required btw", "we're still prototyping") is news about another topic.
    answers_asked = any(field in facts for field in asked)
    terse = answers_asked and len(text.split()) <= TERSE_ANSWER_MAX_WORDS
    for field, phrase in read_stated_phrases(text).items():
        if not terse or field in asked:
            facts.setdefault(field, phrase)
    if "needs_external_knowledge" not in facts:
        has_knowledge = any(field in facts for field in _KNOWLEDGE_FACTS)
        knowledge = needs_external_knowledge(text, has_knowledge_facts=has_knowledge)
        if knowledge is not None:
            facts["needs_external_knowledge"] = knowledge
    facts.update(read_assignments(text))
    return facts


def _read_asked(
    field: str, text: str, quantities: list[Any], taken: set[int], *, yes_no: bool
) -> ScalarFact:
    if field == "use_case":
        if answers.DONT_KNOW.search(text) or not says_what_is_built(text):
            return None
        return text[:USE_CASE_MAX_CHARS]
    if field in NUMERIC_FIELDS:
        if field == "prompt_baseline_gap_pp":
            return _read_asked_gap(text, quantities)
        if answers.DONT_KNOW.search(text) and not quantities:
            return None
        if field in _KNOWLEDGE_FACTS and vocab.NO_EXTERNAL_KNOWLEDGE.search(text):
            return None  # "no knowledge base needed" has no size, not a size of zero
        found = read_asked_amount(text, quantities, field=field, taken=taken)
        if found is None:
            return None
        amount, index = found
        if index is not None:
            taken.add(index)
        return as_field_type(field, amount)
    return read_asked_phrase(field, text, yes_no=yes_no)


# A lone number answers "how far is prompting from the target?" only as a gap ("about 7",
# "7 points"), never when it is a score ("we're at 71", "0.78 F1").
_SCORE_WORDS: Final = re.compile(
    r"\b(?:at|currently|score[sd]?|accuracy|F1|precision|recall|hit|get|gets|getting|evals? say)\b"
    r"|%",
    re.IGNORECASE,
)


def _read_asked_gap(text: str, quantities: list[Any]) -> ScalarFact:
    if (gap := read_gap(text, quantities, bare_scores=True)) is not None:
        return gap
    if len(quantities) != 1 or _SCORE_WORDS.search(text):
        return None
    found = read_asked_amount(text, quantities, field="prompt_baseline_gap_pp", taken=set())
    if found is None or not 1 <= abs(found[0]) <= 100:
        return None
    return as_field_type("prompt_baseline_gap_pp", found[0])


def _validate(
    facts: dict[str, Any], *, known: Requirements
) -> tuple[dict[str, ScalarFact], dict[str, str]]:
    valid: dict[str, ScalarFact] = {}
    rejected: dict[str, str] = {}
    for field, value in facts.items():
        try:
            Requirements.model_validate({field: value})
        except ValidationError:
            rejected[field] = rejection_reason(field, value)
            continue
        limit = PLAUSIBLE_MAX.get(field)
        if limit is not None and isinstance(value, int | float) and value > limit:
            rejected[field] = rejection_reason(field, value, limit=limit)
            continue
        valid[field] = value
    docs = valid.get("kb_size_docs", known.kb_size_docs)
    tokens = valid.get("kb_size_tokens", known.kb_size_tokens)
    is_new = "kb_size_docs" in valid or "kb_size_tokens" in valid
    if is_new and isinstance(docs, int) and isinstance(tokens, int) and 0 < tokens < docs:
        newer = "kb_size_tokens" if "kb_size_tokens" in valid else "kb_size_docs"
        del valid[newer]
        rejected[newer] = (
            f"A knowledge base of {docs:,} documents can't fit in {tokens:,} tokens: every "
            "document has at least one token. How big is it, in pages or tokens?"
        )
    return valid, rejected


def _unknown_fields(text: str, *, stated: dict[str, Any], asked: Sequence[str]) -> list[str]:
    """Fields the user said they don't know: those named, else those just asked."""
    if not answers.DONT_KNOW.search(text):
        return []
    candidates = answers.mentioned_fields(text) or list(asked)
    return [field for field in dict.fromkeys(candidates) if field not in stated]
