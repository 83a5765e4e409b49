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
    (r"\bnot (?:required|needed|necessary)\b|\bnice to have\b|\bwould be nice\b", False),
    (r"\b(?:required|must|needs? to|has to|link|source)\b", True),
)

TEAM_ANSWER: Final = cue_table(
    (
        r"\bnone of us\b|\bnobody (?:here )?(?:has|have) (?:done|touched|used)\b"
        r"|\bhaven'?t (?:done|touched) (?:any )?ML\b",
        "none",
    ),
    (r"\btrain and host\b|\bhost our own models\b|\bself-host\w*", "strong"),
    (r"\bmanaged\b", "basic"),
    (
        r"\bVertex\b|\bBedrock\b|\bAzure\b|\bhosted service\b|\bHugging ?Face\b|\bplayed with\b",
        "basic",
    ),
)

DOMAIN_ANSWER: Final = cue_table(
    (r"\bniche\b|\b(?:internal|own|equipment|part) codes\b|\babbreviations\b", "niche_proprietary"),
    (r"\bgeneral\b|\bnothing special\b|\beveryday\b", "general"),
    (
        r"\bspeciali[sz]ed\b|\bpublic\b|\blegal\b|\blaw\b|\bmedical\b|\bfinanc\w*",
        "specialized_public",
    ),
)

TASK_ANSWER: Final = cue_table((r"\bQ ?& ?A\b|\bquestion[- ]answering\b", "qa_over_docs"))

STAGE_ANSWER: Final = cue_table(
    (r"\blive\b|\bshipped\b|\blaunched\b|\bprod\b", "production"),
    (r"\bidea\b|\bexploring\b", "prototype"),
)

PRIVACY_ANSWER: Final = cue_table(
    (r"\bnothing special\b|\bpublic\b|\bnot sensitive\b|\bno PII\b", "standard"),
)

DEPLOYMENT_ANSWER: Final = cue_table(
    (r"\blaptops?\b|\bphones?\b|\bmobile devices?\b|\boffline\b|\bon the device\b", "edge_device"),
    (
        r"\b(?:Bedrock|Vertex|Azure OpenAI|OpenAI|Anthropic|Claude)\b|\bcloud\b|\bvendor API\b",
        "cloud_api",
    ),
)

STYLE_ANSWER: Final = cue_table(
    (r"\bvery important\b|\bcritical\b|\bstrict\b", "high"),
    (r"\bmoderate\b|\bsomewhat\b", "medium"),
    (r"\b(?:doesn|didn)'?t matter\b|\bnot (?:important|a concern)\b|\bunimportant\b", "low"),
)

FORMAT_ANSWER: Final = cue_table((r"\btext\b|\bplain\b|\bprose\b|\bfree\b", "free"))

MAINTENANCE_ANSWER: Final = cue_table(
    (r"\bside project\b|\bnobody\b|\bno one\b", "none"),
    (r"\bdedicated\b|\bfull[- ]time\b", "dedicated"),
    (
        r"\b(?:could|can) retrain\b|\bsomeone part of the time\b|\bsome time\b"
        r"|\b(?:a )?(?:few|couple of) hours\b",
        "limited",
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
    "style_consistency_need": {"low": "low", "medium": "medium", "high": "high"},
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
    r"|\bscratch that\b|\bmake that\b|\bi mis-?typed\b",
    re.IGNORECASE,
)

# How a user may name a field they don't know ("not sure about the latency").
FIELD_MENTIONS: Final = cue_table(
    (r"\blatency\b|\bresponse time\b", "latency_target_ms"),
    (r"\bvolume\b|\brequests\b|\btraffic\b", "requests_per_month"),
    (r"\bbudget\b", "budget_monthly_usd"),
    (r"\bexamples\b|\blabell?ed\b|\btraining data\b", "labelled_examples"),
    (r"\beval(?:uation)? set\b|\btest set\b", "eval_set_exists"),
    (r"\bcitations?\b", "citations_required"),
    (r"\bhosting\b", "finetune_hosting_usd_per_month"),
    (r"\bdocuments\b|\bdocs\b", "kb_size_docs"),
    (r"\btokens\b", "kb_size_tokens"),
)

# Words that name what a message is about when no question is open ("what if nobody could
# maintain it?", "we have some time to retrain it"): the message is then read as an answer
# to the question on that topic, so its answer phrases count.
TOPICS: Final = cue_table(
    (
        r"\bmaint\w*|\bretrain\w*|\bupkeep\b|\bown(?:s|ing)? (?:it|the model)\b",
        "maintenance_capacity",
    ),
    (r"\bML\b|\bfine-?tun\w* APIs?\b|\bopen weights\b", "team_ml_capability"),
    (r"\bstyle\b|\btone\b|\bvoice\b", "style_consistency_need"),
    (r"\bdomain\b|\bjargon\b", "domain_specialization"),
    (r"\bgap\b|\btarget\b|\bbaseline\b", "prompt_baseline_gap_pp"),
    (r"\bKB\b|\bknowledge base\b|\bpages\b", "kb_size_tokens"),
    (r"\bknowledge\b", "needs_external_knowledge"),
    (
        r"\bdevice\b|\bphones?\b|\blaptops?\b|\bcloud\b|\bon-?prem\w*|\bruns? (?:it )?on\b",
        "deployment_target",
    ),
    (r"\bstage\b", "project_stage"),
    (r"\bformat\b|\boutput\b", "output_format_strictness"),
    (r"\bprivacy\b|\bdata\b", "data_privacy"),
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
    ),
    (r"\bwe do\b|\bwe have (?:one|it|that)\b|\bit does\b|\bthey do\b", True),
)
