"""Phrases that state enum and yes/no facts, as ordered (pattern, value) tables.

Order matters: the first matching row of a table wins, so more specific or
more decisive phrases come first ("not regulated" before "regulated",
"our VPC" before "cloud is fine"). Tuned on tests/data/dev.jsonl and the
conventions in shared/scenarios/README.md.
"""

from __future__ import annotations

import re
from typing import Final

Cue = tuple[re.Pattern[str], str | bool]


def cue_table(*rows: tuple[str, str | bool]) -> tuple[Cue, ...]:
    return tuple((re.compile(pattern, re.IGNORECASE), value) for pattern, value in rows)


TASK_TYPE: Final = cue_table(
    (
        r"\binto\b.{0,40}\bDSL\b|natural[- ]language\b.{0,120}(?:→|->|\binto\b)"
        r".{0,30}\b(?:JSON|SQL|action|command|query|API call)|\btext[- ]to[- ](?:SQL|query)"
        r"|\bsemantic pars|\bquer(?:y|ies)\b.{0,30}\binto\b.{0,30}\b(?:filters|SQL|API calls?"
        r"|structured queries)\b",
        "semantic_parsing",
    ),
    (r"\btranslat\w*", "translation"),
    (
        r"\bexplain\w*\b.{0,60}\b(?:code|diffs?|stack ?traces?|functions?)\b"
        r"|\bexplanation\b.{0,80}\b(?:code|diff|log|build|stack ?trace|PR)\b",
        "code_explanation",
    ),
    (
        r"\bmoderat\w*|\bprohibited\b|\bpolicy violations?\b|\bflag(?:ged|s)? for "
        r"(?:human )?review\b|\btoxic\w*|\bscreen(?:ed|ing)? against\b",
        "moderation",
    ),
    (r"\bsummar\w*|\b(?:a|short) brief\b|\brecap\b|\btl;?dr\b|\bcondense", "summarization"),
    (
        r"\bextract\w*|\bnormali[sz]e\w*\b.{0,60}\binto\b|\binto structured\b"
        r"|\bpull\w* (?:out )?(?:the )?fields\b|\bparse\w*\b.{0,40}\bfields\b"
        r"|\bpull\b[^.]{0,80}\bfrom\b[^.]{0,80}\binto (?:our |a |the )?[\w-]* ?(?:JSON|fields"
        r"|schema|records?|forms?)\b",
        "extraction",
    ),
    (
        r"\bclassif\w*|\bcategori[sz]\w*"
        r"|\brout(?:e|es|ing) (?:each |every |incoming )?(?:them|it|tickets|emails|messages"
        r"|requests|calls|cases|leads|queries)\b"
        r"|\b(?:into|to) (?:one of )?~?\w+ (?:categories|classes|labels|buckets|intents|queues)\b"
        r"|\bmap (?:every|each)\b.{0,80}\bto (?:our|a|the) "
        r"(?:standard|fixed|predefined)\b|\breason codes\b|\bintent detection\b",
        "classification",
    ),
    (
        r"\bchat assistant\b|\bchats? with (?:players|users|customers|members|students|visitors)\b"
        r"|\bsocratic\b|\btutor(?:ing)?\b|\bhomework helper\b|\bpersona\b"
        r"|\brole[- ]?play",
        "dialogue",
    ),
    (
        r"\banswers?\b.{0,40}\bquestions?\b|\banswers? (?:from|using|based on)\b"
        r"|\banswers? (?:staff|users?|customers?|about)\b"
        r"|\bask\w*\b.{0,15}\b(?:things|questions|about)\b|\bcan ask\b|\bkeep asking\b"
        r"|\bquery (?:the|our)\b.{0,30}\b(?:manuals?|docs|documents|knowledge)|\bQ&A bot\b"
        r"|\bchatbot (?:on|over|for|about) (?:our|the)\b",
        "qa_over_docs",
    ),
    (
        r"\bgenerat\w*|\bdraft\w*|\bwrite\b|\bwrites\b|\bwritten in\b|\bsuggestions?\b|\bcompose",
        "generation",
    ),
)

# Volatility is read only in a sentence that also says something changes,
# so "8k questions a month" or "last quarter vs this one" never count.
CHANGE_WORDS: Final = re.compile(
    r"\b(?:updat|chang|revis|amend|refresh|publish|new|land|arriv|come|filed|add|edit"
    r"|releas|rewrit|republish)\w*",
    re.IGNORECASE,
)
VOLATILITY: Final = cue_table(
    (
        r"minute[- ]to[- ]minute|\bevery (?:few )?(?:minutes?|hours?)\b|\bhourly\b"
        r"|\breal[- ]?time (?:data|updates?|status|prices?|feeds?|inventory)\b"
        r"|\bconstantly\b|\blive (?:data|status|prices?|inventory)\b",
        "realtime",
    ),
    (
        r"\bdaily\b|\bevery day\b|\beach day\b|\bnightly\b"
        r"|\bevery (?:few|couple of|2|3|two|three) days\b",
        "daily",
    ),
    (
        r"\bweekly\b|\bevery week\b|\beach week\b|\bonce a week\b|\bfortnightly\b|\bbiweekly\b"
        r"|\bevery (?:couple of|few|2|two) weeks\b",
        "weekly",
    ),
    (r"\bmonthly\b|\bevery month\b|\beach month\b|\bonce a month\b|\b\d+-day cycle", "monthly"),
    (
        r"\bquarterly\b|\bevery quarter\b|\bonce a quarter\b|\beach quarter\b"
        r"|\b(?:a few|several|two|three|four) times a year\b|\btwice a year\b",
        "quarterly",
    ),
    (
        r"\byearly\b|\bannual(?:ly)?\b|\bonce a year\b|\bevery year\b"
        r"|\beach (?:school |fiscal |tax )?year\b|\bevery (?:tax )?season\b",
        "yearly",
    ),
    (
        r"\bstatic\b|\bnever changes?\b|\b(?:rarely|hardly ever|barely) (?:changes?|updated)\b"
        r"|\bdoesn'?t change\b",
        "static",
    ),
)

CITATIONS: Final = cue_table(
    (
        r"\bno citations?\b|\bcitations? (?:are |is )?not (?:needed|required)\b"
        r"|\bcitations? (?:aren'?t|isn'?t|are not|is not) (?:needed|required|necessary)\b"
        r"|\b(?:don'?t|doesn'?t|no) need (?:to )?(?:cite|citations?|sources?)\b"
        r"|\b(?:drop|dropp?ed|remove[ds]?|lift(?:ed)?|skip(?:ped)?) (?:the )?citations?"
        r"(?: requirement)?\b|\bwithout citations\b",
        False,
    ),
    (
        r"\bcit(?:e|es|ing|ation|ations)\b|\bquot(?:e|es|ing)\b.{0,40}\b(?:rule|section|source"
        r"|manual|number|page|clause)|\bverbatim quotes?\b|\breferences?\b.{0,20}\b(?:numbers?"
        r"|ids?|sections?|sources?)\b|\blinks? (?:to )?the\b.{0,40}\b(?:it used|source)\b"
        r"|\bwith (?:the )?sources?\b|\blink (?:to )?the (?:article|source|doc|document|page)",
        True,
    ),
)
EVAL_SET: Final = cue_table(
    (
        r"\bno (?:evals?|eval set|test set|evaluation)\b|\b(?:don'?t|do not) have (?:an? |any )?"
        r"(?:evals?|eval set|test set)\b|\bwithout (?:an? |any )?(?:evals?|eval set|test set)\b"
        r"|\bhaven'?t (?:built|measured|got|done|run|created|set up)\b",
        False,
    ),
    (
        r"\bevals?\b|\beval set\b|\bevaluation (?:set|suite|data)\b|\btest set\b|\bgold\b"
        r"|\bheld[- ]out\b|\bgolden\b|\btest cases\b|\bbenchmark\b",
        True,
    ),
)

NO_EXTERNAL_KNOWLEDGE: Final = re.compile(
    r"\beverything (?:it |we )?needs? is in\b|\beverything needed is in\b"
    r"|\bin the [\w-]+(?: [\w-]+)? (?:itself|themselves)\b|\bnothing external\b"
    r"|\bself[- ]contained\b|\bno external (?:knowledge|data|docs)\b"
    r"|\b(?:all|everything) (?:it needs )?(?:is )?in the (?:input|request|message|text)\b"
    r"|\b(?:everything|all) (?:it needs |we need |needed )?is in the\b"
    # "generated from the failing log excerpt and the diff": the request carries its input.
    r"|\b(?:generated|written|drafted|produced) (?:only )?from the (?:[\w-]+ ){0,3}(?:logs?"
    r"|diff|notes|ticket|email|message|transcript|text|input|excerpt|request)\b"
    # "we don't need RAG", "no retrieval needed": the team says no knowledge store is needed.
    r"|\b(?:don'?t|do not|doesn'?t|does not|won'?t|will not) need (?:any |a |an )?(?:external "
    r"(?:knowledge|data|docs|sources)|outside (?:knowledge|data)|RAG|retrieval|knowledge base)\b"
    r"|\bno (?:RAG|retrieval|knowledge base|KB|external docs|(?:external )?knowledge)(?: stuff)?"
    r" (?:is |was |were |would be )?"
    r"(?:needed|required|necessary)\b|\beverything'?s in the\b"
    # "the input has everything it needs", "the ticket contains everything".
    r"|\b(?:input|request|message|text|ticket|email|prompt|transcript|query|diff|form)s? "
    r"(?:itself |already )?(?:has|have|holds|contains|carries|includes) (?:all|everything)\b",
    re.IGNORECASE,
)
KNOWLEDGE_SOURCE: Final = re.compile(
    r"\bknowledge base\b|\brulebook\b|\bmanuals?\b|\bour docs\b|\bdocumentation\b"
    r"|\bpolicy doc\b|\bwiki\b|\bintel feeds?\b|\bretriev\w*|\bmunicipal code\b|\bspec book\b"
    r"|\bguides?\b|\btypology library\b|\bhandbook\b|\bcatalog(?:ue)?\b|\bprice list\b",
    re.IGNORECASE,
)

OUTPUT_FORMAT: Final = cue_table(
    (
        r"\bDSL\b|\bhouse (?:format|template|style)\b|\bin-house format\b|\bour own format\b"
        r"|\bmarkup\b|\bXML\b|\b(?:section|mandatory) template\b|\btemplate sections\b"
        r"|\bstrict format\b|\bmandated\b.{0,30}\bstructure\b|\bfixed (?:format|structure)\b"
        r"|\bcustom format\b|\b(?:agency|regulator'?s?|mandated|required|fixed) template\b"
        r"|\bstructured template\b|\bour (?!prompt)(?:[\w-]+ )?template\b",
        "strict_custom",
    ),
    (
        r"\bJSON\b|\bYAML\b|\bCSV\b|\bstructured outputs?\b|\bagainst (?:our|a|the) schema\b",
        "common_schema",
    ),
    (
        r"\bplain (?:prose|text)\b|\bfree[- ]form\b|\bfree text\b|\bprose\b|\bmarkdown\b"
        r"|\bno (?:particular|fixed) format\b",
        "free",
    ),
)

STYLE: Final = cue_table(
    (
        r"\bestablished voices?\b|\bbrand voice\b|\bon-brand\b|\bsound like us\b"
        r"|\bfixed (?:tone|persona)\b|\bphrase vocabulary\b|\bregister\b"
        r"|\bstyle (?:manual|guide)\b|\bread the same\b|\bconsistent (?:tone|voice|style)\b"
        r"|\bin the voice of\b|\bsound like (?:our brand|our company)\b",
        "high",
    ),
)

DOMAIN: Final = cue_table(
    (
        r"\bDSL\b|\bjargon\b|\binternal (?:[\w-]+ )?(?:acronyms|terminology|codes)\b"
        r"|\bour own (?:defect codes|codes|config names|terminology|acronyms"
        r"|notation|part numbers)\b|\bproprietary (?:codes|terminology|language|notation|syntax)\b"
        r"|\b(?:Welsh|Basque|Irish|Gaelic|Maori|Māori|Icelandic|Faroese|Breton|Quechua)\b"
        r"|\blow[- ]resource language\b",
        "niche_proprietary",
    ),
    (
        r"\bchemistry\b|\bphysics\b|\bmedic(?:ine|al)\b|\bclinical\b|\bradiology\b"
        r"|\bpharma\w*|\baccounting\b|\baudit\w*|\btrial balance\b|\bchart of accounts\b"
        r"|\bbookkeeping\b|\bpayments?\b|\bSWIFT\b|\bearnings\b|\bbuy-side\b|\bsell-side\b"
        r"|\bsecurities\b|\bfinance\b|\bcase law\b|\blaw firm\b|\bprecedents?\b"
        r"|\blegal (?:research|contracts|memos)\b",
        "specialized_public",
    ),
)

DEPLOYMENT: Final = cue_table(
    (
        r"\bon[- ]device\b|\bon the (?:phone|device|iPad|tablet|laptop|handset)s? itself\b"
        r"|\brun on the (?:phone|device|iPad|tablet|laptop|handset)|\bedge devices?\b"
        r"|\bno server round trip\b",
        "edge_device",
    ),
    (
        r"\bon[- ]prem\w*|\bour own data ?cent(?:re|er)\b|\bown servers\b|\bour servers\b"
        r"|\bin (?:our|the) data ?cent(?:re|er)\b",
        "on_prem",
    ),
    (
        r"\bprivate cloud\b|\bVPC\b|\bprivate (?:Azure|AWS|GCP) tenant\b|\btenancy\b"
        r"|\bour (?:own )?(?:Azure|AWS|GCP|cloud) (?:tenant|account|subscription)\b"
        r"|\bour own tenant\b",
        "private_cloud",
    ),
    (r"\bcloud(?:'s| is)? (?:API|fine|ok|okay)\b|\bhosted API\b", "cloud_api"),
)

PRIVACY: Final = cue_table(
    (
        r"\bnothing (?:regulated|sensitive|personal)\b|\bnot regulated\b"
        r"|\bno (?:personal|sensitive|customer|student|taxpayer|patient) data\b"
        r"|\bpublic (?:record|data|weather data|information)\b|\beverything'?s public\b"
        r"|\ball public\b|\bstandard vendor terms\b|\bno PII\b",
        "standard",
    ),
    (r"\bair[- ]gapped\b|\bno (?:internet|network) (?:access|connection)\b", "air_gapped"),
    (
        r"\bHIPAA\b|\bGDPR\b|\bregulated\b|\bregulation\b|\bITAR\b|\bexport[- ]controlled\b"
        r"|\bPCI\b|\bSOX\b|\bFINRA\b|\bSEC-registered\b|\bPHI\b|\bpersonal data\b"
        r"|\bpatient data\b|\bcustomer payment data\b|\bat a bank\b|\bhealth (?:data|records)\b"
        r"|\bmedical records\b|\bpersonal (?:info|information|details)\b|\bPII\b",
        "regulated",
    ),
)

TEAM: Final = cue_table(
    (
        r"\bno ML\b|\b(?:nobody|no one) (?:knows|does) ML\b"
        r"|\bno (?:data scientists|ML (?:people|engineers|team|skills))\b"
        r"|\bagency is building\b|\bapp developers\b|\bcodes a bit\b"
        r"|\bnever (?:fine-?tuned|trained)\b|\bonly (?:used|call(?:ed)?) (?:the )?[\w-]* ?APIs?\b",
        "none",
    ),
    (
        r"\btrain (?:and|&) serve\b|\bserves? (?:our own|open[- ]weight)\b|\bopen[- ]weight\b"
        r"|\bML research group\b|\bown GPUs\b|\bships? on-device models\b|\bML platform team\b"
        r"|\btrain our own\b|\btrains? (?:[\w-]+ )?models in-house\b|\bin-house ML\b"
        r"|\bpre-?trains?\b|\bPhDs?\b",
        "strong",
    ),
    (
        r"\bmanaged (?:fine-?tuning|tuning)\b|\bhosted fine-?tuning\b|\bfine-tuning API\b"
        r"|\bdata scientists?\b|\bML engineers?\b",
        "basic",
    ),
)
MAINTENANCE: Final = cue_table(
    (r"\bnobody can (?:own|maintain)\b|\bno one (?:to|can) (?:own|maintain)\b", "none"),
    (
        r"\bdedicated\b.{0,30}\b(?:team|person|engineer|group|MLOps)\b"
        r"|\bMLOps (?:team|group|person)\b|\bML platform team\b",
        "dedicated",
    ),
    (
        r"\blow[- ]maintenance\b|\bpart[- ]time\b|\bvolunteers\b"
        r"|\bretrain once or twice a year\b",
        "limited",
    ),
)
STAGE: Final = cue_table(
    (r"\bin production\b|\bproduction traffic\b|\balready live\b", "production"),
    (r"\bpilot(?:ing)?\b", "pilot"),
    # "a prototype", "prototyping" name the stage; "the pipeline we prototyped" is history.
    (r"\bprototyp(?:e|es|ing)\b|\bPoC\b|\bproof of concept\b", "prototype"),
)

ENUM_CUES: Final[dict[str, tuple[Cue, ...]]] = {
    "task_type": TASK_TYPE,
    "output_format_strictness": OUTPUT_FORMAT,
    "style_consistency_need": STYLE,
    "domain_specialization": DOMAIN,
    "deployment_target": DEPLOYMENT,
    "data_privacy": PRIVACY,
    "team_ml_capability": TEAM,
    "maintenance_capacity": MAINTENANCE,
    "project_stage": STAGE,
}

# "We don't have any labelled examples": a count of zero stated in words.
NO_EXAMPLES: Final = re.compile(
    r"\b(?:no|don'?t have any|do not have any|zero|without any) (?:labell?ed|curated|training"
    r"|annotated) (?:examples|data|pairs)\b",
    re.IGNORECASE,
)

# A cue right after one of these words is denied, not stated ("doesn't need to run on-prem").
# A negation does not reach past "and" or "but" ("no ML engineers and nobody can maintain").
NEGATION_BEFORE: Final = re.compile(
    r"\b(?:not|no|never|without|don'?t|doesn'?t|isn'?t|aren'?t|won'?t|needn'?t)\b"
    r"(?:(?!\band\b|\bbut\b)[^.,;:!?]){0,20}$",
    re.IGNORECASE,
)

# "2k new tickets daily" is a volume, not how often the knowledge changes.
VOLUME_RATE: Final = re.compile(
    r"(?<![\d.,])\d[\d,.]*\s*(?:k|m|million|thousand)?\s+"
    r"(?:(?!updat|chang|revis|refresh|amend)[\w'-]+\s+){0,3}?"
    r"(?:daily|weekly|monthly|quarterly|(?:every|each|a|per) (?:day|week|month|quarter|year))\b",
    re.IGNORECASE,
)
