"""Which numeric fact each number in a message states.

A number becomes a fact only when its unit or the words around it say which
one: "8k questions a month" is a volume, "~4,000 docs" a knowledge-base size,
"$0.005 per request" after "a fine-tuned model would be" a tuned cost. Anything
else ("60 characters", "~900 accounts", "15 years") is left alone: a wrong fact
costs more than a question the bot asks later.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from typing import Final

from bot.interview import answer_vocabulary as answers
from bot.interview.quantities import Quantity, Unit

Amount = int | float

MONEY_FIELDS: Final = (
    "cost_per_request_usd",
    "finetuned_cost_per_request_usd",
    "finetune_fixed_cost_usd",
    "finetune_hosting_usd_per_month",
    "budget_monthly_usd",
)
MONTHLY_MONEY_FIELDS: Final = ("finetune_hosting_usd_per_month", "budget_monthly_usd")
PER_REQUEST_MONEY_FIELDS: Final = ("cost_per_request_usd", "finetuned_cost_per_request_usd")
TOKEN_FIELDS: Final = ("kb_size_tokens", "input_tokens_per_request", "output_tokens_per_request")
COUNT_FIELDS: Final = ("requests_per_month", "kb_size_docs", "labelled_examples")
NUMERIC_FIELDS: Final = (
    *COUNT_FIELDS,
    *TOKEN_FIELDS,
    *MONEY_FIELDS,
    "latency_target_ms",
    "prompt_baseline_gap_pp",
)
STATED_LATENCY_MAX_MS: Final = 3_600_000
INTEGER_FIELDS: Final = frozenset({*COUNT_FIELDS, *TOKEN_FIELDS, "latency_target_ms"})

CLAUSE_MAX_CHARS: Final = 200
# docs/design.md §5: "under about 200k tokens (about 500 pages)", so about 400 tokens a page.
# Used only when the user answers the token question in pages; descriptions never convert.
TOKENS_PER_PAGE: Final = 400
SECONDS_PER_MONTH: Final = 30 * 24 * 3600
PERIOD_PER_MONTH: Final = {
    "month": 1.0,
    "mo": 1.0,
    "day": 30.0,
    "week": 52 / 12,
    "quarter": 1 / 3,
    "year": 1 / 12,
    "hour": 30 * 24,
    "second": SECONDS_PER_MONTH,
}
_PERIOD_WORDS: Final = {
    "monthly": "month",
    "daily": "day",
    "weekly": "week",
    "quarterly": "quarter",
    "yearly": "year",
    "annually": "year",
    "hourly": "hour",
    "hr": "hour",
    "sec": "second",
    "s": "second",
}
# "1,000 pages that change weekly" says how often something changes, not a volume.
_NOT_CHANGE = r"(?!updat|chang|revis|refresh|publish|edit)"
_PERIOD = re.compile(
    rf"^(?:{_NOT_CHANGE}[^.,;:!?()\d]){{0,40}}?(?:\ba |\ban |\bper |\beach |/)\s*"
    r"(?P<period>month|mo|day|week|quarter|year|hour|hr|second|sec|s)\b"
    r"|^\s*(?:(?!updat|chang|revis|refresh)[\w-]+\s+){0,2}?every "
    r"(?P<every>month|day|week|quarter|year)\b"
    rf"|^(?:{_NOT_CHANGE}[^.,;:!?()\d]){{0,30}}?\b(?P<adverb>monthly|daily|weekly|quarterly)\b"
    r"|^\s*(?P<rate>qps|rps)\b",
    re.IGNORECASE,
)
_PER_ITEM = re.compile(
    r"^\s*(?:(?:per|a|an|each|/)\s*(?!month|year|week|day|quarter|second|million|thousand"
    r"|m?tok|\d)[a-z]|each\b)"
)
# "2 cents per request": the price of one request ("$1.70 an hour" is a rate of hosting).
_PRICE_PER_REQUEST = re.compile(
    r"^\s*(?:per|a|an|each|/)\s*(?:request|call|query|message|ticket|conversation|reply"
    r"|answer|document|doc|item)s?\b",
    re.IGNORECASE,
)
_DOC_NOUN = re.compile(
    r"^\s*(?:(?!\d)[\w'\u2019/-]+\s+){0,3}?(?:documents?|docs|reports|passages|issues|articles"
    r"|memos|precedents|cards|bulletins|protocols"
    r"|transcripts|filings|venues|pdfs|faqs|manuals|policies|monographs|runbooks|playbooks|sops"
    r"|(?:notion|wiki|confluence|help[- ]?cent(?:er|re)) pages)\b"
)
# The noun never reaches past the next number: in "1,000 widgets, 50 labelled examples" it is
# the 50's. "100k example completions" names examples too.
_EXAMPLE_NOUN = re.compile(
    r"^\s*example [a-z]+"
    r"|^[^.;:!?\d]{0,45}?\b(?:pairs|examples|labell?ed|annotated|approved|aligned|curated"
    r"|written by|[a-z]+-written|(?:[a-z]+-)?authored|corrected|human-reviewed|signed-off"
    r"|worked solutions|paired"
    r"|hand-(?:keyed|labell?ed|annotated|corrected|checked)|by hand|finali[sz]ed|signed"
    r"|that passed|with the correct|with their correct|call good|considers? (?:perfect|good)"
    r"|already (?:coded|tagged|classified|categori[sz]ed))\b"
    # Past outputs a person wrote or approved are examples of the task ("25k past replies").
    r"|^\s*(?:past|previous|historical|existing|good|gold) (?:replies|responses|answers|write-ups"
    r"|summaries|translations|drafts|narratives|briefs|decisions|explanations|alerts)\b"
    # Past documents already in the output's template are examples of the output.
    r"|^\s*(?:past|previous|historical|approved) [\w-]+(?: [\w-]+)? in (?:the|our) (?:[\w-]+ )?"
    r"(?:template|format)\b"
    # Judgements people made are examples too ("100k moderator decisions").
    r"|^\s*(?:moderator|reviewer|agent|analyst|human|expert)s?'? (?:decisions|labels"
    r"|judg(?:e)?ments|ratings)\b"
)
# "1,000 pages" of a wiki, Notion or a help centre count its documents (the corpus convention).
_PAGES = re.compile(r"^\s*(?:[\w-]+\s+)?pages\b")
_SITE_BEFORE = re.compile(
    r"\b(?:wiki|notion|confluence|intranet|help[- ]?cent(?:er|re)|web ?site|docs site)\b", re.I
)
_SITE_WINDOW_CHARS = 60
# "per 1k tokens", "$0.25 per million tokens", "$0.40 an hour": a rate, not a request's price.
_RATE_BEFORE = re.compile(r"(?:\bper|/)\s*$")
_RATE_AFTER = re.compile(r"^\s*(?:per|/|an?|each|every|for)\b|^\s*/")
# The words that belong to a number end where the next number or clause starts.
_OWN_WORDS_END = re.compile(r"[,;]\s|[$£€\d]")
_EXAMPLE_BEFORE = re.compile(
    r"\b(?:labell?ed|annotated|curated|hand-(?:coded|labell?ed|written|annotated|keyed))\s*~?$"
)
# "a long prompt and a few examples": the prompt's few-shot examples, not a labelled set.
_PROMPT_EXAMPLES_BEFORE = re.compile(r"\b(?:prompts?|few-shot)\b[^.;]{0,20}$")
_EVAL_BEFORE = re.compile(r"\b(?:eval\w*|test set|gold)\b[^.;]{0,12}$")
_TOKENS_INPUT_BEFORE = re.compile(
    # "each diff about 3k tokens": the size of one request's input.
    r"\b(?:input|inputs|prompts?|context|each(?! (?:month|week|day|quarter|year))|per request)\b"
    r"[^.;(]{0,25}$"
    # "diffs are ~4k tokens", "transcripts average 6k tokens": the size of what each request
    # sends, said of the requests' own inputs.
    r"|\b(?:diffs|prs|tickets|emails|transcripts|narratives|messages|requests|queries|calls"
    r"|conversations|chats|prompts|inputs|notes|claims|contracts|resumes|cvs)\b"
    r" (?:are|is|run|average|averages)\b[^.;(]{0,12}$"
)
# "20 tokens max": a cap on what is written, never a knowledge base's size.
_TOKENS_CAP_AFTER = re.compile(r"^\s*(?:max|maximum|tops|at most|or (?:less|fewer))\b")
_TOKENS_OUTPUT_BEFORE = re.compile(
    r"\b(?:output|outputs|responses?|completions?|replies)\b[^.;(:]{0,15}$"
    # "explanations ~300 tokens", "answers are about 200 tokens": what each answer writes; but
    # "it answers from a ~15k-token FAQ" (a verb) and "case-law summaries: ~4M tokens" (a body
    # of text) are the knowledge.
    r"|\b(?:explanations?|summar(?:y|ies)|answers?)\b(?! from)"
    r"\s*(?:are|is|run|average|of)?\s*(?:about|around|roughly|under|up to|~)?\s*$"
)
# The longest answer a model writes per request is a few thousand tokens: more is a body of
# knowledge, whatever words precede it.
MAX_OUTPUT_TOKENS_PER_REQUEST: Final = 16_000
_TOKENS_PER_REQUEST = re.compile(
    r"^\s*(?:(?:per|each|a|an|/)\s*(?:request|call|message|query|doc\w*|input)\b|each\b)"
)
_REVISED_AFTER = re.compile(
    r"^\s*(?:tokens?\s+)?(?:that|which)\s+(?:we\s+|gets?\s+|is\s+|are\s+)?"
    r"(?:revis|updat|chang|refresh|edit)\w*"
)
# "~30k tokens and changes quarterly", "a ~15k-token FAQ that changes quarterly", "~4M
# tokens, updated weekly": what changes is a body of knowledge, not one request's text.
_CHANGES_AFTER = re.compile(
    r"^\s*(?:tokens?)?(?:\s+[\w-]+){0,2}?(?:,|\s+and|\s+that|\s+which)?\s+"
    r"(?:(?:never|rarely|hardly ever|seldom)\s+)?(?:gets?\s+|is\s+|are\s+)?"
    r"(?:revis|updat|chang|refresh|edit)\w*"
)
_TOKENS_OF = re.compile(r"^\s*(?:of )?(?P<kind>input|prompt|context|output|completion)\b")
_COUNT_TOKENS = re.compile(r"^\s*(?P<kind>input|prompt|output|completion)\s+tokens\b")
_TUNED = re.compile(r"\btuned\b|\bfine-tun\w*|\bdistill\w*|\bsmall(?:er)? model\b", re.I)
_FIXED = re.compile(
    r"\bone[- ]time\b|\bone[- ]off\b|\bquoted\b|\bup[- ]?front\b|\btraining cost\b|\bto train\b"
    r"|\bbudgeted\b"
    r"|\ball[- ]in\b|\bengineering time\b|\beng time\b|\bfixed cost\b|\bset[- ]?up cost\b",
    re.I,
)
_HOSTING = re.compile(r"\bhost\w*|\bGPUs?\b|\bnodes?\b|\bserving\b|\binstances?\b", re.I)
_BUDGET = re.compile(
    r"\bbudget\w*|\bspare\b|\bafford\b|\btops\b|\bmax(?:imum)?\b|\bcap(?:ped)?\b|\bat most\b"
    r"|\bup to\b"
    r"|\bideally\b|\bunder\b|\bno more than\b",
    re.I,
)
_OBSERVED_LATENCY = re.compile(r"\b(?:takes?|took|taking|currently|today|now)\b[^.;]{0,20}$", re.I)
_SO_TOTAL = re.compile(
    r"\b(?:so|total(?: of)?|that's|in all)(?: roughly| about| around)?\s*~?$", re.I
)
# "none", "zero" or "no hosting fee" answer a count or a cost with 0; "no, ..." does not.
_ZERO = re.compile(
    r"\b(?:none|zero|nothing|nil|don'?t have any|not any|haven'?t got any|free)\b"
    r"|\bno\s+(?!idea|clue|budget|plan|estimate)\w",
    re.I,
)
_ZERO_MEANINGLESS: Final = frozenset(
    {"latency_target_ms", "prompt_baseline_gap_pp", "budget_monthly_usd", "cost_per_request_usd"}
)
# A count its own noun names, right after it ("5000 examples", "3000 labelled examples").
# People counted: the size of a team is not a count of examples, requests or documents.
_PEOPLE = re.compile(
    r"^[\s-]*(?:person|people|engineers?|devs?|developers?|folks|members|of us|staff|FTEs?"
    r"|data scientists?|annotators?|reviewers?|agents?)\b",
    re.IGNORECASE,
)
_TEAM_OF = re.compile(r"\b(?:team|group) of\s*~?$", re.IGNORECASE)
_NAMED_COUNT = re.compile(
    r"^\s*(?:(?:labell?ed|annotated|curated|training|support|help[- ]?cent(?:er|re))\s+)?"
    r"(?:examples|pairs|documents|docs|pdfs|articles)\b"
)
_WHAT_IF = re.compile(r"\bwhat if\b|\bwhat about\b|\bsuppose\b|\bimagine\b", re.I)
_REQUEST_NOUN = re.compile(
    r"^\s*(?:requests|calls|queries|questions|messages|conversations|tickets)\b"
)
_BY_HAND = re.compile(r"\bby hand\b|\bmanual(?:ly)?\b|\bhuman\b|\bper hour\b", re.I)
_TIMES = re.compile(r"^\s*times\b")
_CLAUSE_BREAK = re.compile(r"[.;!?]")
# "1,500 notes a shift": a count per a stretch of working time, itself counted per period.
# ("5 variants per ad, 3M ads a month" is not one: an ad is the request, not a stretch of time.)
_PER_UNIT = re.compile(
    r"^\s*(?:[\w-]+\s+){0,2}?(?:a|per|each|every)\s+"
    r"(?P<unit>shift|session|class|lesson|match|round|batch|run|cycle|workday)\b",
    re.I,
)
# "80k daily players": people, not requests; each of them may send several.
_DAILY_PEOPLE = re.compile(
    r"^\s*(?:daily|active|daily active|monthly active)\s+(?:players|users|customers|students"
    r"|visitors|members|drivers|agents|learners|subscribers)\b",
    re.I,
)
_EACH_PERSON = re.compile(
    r"\beach\b|\bper (?:player|user|customer|student|visitor|member|driver|agent|learner)\b"
    r"|\bevery (?:one|player|user|customer|student)\b",
    re.I,
)
_PRODUCT_WINDOW_CHARS = 120
_BUDGET_WORD = re.compile(r"\bbudget\w*", re.I)
_STRETCHES = re.compile(r"^\s*(?:shifts|workdays|batches|cycles)\b", re.I)


def per_month(quantity: Quantity) -> float | None:
    """How many per month a count stated per period amounts to ("2k a day" is 60,000)."""
    match = _PERIOD.match(quantity.after)
    if match is None:
        return None
    if match.group("rate"):
        return PERIOD_PER_MONTH["second"]
    word = (match.group("adverb") or match.group("period") or match.group("every")).lower()
    return PERIOD_PER_MONTH[_PERIOD_WORDS.get(word, word)]


def usable(quantities: Sequence[Quantity]) -> list[Quantity]:
    """Numbers that can state a fact: not labels, ranges, multipliers or ages."""
    return [
        q
        for q in quantities
        if not q.compound and not q.ranged and q.unit not in {Unit.TIMES, Unit.CALENDAR}
    ]


def clause_before(text: str, quantity: Quantity) -> str:
    """The text from the start of the clause up to the number."""
    head = text[max(0, quantity.start - CLAUSE_MAX_CHARS) : quantity.start]
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(head)]
    return head[breaks[-1] if breaks else 0 :]


def read_stated_amounts(
    text: str,
    quantities: Sequence[Quantity],
    *,
    skip: set[int] | frozenset[int] = frozenset(),
    strict: bool = False,
) -> dict[str, tuple[Amount, int]]:
    """Numeric facts the words around each number pin down: field -> (value, quantity index).

    `strict` keeps only numbers with a unit or a rate ("$3k a month", "9M tokens"), for
    short answers where a count ("200 of those pairs") belongs to the question asked.
    """
    facts: dict[str, tuple[Amount, int]] = {}
    multiplied, used = _multiplied_volume(text, quantities, skip=skip)
    if multiplied is not None:
        facts["requests_per_month"] = (multiplied, min(used))
    is_what_if = _WHAT_IF.search(text) is not None
    for index, quantity in enumerate(quantities):
        if index in skip or index in used:
            continue
        field_value = _read_one(text, quantity)
        if field_value is None and is_what_if and _REQUEST_NOUN.match(quantity.after):
            # "what if 50M requests": a what-if names the volume without saying "a month".
            field_value = ("requests_per_month", quantity.value)
        if field_value is None or (
            strict
            and field_value[0] in {"kb_size_docs", "labelled_examples"}
            and not _NAMED_COUNT.match(quantity.after)
        ):
            continue
        if field_value[0] not in facts:
            facts[field_value[0]] = (field_value[1], index)
    return facts


def _multiplied_volume(
    text: str, quantities: Sequence[Quantity], *, skip: set[int] | frozenset[int]
) -> tuple[float | None, set[int]]:
    """A volume stated as a product, and the numbers it uses (or would mislead).

    "1,500 notes a shift, 3 shifts a day" is 1,500 x 3 a day; "80k daily players, each
    sending ~5 messages a day" is 80k x 5 a day. A count of people a day with no rate per
    person is no volume at all: the numbers it uses are returned with no value.
    """
    counts = [
        (index, q)
        for index, q in enumerate(quantities)
        if index not in skip and q.unit is Unit.COUNT and not q.compound and not q.ranged
    ]
    for (index, first), (next_index, second) in itertools.pairwise(counts):
        between = text[first.end : second.start]
        months = per_month(second)
        if len(between) > _PRODUCT_WINDOW_CHARS or months is None:
            continue
        unit = _PER_UNIT.match(first.after)
        if unit and re.match(rf"\s*{re.escape(unit.group('unit'))}s?\b", second.after, re.I):
            return first.value * second.value * months, {index, next_index}
        if _DAILY_PEOPLE.match(first.after) and _EACH_PERSON.search(
            between + own_words(second.after)
        ):
            return first.value * second.value * months, {index, next_index}
    people = {index for index, q in counts if _DAILY_PEOPLE.match(q.after)}
    return None, people


def _read_one(text: str, quantity: Quantity) -> tuple[str, Amount] | None:
    if quantity.compound or quantity.ranged:
        return None
    before = text[max(0, quantity.start - 30) : quantity.start].lower()
    clause = clause_before(text, quantity)
    if quantity.unit is Unit.MS:
        # Hours are durations of work ("3 hours a day"), not a latency anyone states unasked.
        if _OBSERVED_LATENCY.search(before) or quantity.value >= STATED_LATENCY_MAX_MS:
            return None
        return "latency_target_ms", quantity.value
    if quantity.unit is Unit.TOKENS:
        if _RATE_BEFORE.search(before):
            return None  # "$0.10 per 1k tokens" is a price's unit, not a size
        return _token_field(quantity, before), quantity.value
    if quantity.unit is Unit.USD:
        return _money_field(quantity, clause + own_words(quantity.after))
    if quantity.unit is not Unit.COUNT:
        return None
    if kind := _COUNT_TOKENS.match(quantity.after):
        is_input = kind.group("kind") in {"input", "prompt"}
        field = "input_tokens_per_request" if is_input else "output_tokens_per_request"
        return field, quantity.value
    if _STRETCHES.match(quantity.after):
        return None  # "3 shifts a day" counts working time, not requests
    if (months := per_month(quantity)) is not None and not _TIMES.match(quantity.after):
        if _BUDGET_WORD.search(clause) and not _REQUEST_NOUN.match(quantity.after):
            return None  # "budget not set yet, 5k a month maybe": money or volume, unsaid
        return "requests_per_month", quantity.value * months
    if _EVAL_BEFORE.search(before):
        return None
    if _EXAMPLE_NOUN.match(quantity.after) or _EXAMPLE_BEFORE.search(before):
        if _PROMPT_EXAMPLES_BEFORE.search(before):
            return None
        return "labelled_examples", quantity.value
    if _DOC_NOUN.match(quantity.after):
        return "kb_size_docs", quantity.value
    if _PAGES.match(quantity.after) and _SITE_BEFORE.search(clause[-_SITE_WINDOW_CHARS:]):
        return "kb_size_docs", quantity.value
    return None


def own_words(after: str) -> str:
    """The words after a number up to the next number or clause ("$0.005, fixed cost $500")."""
    end = _OWN_WORDS_END.search(after)
    return after[: end.start()] if end else after


def _token_field(quantity: Quantity, before: str) -> str:
    if kind := _TOKENS_OF.match(quantity.after):
        is_input = kind.group("kind") in {"input", "prompt", "context"}
        return "input_tokens_per_request" if is_input else "output_tokens_per_request"
    if _CHANGES_AFTER.match(quantity.after):
        return "kb_size_tokens"
    if _TOKENS_OUTPUT_BEFORE.search(before) and quantity.value <= MAX_OUTPUT_TOKENS_PER_REQUEST:
        return "output_tokens_per_request"
    if _REVISED_AFTER.match(quantity.after):
        # "about 30k tokens that we revise once a year": a body of knowledge, even in the prompt.
        return "kb_size_tokens"
    if _TOKENS_INPUT_BEFORE.search(before) or _TOKENS_PER_REQUEST.match(quantity.after):
        return "input_tokens_per_request"
    if _TOKENS_CAP_AFTER.match(quantity.after):
        return "output_tokens_per_request"
    return "kb_size_tokens"


def _money_field(quantity: Quantity, context: str) -> tuple[str, Amount] | None:
    if per_month(quantity) == 1.0:
        if _HOSTING.search(context):
            return "finetune_hosting_usd_per_month", quantity.value
        if _BUDGET.search(context):
            return "budget_monthly_usd", quantity.value
        return None
    if _PER_ITEM.match(quantity.after):
        if _BY_HAND.search(context):
            return None  # what people cost today, not what a model costs per request
        return _per_request_field(context, quantity), quantity.value
    if (
        quantity.value < 1
        and not _RATE_AFTER.match(own_words(quantity.after))
        and not _BY_HAND.search(context)
    ):
        # Nobody's fixed cost or budget is under a dollar: "fine-tuned would be $0.005".
        return _per_request_field(context, quantity), quantity.value
    if _FIXED.search(context):
        return "finetune_fixed_cost_usd", quantity.value
    return None


def _per_request_field(context: str, quantity: Quantity) -> str:
    """The tuned model's price when the words before it name a tuned model."""
    before = context[: len(context) - len(own_words(quantity.after))]
    return "finetuned_cost_per_request_usd" if _TUNED.search(before) else "cost_per_request_usd"


def read_asked_amount(
    text: str, quantities: Sequence[Quantity], *, field: str, taken: set[int]
) -> tuple[Amount, int | None] | None:
    """The value an answer gives for the numeric `field` the bot just asked about."""
    candidates = [
        (index, q)
        for index, q in enumerate(quantities)
        if index not in taken
        and _fits(q, field)
        and not _TEAM_OF.search(text[max(0, q.start - 12) : q.start])
        and not _belongs_elsewhere(text, q, field=field)
    ]
    if candidates:
        index, chosen = _best(text, candidates, field=field)
        return _as_field_value(chosen, field), index
    if field not in _ZERO_MEANINGLESS and any(
        not _denies_other_count(text[zero.start() :], field=field) for zero in _ZERO.finditer(text)
    ):
        return 0, None
    return None


def _denies_other_count(zero: str, *, field: str) -> bool:
    """Whether "no ..." denies another question's thing ("no eval set" to the size question):
    a zero for that, not for `field` ("no docs" still zeroes a size in tokens)."""
    named = answers.mentioned_fields(zero[:30])
    return bool(named) and all(_FAMILY.get(other) != _FAMILY[field] for other in named)


def _fits(quantity: Quantity, field: str) -> bool:
    if quantity.compound or quantity.ranged or quantity.unit in {Unit.TIMES, Unit.CALENDAR}:
        return False
    if quantity.unit is Unit.COUNT and _PEOPLE.match(quantity.after):
        return False  # "we're a 3 person team", "6 engineers": a team's size answers nothing
    if field in MONEY_FIELDS and quantity.unit is Unit.COUNT:
        # "about 2M requests" or "500 examples" counts things, not dollars.
        return not (_REQUEST_NOUN.match(quantity.after) or _NAMED_COUNT.match(quantity.after))
    if field == "latency_target_ms":
        return quantity.unit in {Unit.MS, Unit.COUNT}
    if field in MONEY_FIELDS:
        return quantity.unit in {Unit.USD, Unit.COUNT}
    if field in TOKEN_FIELDS:
        return quantity.unit in {Unit.TOKENS, Unit.COUNT}
    if field == "prompt_baseline_gap_pp":
        return quantity.unit in {Unit.POINTS, Unit.PERCENT, Unit.COUNT}
    return quantity.unit is Unit.COUNT


_FAMILY: Final = {
    "requests_per_month": "requests",
    "kb_size_docs": "documents",
    "labelled_examples": "examples",
    **dict.fromkeys(TOKEN_FIELDS, "tokens"),
    **dict.fromkeys(MONEY_FIELDS, "money"),
    "latency_target_ms": "latency",
    "prompt_baseline_gap_pp": "gap",
}


def _belongs_elsewhere(text: str, quantity: Quantity, *, field: str) -> bool:
    """A count whose own words name another kind of fact ("5M a month", "5000 examples",
    "40 docs") answers that fact, not the question just asked; so does a price per request
    given to a monthly question, and the size of an eval set given to any count."""
    if field in MONTHLY_MONEY_FIELDS and quantity.unit is Unit.USD:
        return _PRICE_PER_REQUEST.match(quantity.after) is not None
    if quantity.unit is not Unit.COUNT:
        return False
    if _EVAL_BEFORE.search(text[max(0, quantity.start - 30) : quantity.start].lower()):
        return True  # "an eval set of 300 cases" is no count the bot asks for
    if field == "kb_size_tokens" and _PAGES.match(quantity.after):
        return False  # the token question says "in tokens (or pages)"
    own = _read_one(text, quantity)
    if own is None or _FAMILY[own[0]] == _FAMILY[field]:
        return False
    if field in MONTHLY_MONEY_FIELDS and own[0] == "requests_per_month":
        return _REQUEST_NOUN.match(quantity.after) is not None  # "60k per year" of budget
    # "250 transcripts" may be examples or documents: only a plain noun settles which.
    overlapping = {own[0], field} == {"kb_size_docs", "labelled_examples"}
    return not overlapping or _NAMED_COUNT.match(quantity.after) is not None


_PREFERRED_UNIT: Final = {
    "latency_target_ms": Unit.MS,
    "prompt_baseline_gap_pp": Unit.POINTS,
    **dict.fromkeys(MONEY_FIELDS, Unit.USD),
    **dict.fromkeys(TOKEN_FIELDS, Unit.TOKENS),
}


def _best(text: str, candidates: list[tuple[int, Quantity]], *, field: str) -> tuple[int, Quantity]:
    def rank(item: tuple[int, Quantity]) -> tuple[int, int, int, int]:
        index, quantity = item
        typed = quantity.unit is _PREFERRED_UNIT.get(field, Unit.COUNT)
        monthly = per_month(quantity)
        fitting = (
            (field == "requests_per_month" and monthly is not None)
            or (field == "kb_size_docs" and _DOC_NOUN.match(quantity.after) is not None)
            or (field == "labelled_examples" and _EXAMPLE_NOUN.match(quantity.after) is not None)
            or (field in MONTHLY_MONEY_FIELDS and monthly == 1.0)
            or (field in PER_REQUEST_MONEY_FIELDS and _PER_ITEM.match(quantity.after) is not None)
            or (field == "finetune_fixed_cost_usd" and monthly is None)
            or (field == "kb_size_tokens" and _PAGES.match(quantity.after) is not None)
        )
        summed = _SO_TOTAL.search(text[max(0, quantity.start - 15) : quantity.start]) is not None
        return (-int(typed), -int(summed), -int(fitting), index)

    return min(candidates, key=rank)


def _as_field_value(quantity: Quantity, field: str) -> Amount:
    if field == "latency_target_ms" and quantity.unit is Unit.COUNT:
        # A bare "under 3" means seconds; "about 200" means milliseconds.
        return quantity.value * 1000 if quantity.value <= 60 else quantity.value
    if field == "requests_per_month":
        return quantity.value * (per_month(quantity) or 1.0)
    if field in MONTHLY_MONEY_FIELDS:
        # "$24k a year", "$1.70 an hour": a monthly amount whatever period it was given in.
        return quantity.value * (per_month(quantity) or 1.0)
    if field == "kb_size_tokens" and quantity.unit is Unit.COUNT and _PAGES.match(quantity.after):
        return quantity.value * TOKENS_PER_PAGE
    return quantity.value


def as_field_type(field: str, value: Amount) -> Amount:
    """Whole numbers for integer fields, tidy floats for the rest."""
    if field in INTEGER_FIELDS:
        return round(value) if math.isfinite(value) else value
    return round(float(value), 6)
