"""Phrases that only make sense as the answer to a question the bot just asked.

"basic", "nothing special" or "cloud" mean something only when the bot has asked
about the team, the data or the deployment; these tables are kept apart from
`vocabulary` (what a description states outright) so they are never applied to
a whole description. Also here: yes/no, "don't know", corrections, and the
words by which a user names a field.
"""

from __future__ import annotations

import re
from typing import Final

from bot.interview.vocabulary import Cue, cue_table

CITATIONS_ANSWER: Final = cue_table(
    (
        r"\bnot (?:required|needed|necessary)\b|\bnice to have\b|\bwould be nice\b"
        r"|\b(?:aren'?t|isn'?t) (?:required|needed|necessary)\b",
        False,
        (
            "they'd be good but aren't required",
            "would be nice but it's not required",
            "nice to have",
        ),
    ),
    (
        r"\b(?:required|must|needs? to|has to|link|source)\b",
        True,
        ("The source is the rulebook plus",),
        ("not required, nice to have",),
    ),
)

TEAM_ANSWER: Final = cue_table(
    (
        r"\bnone of us\b|\bnobody (?:here )?(?:has|have) (?:done|touched|used)\b"
        r"|\bhaven'?t (?:done|touched) (?:any )?ML\b",
        "none",
        (
            "1 - none of us have done ML\n2 - none\n3",
            "nobody here has touched ML",
            "we haven't done any ML",
        ),
    ),
    (
        r"\btrain and host\b|\bhost our own models\b|\bself-host\w*",
        "strong",
        (
            "eval yet, we train and host our own models",
            "The self-hosted skills gate applies",
        ),
    ),
    (r"\bmanaged\b", "basic", ("basic, we can use Azure's managed fine-tuning",)),
    (
        r"\bVertex\b|\bBedrock\b|\bAzure\b|\bhosted service\b|\bHugging ?Face\b|\bplayed with\b",
        "basic",
        (
            "basic, we'd go through Vertex",
            "one quant dev has used Bedrock",
            "contractor has set up Azure AI services before",
            "has trained LoRAs on a hosted service",
            "engineer has played with Hugging Face",
            "basic, we've played with managed fine-tuning",
        ),
    ),
)

DOMAIN_ANSWER: Final = cue_table(
    (
        r"\bniche\b|\b(?:internal|own|equipment|part) codes\b|\babbreviations\b",
        "niche_proprietary",
        (
            "very niche, it's full of navy equipment",
            "format (mandated fields, equipment codes, and a citation of the",
            "equipment codes and abbreviations",
        ),
    ),
    (
        r"\bgeneral\b|\bnothing special\b|\beveryday\b",
        "general",
        (
            "pretty general stuff",
            "standard, nothing special",
            "everyday language",
        ),
    ),
    (
        r"\bspeciali[sz]ed\b|\bpublic(?:ly known)?\b|\blegal\b|\blaw\b|\bmedical\b|\bfinanc\w*",
        "specialized_public",
        (
            "chemistry is way too specialised for an off-the-shelf",
            "it's all public record",
            "bylaw and section or legal won't sign off.",
            "Knowledge-management lead at a law firm :scales: We want",
            "Medical information team at",
            "Financial-crimes team at a bank.",
        ),
    ),
)

TASK_ANSWER: Final = cue_table(
    (
        r"\bQ ?& ?A\b|\bquestion[- ]answering\b",
        "qa_over_docs",
        (
            "department wrote ~1,200 Q&A pairs from the manuals",
            "question answering, and yes, every answer",
        ),
    )
)

STAGE_ANSWER: Final = cue_table(
    (
        r"\blive\b|\bshipped\b|\blaunched\b|\bprod\b",
        "production",
        (
            "before the listing goes live, so within 5 seconds",
            "Each shipped example file is valid",
            "Catch: we launched three months ago and",
            "prod",
        ),
    ),
    (
        r"\bidea\b|\bexploring\b",
        "prototype",
        (
            "just an idea so far",
            "still exploring",
        ),
    ),
)

PRIVACY_ANSWER: Final = cue_table(
    (
        r"\bnothing special\b|\bpublic\b|\bnot sensitive\b|\bno PII\b|\bstandard\b",
        "standard",
        (
            "standard, nothing special",
            "it's all public record",
            "internal but not sensitive",
            "no PII",
        ),
    ),
)

DEPLOYMENT_ANSWER: Final = cue_table(
    (
        r"\blaptops?\b|\bphones?\b|\bmobile devices?\b|\boffline\b|\bon the device\b"
        r"|\bRaspberry Pi\b|\bembedded\b|\bmicrocontrollers?\b",
        "edge_device",
        (
            "on a Raspberry Pi",
            "embedded in the scanner",
            "a microcontroller",
            "must run on the users' laptops without network",
            "replies) generated on the phone itself: no server round",
            "on mobile devices",
            "cloud's fine, it's offline tooling",
            "edge devices host on the device.",
        ),
    ),
    (
        r"\b(?:Bedrock|Vertex|Azure OpenAI|OpenAI|Anthropic|Claude)\b|\bcloud\b|\bvendor API\b",
        "cloud_api",
        (
            "basic, we'd go through Vertex",
            "cloud API is fine",
            "a vendor API is fine",
        ),
    ),
)

STYLE_ANSWER: Final = cue_table(
    (
        r"(?<!not )\b(?:very|super|really|extremely|hugely) important\b|\bcritical\b|\bstrict\b"
        r"|\bmatters? (?:a lot|a great deal|hugely)\b",
        "high",
        (
            "tone matters a lot",
            "very important",
            "super important, legal reviews the tone of every reply",
            "critical for us",
            "each sea area, in the strict format our style manual",
        ),
        ("tone not super important",),
    ),
    (
        r"\bmoderate\b|\bsomewhat\b",
        "medium",
        (
            "moderate",
            "somewhat important",
        ),
    ),
    (
        r"\b(?:doesn|didn)'?t matter\b"
        r"|\bnot (?:very |that |so |really |super )?(?:important|a concern)\b"
        r"|\bunimportant\b",
        "low",
        (
            "not that important",
            "tone not super important",
            "Latency doesn't matter much, a minute is fine.",
            "not important",
            "unimportant",
        ),
    ),
)

FORMAT_ANSWER: Final = cue_table(
    (
        r"\btext\b|\bplain\b|\bprose\b|\bfree\b",
        "free",
        (
            "It's a big body of text going back decades",
            "Plain prose is fine, it just",
            "We normalise free-text used-car listings",
        ),
    )
)

MAINTENANCE_ANSWER: Final = cue_table(
    (
        r"\bside project\b|\bnobody\b|\bno one\b",
        "none",
        (
            "it's a side project and nobody can own retraining",
            "Volume is small and nobody is waiting on it in",
            "locks are dropped when no one holds or waits for them",
        ),
    ),
    (
        r"\bdedicated\b|\bfull[- ]time\b"
        # Someone who would own the retraining, or whose job it is, is its owner.
        r"|\b(?:would|will|could|can|'d|'ll) own (?:it|the model|(?:the )?retraining)\b"
        r"|\b(?:her|his|their) job\b",
        "dedicated",
        (
            "dedicated, we retrain for each",
            "someone full-time",
            "2 ML engineers who train their own models and could own it",
            "<@U04ABCD> would own retraining, it's her job",
            "it's his job",
        ),
        ("no dedicated owner, just volunteers",),
    ),
    (
        r"\b(?:could|can) retrain\b|\bsomeone part of the time\b|\bsome time\b"
        r"|\b(?:a )?(?:few|couple of) (?:hours|hrs)\b|\b(?:a|one) day (?:a|per) (?:week|month)\b",
        "limited",
        (
            "the model-risk team can retrain once or twice a year",
            "me i guess, a few hrs a month",
            "someone part of the time",
            "Some time",
            "new intel lands every few hours) and write the triage",
            "someone could look after it one day a week",
        ),
    ),
)

EVAL_ANSWER: Final = cue_table(
    (
        r"\bkind of\b|\bsort of\b|\b\d+ [\w-]+ (?:cases|examples|questions)\b",
        True,
        ("kind of, a spreadsheet", "sort of", "50 hand-checked cases"),
    ),
)

# Weaker phrases, trusted only when the bot has just asked about the field.
ANSWER_CUES: Final[dict[str, tuple[Cue, ...]]] = {
    "team_ml_capability": TEAM_ANSWER,
    "maintenance_capacity": MAINTENANCE_ANSWER,
    "citations_required": CITATIONS_ANSWER,
    "data_privacy": PRIVACY_ANSWER,
    "deployment_target": DEPLOYMENT_ANSWER,
    "style_consistency_need": STYLE_ANSWER,
    "output_format_strictness": FORMAT_ANSWER,
    "domain_specialization": DOMAIN_ANSWER,
    "project_stage": STAGE_ANSWER,
    "task_type": TASK_ANSWER,
    "eval_set_exists": EVAL_ANSWER,
}

# A short answer's first word, when it names a value ("basic, we'd use Vertex").
LEADING_WORDS: Final[dict[str, dict[str, str]]] = {
    "team_ml_capability": {"none": "none", "basic": "basic", "strong": "strong"},
    "maintenance_capacity": {"none": "none", "limited": "limited", "dedicated": "dedicated"},
    "data_privacy": {
        "standard": "standard",
        "regulated": "regulated",
        "air-gapped": "air_gapped",
        "airgapped": "air_gapped",
    },
    "style_consistency_need": {
        "low": "low",
        "medium": "medium",
        "med": "medium",
        "mid": "medium",
        "high": "high",
    },
    "knowledge_volatility": {
        "static": "static",
        "yearly": "yearly",
        "annually": "yearly",
        "quarterly": "quarterly",
        "monthly": "monthly",
        "weekly": "weekly",
        "daily": "daily",
        "realtime": "realtime",
        "real-time": "realtime",
        "live": "realtime",
    },
    "domain_specialization": {"general": "general"},
    "output_format_strictness": {"free": "free", "json": "common_schema"},
    "deployment_target": {
        "cloud": "cloud_api",
        "edge": "edge_device",
        "on-prem": "on_prem",
        "on-premises": "on_prem",
    },
    "project_stage": {
        "prototype": "prototype",
        "pilot": "pilot",
        "production": "production",
        "prod": "production",
    },
}

YES: Final = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|sure|correct|absolutely|definitely|of course|true|y)\b",
    re.IGNORECASE,
)

NO: Final = re.compile(
    r"^\W*(?:no|nope|nah|not really|not yet|false|n)\b(?!\s+idea)", re.IGNORECASE
)

DONT_KNOW: Final = re.compile(
    r"\b(?:(?:don'?t|do not|dont) know|not sure|no idea|unsure|dunno|no clue|can'?t say"
    r"|hard to say|unknown|no numbers yet|haven'?t decided|tbd|no \w+ set yet|not decided"
    r"|whatever|no preference|don'?t care|doesn'?t matter|any is fine)\b"
    r"|^\s*(?:\?+|skip|pass|n/?a)\s*[.!]*\s*$",
    re.IGNORECASE,
)

CORRECTION: Final = re.compile(
    r"\bactually\b|\bsorry,? i meant\b|\bi meant\b|\bcorrection:?|\bno,? wait\b"
    r"|\bscratch that\b|\bmake that\b|\bi mis-?typed\b|\bsorry\s*[,:-]|\bwait\s*[,:-]",
    re.IGNORECASE,
)

# How a user may name a field they don't know ("not sure about the latency").
FIELD_MENTIONS: Final = cue_table(
    (
        r"\blatency\b|\bresponse time\b",
        "latency_target_ms",
        (
            "Latency isn't critical, anything",
            "the response time, no idea",
        ),
    ),
    (
        r"\bvolume\b|\brequests\b|\btraffic\b",
        "requests_per_month",
        (
            "Volume is small and nobody",
            "Traffic is ~2M requests a month",
        ),
    ),
    (r"\bbudget\b", "budget_monthly_usd", ("tenant, and our whole AI budget is $600 a month.",)),
    (
        r"\bexamples\b|\blabell?ed\b|\btraining data\b",
        "labelled_examples",
        (
            "target 95% 3) 1,200 examples",
            "deliverability team has hand-labelled ~400k of them.",
            "can't just generate training data with it.",
        ),
    ),
    (
        r"\beval(?:uation)? set\b|\btest set\b|\bevals\b",
        "eval_set_exists",
        (
            "On our 600-utterance eval set the best prompt scores",
            "on a 1,000-bulletin test set",
            "the evals, no idea",
        ),
    ),
    (
        r"\bcitations?\b",
        "citations_required",
        ("equipment codes, and a citation of the maintenance requirement",),
    ),
    (r"\bhosting\b", "finetune_hosting_usd_per_month", ("about $1,224 a month for hosting",)),
    (
        r"\bdocuments\b|\bdocs\b",
        "kb_size_docs",
        (
            "IT says roughly 3,200 documents",
            "typology library (~4,000 docs, ~14M tokens, revised",
        ),
    ),
    (r"\btokens\b", "kb_size_tokens", ("FAQ/errata, about 55k tokens in total, and we publish",)),
)


def mentioned_fields(text: str) -> list[str]:
    """The fields `text` names by their words ("the latency", "an eval set"), in table order."""
    return list(
        dict.fromkeys(str(field) for pattern, field in FIELD_MENTIONS if pattern.search(text))
    )


# "no eval set": a no that is about the thing it names, which may be another question's.
DENIED_THING: Final = re.compile(r"^\W*no\s+(?P<thing>\w.{0,24})", re.IGNORECASE)


def denies_another_field(text: str, field: str) -> bool:
    """Whether `text` opens by denying a thing that names other fields than `field`
    ("no eval set" said to the knowledge questions is not a no to them)."""
    denied = DENIED_THING.match(text)
    named = mentioned_fields(denied.group("thing")) if denied else []
    own = {field, *_SAME_THING.get(field, ())}
    return bool(named) and own.isdisjoint(named)


# "no docs needed" answers whether any knowledge is needed: its size names the same thing.
_SAME_THING: Final = {"needs_external_knowledge": ("kb_size_docs", "kb_size_tokens")}

# Words that name what a message is about when no question is open ("what if nobody could
# maintain it?", "we have some time to retrain it"): the message is then read as an answer
# to the question on that topic, so its answer phrases count.
TOPICS: Final = cue_table(
    (
        r"\bmaint\w*|\bretrain\w*|\bupkeep\b|\bown(?:s|ing)? (?:it|the model)\b",
        "maintenance_capacity",
        (
            "Maintainer of a mid-size open-source",
            "model-risk team can retrain once or twice a year",
            "person part-time for upkeep",
            "limited, one tools engineer owns it",
        ),
    ),
    (
        r"\bML\b|\bfine-?tun\w* APIs?\b|\bopen weights\b",
        "team_ml_capability",
        (
            "one ML engineer who has used",
            "we've used the OpenAI fine-tuning API before",
            "Train and serve open weights",
        ),
    ),
    (
        r"\bstyle\b|\btone\b|\bvoice\b",
        "style_consistency_need",
        (
            "step by step, Socratic-style.",
            "friendly-but-precise tone",
            "our 300-conversation voice eval, reviewers rate",
        ),
    ),
    (
        r"\bdomain\b|\bjargon\b",
        "domain_specialization",
        (
            "what if the domain were general?",
            "right, but format and jargon errors mean ~25% of",
        ),
    ),
    (
        r"\bgap\b|\btarget\b|\bbaseline\b",
        "prompt_baseline_gap_pp",
        (
            "a 5 point gap",
            "on our eval vs a 95% target.",
            "we haven't measured a baseline yet",
        ),
    ),
    (
        r"\bKB\b|\bknowledge base\b|\bpages\b",
        "kb_size_tokens",
        (
            "recommendation, stays within 4 KB.",
            "vector DB because our knowledge base is huge.",
            "English→Welsh translation of web pages and letters for our",
        ),
    ),
    (r"\bknowledge\b", "needs_external_knowledge", ("Knowledge-management lead at a",)),
    (
        r"\bdevice\b|\bphones?\b|\blaptops?\b|\bcloud\b|\bon-?prem\w*|\bruns? (?:it )?on\b",
        "deployment_target",
        (
            "strong, we already ship on-device models for keyboard",
            "replies) generated on the phone itself: no server round",
            "must run on the users' laptops without",
            "cloud's fine, it's offline",
            "Everything has to stay on our on-prem cluster.",
            "It must run on-prem, no customer payment",
        ),
    ),
    (r"\bstage\b", "project_stage", ("Every stage starts from python:3.11-slim",)),
    (
        r"\bformat\b|\boutput\b",
        "output_format_strictness",
        (
            "ticket in our house format.",
            "area, in the strict format",
            "what if the output were JSON?",
        ),
    ),
    (
        r"\bprivacy\b|\bdata\b",
        "data_privacy",
        (
            "account data, so state privacy regulation applies",
            "it's candidate data, so GDPR applies",
        ),
    ),
)

# A "Label: value" line in a pasted summary ("Volume: 2M/month", "Team: no ML") answers the
# field its label names; a label of None is read like a description ("KB: 40 docs, 2M tokens").
LINE_LABELS: Final[tuple[tuple[re.Pattern[str], str | None], ...]] = tuple(
    (re.compile(rf"^(?:{pattern})$", re.IGNORECASE), field)
    for pattern, field in (
        (r"volume|requests?(?: per month| ?/ ?month)?|traffic|usage|load", "requests_per_month"),
        (r"latency(?: target)?|p9[059]|response time|speed|sla", "latency_target_ms"),
        (r"budget|monthly budget|spend limit", "budget_monthly_usd"),
        (r"(?:labell?ed )?examples|training data|labell?ed data|data ?set", "labelled_examples"),
        (r"evals?|eval set|evaluation|test set", "eval_set_exists"),
        (r"citations?|sources", "citations_required"),
        (r"hosting(?: cost)?", "finetune_hosting_usd_per_month"),
        (r"(?:current )?cost(?: per request)?|price per request", "cost_per_request_usd"),
        (r"team|ml team|ml skills|skills|ml capability", "team_ml_capability"),
        (r"maintenance|retraining|ownership|ops", "maintenance_capacity"),
        (r"privacy|data privacy|compliance|data sensitivity", "data_privacy"),
        (
            r"deployment|deploy(?:ment)? target|runs on|environment|hosting target",
            "deployment_target",
        ),
        (r"output|output format|format", "output_format_strictness"),
        (r"style|tone|voice|brand voice", "style_consistency_need"),
        (r"domain", "domain_specialization"),
        (r"stage|status|phase", "project_stage"),
        (r"task|task type", "task_type"),
        (r"updates?|update frequency|volatility|freshness|changes", "knowledge_volatility"),
        (r"quality|accuracy|gap|prompt baseline", "prompt_baseline_gap_pp"),
        (r"kb|kb size|knowledge(?: base)?|corpus|docs|documents|sources? of truth", None),
    )
)

# A yes or a no said in other words, for a yes/no question ("we don't have one", "we do").
YES_NO_PHRASES: Final = cue_table(
    (
        r"\b(?:don'?t|do not|doesn'?t|does not) have (?:one|any|it|that)\b|\bnone\b"
        r"|\bnot (?:yet|really|required|needed)\b",
        False,
        (
            "we don't have any Q&A pairs",
            "none, we're two app developers",
            "would be nice but it's not required",
        ),
    ),
    (
        r"\bwe do\b|\bwe have (?:one|it|that)\b|\bit does\b|\bthey do\b",
        True,
        (
            "we do _2M a month_",
            "we have one",
            "it does",
            "they do",
        ),
        ("we don't have one",),
    ),
)
