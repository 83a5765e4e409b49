"""Phrases that state enum and yes/no facts, as ordered (pattern, value) tables.

Order matters: the first matching row of a table wins, so more specific or
more decisive phrases come first ("not regulated" before "regulated",
"our VPC" before "cloud is fine"). Tuned on tests/data/dev.jsonl and the
conventions in tests/data/README.md.
"""

from __future__ import annotations

import re
from typing import Final

from bot.interview.cue_tables import Cue, CueTable, cue_table
from bot.interview.task_vocabulary import TASK_TYPE

__all__ = ["TASK_TYPE", "Cue", "CueTable", "cue_table"]


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
        (
            "our OMS and changes minute to minute",
            "docs, new intel lands every few hours) and write the triage",
            "hourly",
            "it needs real-time prices",
            "changes constantly",
            "live inventory that changes",
        ),
    ),
    (
        r"\bdaily\b|\bevery day\b|\beach day\b|\bnightly\b"
        r"|\bevery (?:few|couple of|2|3|two|three) days\b",
        "daily",
        (
            "New issues land daily.",
            "new reports come in every day",
            "new rules come each day",
            "it runs as a nightly batch, a minute per",
            "updated every few days",
        ),
    ),
    (
        r"\bweekly\b|\bevery week\b|\beach week\b|\bonce a week\b|\bfortnightly\b|\bbiweekly\b"
        r"|\bevery (?:couple of|few|2|two) weeks\b",
        "weekly",
        (
            "events page changes weekly.",
            "which our editors update every week.",
            "the menu changes each week",
            "updated once a week",
            "docs are refreshed fortnightly",
            "a biweekly release",
            "every couple of weeks",
        ),
    ),
    (
        r"\bmonthly\b|\bevery month\b|\beach month\b|\bonce a month\b|\b\d+-day cycle",
        "monthly",
        (
            "amended after every monthly council meeting.",
            "HR teams update them every month or so.",
            "prices change each month",
            "updated once a month",
            "tokens), revised every 28-day cycle, and answers must quote",
        ),
    ),
    (
        r"\bquarterly\b|\bevery quarter\b|\bonce a quarter\b|\beach quarter\b"
        r"|\b(?:a few|several|two|three|four) times a year\b|\btwice a year\b",
        "quarterly",
        (
            "(~45k tokens, updated quarterly) in the prompt.",
            "tokens, and gets revised every quarter or so.",
            "publish errata roughly once a quarter.",
            "3,000 new SKUs each quarter",
            "a few times a year",
            "can retrain once or twice a year",
        ),
    ),
    (
        r"\byearly\b|\bannual(?:ly)?\b|\bonce a year\b|\bevery year\b"
        r"|\beach (?:school |fiscal |tax )?year\b|\bevery (?:tax )?season\b",
        "yearly",
        (
            "~70k tokens, updated yearly, and sits in a cached",
            "handbook is revised annually",
            "tokens, changes about once a year) in a cached prompt",
            "Every year our content engineers",
            "~30M tokens, refreshed each school year) and write items in",
            "rules change every tax season",
        ),
    ),
    (
        # "our static analyzer" names a tool, not how often knowledge changes.
        r"\bstatic\b(?! (?:analy[sz]\w*|typing|site|IPs?|pages?)\b)|\bnever changes?\b"
        r"|\b(?:rarely|hardly ever|barely) (?:changes?|updated)\b"
        r"|\bdoesn'?t change\b",
        "static",
        (
            "static but large knowledge",
            "brace or colon in one never changes the key's layout.",
            "hardly ever changes",
            "the catalogue doesn't change",
        ),
        ("explain findings from our static analyzer to developers",),
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
        (
            "no citations, users just want the",
            "citations are not needed",
            "citations aren't required here",
            "we don't need to cite anything",
            "what if we drop the citation requirement?",
            "fine without citations",
        ),
    ),
    (
        r"\bcit(?:e|es|ing|ation|ations)\b|\bquot(?:e|es|ing)\b.{0,40}\b(?:rule|section|source"
        r"|manual|number|page|clause)|\bverbatim quotes?\b|\breferences?\b.{0,20}\b(?:numbers?"
        r"|ids?|sections?|sources?)\b|\blinks? (?:to )?the\b.{0,40}\b(?:it used|source)\b"
        r"|\bwith (?:the )?sources?\b"
        r"|\blink (?:to )?the (?:[\w-]+ )?(?:article|source|doc|document|page)"
        r"|\bpoint to the (?:[\w-]+ )?(?:page|section|clause|source)\b",
        True,
        (
            "Every answer has to cite the bylaw and section",
            "Answers should quote the rule number so people stop arguing",
            "needs verbatim quotes with source and date.",
            "tenancy, and answers must reference NCR numbers.",
            "(around 40M tokens), and links the issue or doc page it used.",
            "changes weekly, and always link the article.",
            "every answer should link the product page",
            "and the answer should point to the manual page.",
        ),
        (
            "no citations needed",
            "citations are not required",
        ),
    ),
)
EVAL_SET: Final = cue_table(
    (
        r"\bno (?:evals?|eval set|test set|evaluation)\b|\b(?:don'?t|do not) have (?:an? |any )?"
        r"(?:evals?|eval set|test set)\b|\bwithout (?:an? |any )?(?:evals?|eval set|test set)\b"
        r"|\bhaven'?t (?:built|measured|got|done|run|created|set up)\b(?! anything\b| it\b)",
        False,
        (
            "no eval set yet",
            "We don't have an eval set yet.",
            "Without an eval set the first next step",
            "no, we haven't measured a baseline yet",
        ),
        ("Haven't built anything yet, just exploring the idea.",),
    ),
    (
        r"\bevals?\b|\beval set\b|\bevaluation (?:set|suite|data)\b|\btest set\b|\bgold\b"
        r"|\bheld[- ]out\b|\bgolden\b|\btest cases\b|\bbenchmark\b",
        True,
        (
            "On our 500-line eval the writers' best prompt",
            "On our 600-utterance eval set the best prompt",
            "we keep an evaluation suite",
            "on a 1,000-bulletin test set",
            "past excursions with gold 8Ds",
            "yes, 1,000 held-out listings",
            "limits, escaping and golden output.",
            "yes, 300 hand-checked test cases",
            "we run a benchmark weekly",
        ),
        ("no eval set yet, we eyeball the outputs",),
    ),
)

NO_EXTERNAL_KNOWLEDGE: Final = re.compile(
    r"\beverything (?:it |we )?needs? is in\b|\beverything needed is in\b"
    r"|\bin the [\w-]+(?: [\w-]+)? (?:itself|themselves)\b|\bnothing external\b"
    r"|\bself[- ]contained\b|\bwhich has everything\b|\beverything needed comes from\b"
    r"|\bno external (?:knowledge|data|docs)\b"
    r"|\bno external (?:info|information)\b|\b(?:is|are) in the (?:request|input|message)\b"
    r"|\b(?:all|everything) (?:it needs )?(?:is )?in the (?:input|request|message|text)\b"
    r"|\b(?:everything|all) (?:it needs |we need |needed )?is in the\b"
    # "generated from the failing log excerpt and the diff": the request carries its input.
    r"|\b(?:generated|written|drafted|produced) (?:only )?from the (?:[\w-]+ ){0,3}(?:logs?"
    r"|diff|notes|ticket|email|message|transcript|text|input|excerpt|request)\b"
    # "we don't need RAG", "no retrieval needed": the team says no knowledge store is needed.
    r"|\b(?:don'?t|do not|doesn'?t|does not|won'?t|will not) need (?:any |a |an )?(?:external "
    r"(?:knowledge|data|docs|sources)|outside (?:knowledge|data)|RAG|retrieval|knowledge base)\b"
    r"|\bthere'?s no (?:knowledge base|KB|external (?:knowledge|data|docs))\b"
    r"|\bno (?:RAG|retrieval|knowledge base|KB|external docs|(?:external )?knowledge)(?: stuff)?"
    r" (?:is |was |were |would be )?"
    r"(?:needed|required|necessary)\b|\beverything'?s in the\b"
    # "the input has everything it needs", "the ticket contains everything".
    r"|\bthe [\w-]+ (?:itself |already )?(?:has|holds|contains) everything\b"
    r"|\b(?:input|request|message|text|ticket|email|prompt|transcript|query|diff|form)s? "
    r"(?:itself |already )?(?:has|have|holds|contains|carries|includes) (?:all|everything)\b"
    # "the claim file we pass in has everything", "nothing outside the source text is needed".
    r"|\bwe (?:pass|send|give it|feed it)(?: in)? (?:has|holds|contains|carries) everything\b"
    r"|\bnothing (?:outside|beyond) the (?:[\w-]+ ){0,2}(?:is |would be )?(?:needed|required)\b",
    re.IGNORECASE,
)
KNOWLEDGE_SOURCE: Final = re.compile(
    r"\bknowledge base\b|\brulebook\b|\bmanuals?\b|\bour docs\b|\bdocumentation\b"
    r"|\bpolicy doc\b|\bwiki\b|\bintel feeds?\b|\bretriev\w*|\bmunicipal code\b|\bspec book\b"
    # A tone or style guide says how to write, not where answers come from.
    r"|(?<!tone )(?<!style )(?<!voice )(?<!brand )\bguides?\b|\btypology library\b"
    r"|\bhandbook\b|\bcatalog(?:ue)?\b|\bprice list\b",
    re.IGNORECASE,
)

OUTPUT_FORMAT: Final = cue_table(
    (
        r"\bDSL\b|\bhouse (?:[\w-]+ )?(?:format|template)\b|\bin-house format\b"
        r"|\bour own format\b|\bmandated (?:format|fields)\b|\bsection order\b|\bfixed-width\b"
        r"|\b(?:own|custom) (?:[\w-]+ )?(?:grammar|query language)\b|\bthe format our\b"
        r"|\btemplating language\b|\b(?:internal|in-house) (?:[\w-]+ ){0,2}macro language\b"
        r"|\bmarkup\b|\bXML\b|\b(?:section|mandatory) template\b|\btemplate sections\b"
        r"|\bstrict format\b|\bmandated\b.{0,30}\bstructure\b|\bfixed (?:format|structure)\b"
        r"|\bcustom format\b|\b(?:agency|regulator'?s?|mandated|required|fixed) template\b"
        r"|\bstructured template\b|\bour (?!prompt)(?:[\w-]+ ){0,2}template\b",
        "strict_custom",
        (
            "written in a templating language",
            "the next step in our internal macro language (~40 commands)",
            "rules in our internal DSL (we call it TaxCalc).",
            "triage ticket in our house format.",
            "draft an 8D in our in-house format (our own defect codes",
            "in our own format",
            "wrapped in our dialogue markup (emotion tags, VO timing",
            "items in our item-bank XML with distractor rationales.",
            "defect codes, tool IDs, section template).",
            "standard pasted in miss mandatory template sections and botch the",
            "each sea area, in the strict format our style manual mandates",
            "narrative must follow our mandated five-part structure and regulator-approved",
            "a fixed structure every time",
            "a large gap on a custom format",
            "the regulator's template",
            "dictated findings in our structured template.",
            "descriptions generated in our house template with a strict brand",
            "letters in our mandated format",
            "the section order is fixed",
            "a fixed-width record",
            "it has its own command grammar",
            "queries in our custom query language",
            "in the format our auditors use",
        ),
        ("no fixed format, plain prose", "in our house style (AP style, no clickbait)"),
    ),
    # A language or record format the team owns is one no public model has been taught.
    (
        r"\bin-house (?:[\w-]+ ){0,3}(?:language|notation|syntax)\b"
        r"|\bour (?!JSON|YAML|CSV)(?:[\w'-]+ ){0,3}(?:record|message|alert|report|ticket|order"
        r"|rule|note) format\b|\bstrict (?!JSON|YAML|CSV)(?:[\w-]+ )?format\b",
        "strict_custom",
        (
            "rules in our in-house fraud rule language, which no public model has seen",
            "turned into queries in our in-house risk query language",
            "structured into our inspection record format on the device",
            "alerts in our desk's strict alert format, which traders parse",
        ),
        (
            "a strict JSON format checked against our schema",
            "our JSON report format",
        ),
    ),
    (
        r"\bJSON\b|\bYAML\b|\bCSV\b|\bstructured outputs?\b|\bagainst (?:our|a|the) schema\b",
        "common_schema",
        (
            "listings into our attribute JSON (make, model, trim",
            "support-assistant.yaml",
            "CSV rows",
            "against our schema with structured outputs.",
        ),
    ),
    (
        r"\bplain (?:prose|text)\b|\bfree[- ]form\b|\bfree text\b|\bprose\b|\bmarkdown\b"
        r"|\bno (?:particular|fixed) format\b",
        "free",
        (
            "Plain prose is fine, it just has",
            "a markdown comment, free-form",
            "free text plus the list of NCRs",
            "no particular format",
        ),
    ),
)

STYLE: Final = cue_table(
    (
        r"\bestablished voices?\b|\bbrand voice\b|\bon-brand\b|\bsound like us\b"
        r"|\bfixed (?:tone|persona)\b|\bphrase vocabulary\b|\bregister\b"
        r"|\bstyle (?:manual|guide)\b|\bread the same\b|\bconsistent (?:tone|voice|style)\b"
        r"|\bin the voice of\b|\bsound like (?:our brand|our company)\b"
        r"|\b(?:their|its|his|her) own voice\b|\b(?:tone|voice) guide\b"
        # "in our house style", "same voice every time", "in each character's voice".
        r"|\bhouse style\b|\bsame voice\b|\bin (?:each|every) [\w-]+'s voice\b"
        # "NPC dialogue has to stay in character": a fixed persona voice.
        r"|\b(?:stay|stays|staying|remain|remains) in character\b",
        "high",
        (
            "characters in their established voices, wrapped in our dialogue",
            "XML template, strict brand voice, lots of internal jargon",
            "medium, friendly and on-brand but not fussy",
            "it has to sound like us",
            "a fixed tone",
            "format our style manual mandates (fixed phrase",
            "our terminology and register are very particular.",
            "manual mandates (fixed phrase vocabulary",
            "reviewers want every MOP to read the same",
            "a consistent voice across replies",
            "written in the voice of our founder",
            "it must sound like our brand",
            "for ~300 NPCs, each in their own voice.",
            "our tone guide is strict (friendly, 'you' not 'employees')",
            "teasers for every article, in our house style (AP style, no clickbait",
            "encouraging, never sarcastic, same voice every time",
            "short lines reacting to what the player does, in each character's voice.",
            "NPC dialogue has to stay in character; the lore bible",
        ),
    ),
    (
        r"\bsound (?:exactly|just) like\b|\bsignature phrases\b",
        "high",
        (
            "must sound exactly like our brand",
            "warm, formal, signature phrases",
        ),
    ),
)

DOMAIN: Final = cue_table(
    (
        r"\bDSL\b|\bjargon\b|\binternal (?:[\w-]+ )?(?:acronyms|terminology|codes)\b"
        r"|\bour own (?:defect codes|codes|config names|terminology|acronyms"
        r"|notation|part numbers)\b|\bproprietary (?:codes|terminology|language|notation|syntax)\b"
        r"|\b(?:Welsh|Basque|Irish|Gaelic|Maori|Māori|Icelandic|Faroese|Breton|Quechua)\b"
        r"|\blow[- ]resource language\b|\bcode ?book\b|\bour own (?:[\w-]+ )?language\b"
        r"|\bown (?:command )?grammar\b|\bbarely exists\b",
        "niche_proprietary",
        (
            "rules in our internal DSL (we call it TaxCalc).",
            "right, but format and jargon errors mean ~25% of",
            "lots of internal acronyms",
            "internals, with lots of our own config names",
            "full of proprietary codes",
            "first-draft English→Welsh translation of web pages",
            "a low-resource language",
            "codes from the code book",
            "FQL, our own query language",
            "the device has its own grammar",
            "a DSL that barely exists online",
        ),
    ),
    # A language only the team uses, or one it says public models have never seen.
    (
        r"\bin-house (?:[\w-]+ ){0,3}(?:language|notation|syntax|codes|code sets?)\b"
        r"|\b(?:our|internal) (?:[\w-]+ ){0,2}(?:query|macro) language\b"
        r"|\bno public models? (?:has |have )?(?:ever )?seen\b"
        r"|\bnever seen by (?:any )?public models?\b"
        # "our structured report codes": a code set the team defined.
        r"|\bour (?:[\w-]+ ){0,2}(?:report|defect|fault|cause) codes\b",
        "niche_proprietary",
        (
            "dictated findings into our structured report codes, on the device",
            "rules in our in-house fraud rule language",
            "queries in our internal analytics query language",
            "billing codes from our in-house code set (~20k codes)",
            "the next step in our internal macro language",
            "which no public model has seen",
            "a notation never seen by any public model",
        ),
        ("SQL, a standard query language", "our discount codes", "Excel macros"),
    ),
    (
        r"\bchemistry\b|\bphysics\b|\bmedic(?:ine|al)\b|\bclinical\b|\bradiology\b"
        r"|\bpharma\w*|\baccounting\b|\baudit\w*|\btrial balance\b|\bchart of accounts\b"
        # A call's "payment details" are data in it, not the payments domain.
        r"|\bbookkeeping\b|\bpayments?\b(?! (?:details|info|information|data)\b)|\bSWIFT\b"
        r"|\bearnings\b|\bbuy-side\b|\bsell-side\b"
        # "finance said 10k max" names who set a number, not the domain.
        r"|\bsecurities\b|\bfinance\b(?! (?:said|says|approved|signed off|capped|set)\b)"
        r"|\bcase law\b|\blaw firm\b|\bprecedents?\b"
        r"|\blegal (?:research|contracts|memos)\b|\b[\w]+-law\b|\battorneys\b|\bstatutes?\b"
        r"|\btax (?:bulletins|code|law|guidance|rules|returns)\b",
        "specialized_public",
        (
            "for this one, organic chemistry is way too specialised",
            "physics homework",
            "Medical information team at",
            "a pharma company's inquiries",
            "clinical trial summaries",
            "Radiology informatics at a hospital",
            "accounting questions",
            "Audit-tech startup.",
            "balance to our standard chart of accounts (~900",
            "client's trial balance to our standard chart",
            "injected clock, bounded bookkeeping.",
            "Payments ops at a bank.",
            "free-text fields in legacy SWIFT MT messages (remittance",
            "vs this one?' across earnings-call transcripts and",
            "Buy-side research desk.",
            "sell-side research notes",
            "securities filings",
            "Finance has capped this feature",
            "answers grounded in case law",
            "Knowledge-management lead at a law firm :scales: We want first-draft",
            "code), grounded in our precedent bank: ~18,000 precedents",
            "extract clause types from legal contracts into JSON.",
            "grounded in tenant-law guides",
            "reviewed by attorneys",
            "cites the statutes",
            "questions from our published guidance: about 1,400 tax bulletins",
        ),
        ("transcripts contain customer PII and payment details, so PCI rules apply",),
    ),
)

DEPLOYMENT: Final = cue_table(
    (
        r"\bon[- ]device\b|\bon the (?:phone|device|iPad|tablet|laptop|handset)s? itself\b"
        r"|\brun on the (?:phone|device|iPad|tablet|laptop|handset)|\bedge devices?\b"
        r"|\bruns? on the [\w-]+ (?:phone|device|iPad|tablet|laptop|handset)s? itself\b"
        r"|\bno server round trip\b|\brun\w* fully offline\b"
        r"|\binside the (?:game )?client\b|\bon (?:the )?consoles?\b",
        "edge_device",
        (
            "strong, we already ship on-device models for keyboard",
            "on the phone itself: no server round trip, that's a privacy",
            "offline, so it has to run on the iPad itself.",
            "Edge device",
            "replies) generated on the phone itself: no server round trip",
            "it runs fully offline in the field",
            "It'd run inside the game client on console with no network",
            "so ideally it runs on the ruggedized tablet itself.",
        ),
        ("not on device, it's a normal cloud API call",),
    ),
    # A device with no connection, or work done "on the device", can only run a model there.
    (
        r"\bon the device\b|\bruns? offline on\b"
        r"|\b(?:tablet|handheld|phone|laptop|device)s? with no (?:connectivity|network|signal"
        r"|internet)\b",
        "edge_device",
        (
            "structured into our inspection record format on the device",
            "Museum audio guide that runs offline on a handheld device",
            "dictate notes on a rugged tablet with no connectivity",
        ),
        ("it doesn't have to run on the device",),
    ),
    (
        r"\bon[- ]prem\w*|\bour own data ?cent(?:re|er)\b|\bown servers\b|\bour servers\b"
        r"|\bour own (?:hardware|machines|racks)\b"
        r"|\bin (?:our|the) data ?cent(?:re|er)\b"
        # An air-gapped network is one the team runs itself: nothing hosted can reach it.
        r"|\b(?:on|in) an air[- ]gapped (?:network|cluster|environment)\b"
        r"|\b(?:network|cluster|environment) is air[- ]gapped\b",
        "on_prem",
        (
            "it runs on our own hardware",
            "Everything has to stay on our on-prem cluster.",
            "open-weight models in our own data centre",
            "gets 15 ms p95 on our own servers next to the bidder.",
            "the largest open model our servers can hold gets 64% of",
            "on our servers in the data center",
            "it all sits on an air-gapped network, no exceptions.",
            "Logs can't leave our network at all, the SOC environment is air-gapped.",
        ),
    ),
    (
        r"\bprivate cloud\b|\bVPC\b|\bprivate (?:Azure|AWS|GCP) tenant\b|\btenancy\b"
        r"|\bour (?:own )?(?:Azure|AWS|GCP|cloud) (?:tenant|account|subscription|project)\b"
        r"|\bour own tenant\b",
        "private_cloud",
        (
            "our own private cloud",
            "long as it's in our VPC",
            "has to be our private Azure tenant",
            "in our private cloud tenancy, and answers must reference",
            "our own cloud account",
            "it runs in our own tenant",
            "20k commands/mo, runs in our own GCP project.",
        ),
    ),
    (
        r"\bcloud(?:'s| is)? (?:API|fine|ok|okay)\b|\bhosted API\b"
        # "on Bedrock": a vendor's hosted models are where it runs; "has used Bedrock" is a
        # skill and "tuning on Vertex" says where a model is trained, not where it runs.
        r"|(?<!tuning )(?<!tune )(?<!train )\bon (?:AWS |Amazon )?Bedrock\b"
        r"|(?<!tuning )(?<!tune )(?<!train )\bon (?:Google )?Vertex(?: AI)?\b"
        # A vendor's API being called, or said to be fine, is where it runs; "we've only
        # used the OpenAI API" is a skill, said to the team question.
        r"|\bcall(?:s|ing)? (?:the )?(?:OpenAI|Anthropic|Claude|Gemini) API\b"
        r"|\b(?:OpenAI|Anthropic|Claude|Gemini) API is (?:fine|ok|okay)\b"
        r"|\bthrough (?:AWS |Amazon )?Bedrock\b",
        "cloud_api",
        (
            "pilot with 3 customers, on AWS Bedrock",
            "we'd run it on Vertex AI",
            "cloud's fine, it's offline tooling",
            "the hosted API under that BAA is fine",
            "It runs in a GitHub Action calling the Claude API.",
            "Budget is like $500/mo for this, and the OpenAI API is fine.",
            "we'd use Claude through Bedrock under our BAA",
        ),
        (
            "basic, we'd use managed tuning on Vertex",
            "one quant dev has used Bedrock",
            "we've only used the OpenAI API, no fine-tuning",
        ),
    ),
)

PRIVACY: Final = cue_table(
    (
        r"\bnothing (?:regulated|sensitive|personal)\b|\bnot regulated\b"
        r"|\bno (?:personal|sensitive|customer|student|taxpayer|patient) data\b"
        r"|\bpublic (?:record|data|weather data|information)\b|\beverything'?s public\b"
        r"|\ball public\b|\bstandard vendor terms\b|\bno PII\b"
        # "data isn't sensitive", "so privacy is standard".
        r"|\b(?:data|it|this|that)(?: isn'?t| is not|'s not) sensitive\b"
        r"|\bprivacy (?:is|'s) (?:just )?standard\b",
        "standard",
        (
            "standard, nothing personal in there",
            "is confidential but not regulated",
            "standard, no taxpayer data involved",
            "it's all public record",
            "everything's public",
            "is confidential, but standard vendor terms are fine",
            "no PII at all",
            "data isn't sensitive, comments are public anyway.",
            "we don't store them, so privacy is standard.",
        ),
    ),
    (
        r"\bair[- ]gapped\b|\bno (?:internet|network) (?:access|connection)\b",
        "air_gapped",
        (
            "It all lives on an air-gapped classified network",
            "the site has no internet access",
        ),
    ),
    (
        r"\bHIPAA\b|\bGDPR\b|\bregulated\b|\bregulation\b|\bITAR\b|\bexport[- ]controlled\b"
        r"|\bPCI\b|\bSOX\b|\bFINRA\b|\bSEC-registered\b|\bPHI\b|\bpersonal data\b"
        r"|\bpatient data\b|\bcustomer payment data\b|\bat a bank\b|\bhealth (?:data|records)\b"
        r"|\bmedical records\b|\bpersonal (?:info|information|details)\b|\bPII\b|\bFERPA\b"
        r"|\bpharmacovigilance\b",
        "regulated",
        (
            "it's PHI, so HIPAA",
            "it's candidate data, so GDPR applies",
            "regulated, we're an SEC-registered",
            "data, so state privacy regulation applies",
            "is export-controlled (ITAR), so everything has",
            "PCI scope",
            "SOX controls apply",
            "FINRA rules apply",
            "contain personal data, so GDPR",
            "(3) regulated, it's patient data",
            "it sees customer payment data",
            "Financial-crimes team at a bank.",
            "health data",
            "it reads medical records",
            "customer emails with personal info",
            "it has PII, so GDPR",
            "student data is covered by FERPA so we're careful",
            "the pharmacovigilance team's adverse event reports",
        ),
        (
            "nothing regulated, it's internal engineering data",
            "not regulated",
        ),
    ),
)

TEAM: Final = cue_table(
    (
        r"\bno ML\b|\b(?:nobody|no one) (?:knows|does) ML\b"
        r"|\b(?:nobody|no one)(?: on the team| here)? has (?:done|touched|used) ML\b"
        r"|\bno (?:data scientists|(?:real |actual )?ML (?:people|folks|engineers|team|skills))\b"
        r"|\bagency is building\b|\bapp developers\b|\bcodes a bit\b"
        r"|\bnever (?:fine-?tuned|trained)\b|\b(?:zero|no) ML (?:background|experience)\b"
        r"|\b(?:nobody|no one)(?: on the team| here)? has (?:ever )?trained (?:a|any) models?\b"
        r"|\b(?:only|just) (?:used|call(?:ed)?) (?:the )?[\w-]* ?APIs?\b",
        "none",
        (
            "nobody on the team has done ML",
            "no ML people, it's two devs",
            "- no real ML folks",
            "nobody knows ML",
            "none, an agency is building it for us",
            "none, we're two app developers",
            "the ops manager who codes a bit",
            "we've never fine-tuned anything",
            "we've only used the OpenAI API, no fine-tuning",
            "Zero ML background.",
            "nobody here has trained a model",
        ),
    ),
    (
        r"\btrain (?:and|&) serve\b|\bserves? (?:our own|open[- ]weight)\b|\bopen[- ]weight\b"
        r"|\bML research group\b|\bown GPUs\b|\bships? on-device models\b|\bML platform team\b"
        r"|\btrain (?:our|their) own\b|\btrains? (?:[\w-]+ )?models in-house\b|\bin-house ML\b"
        r"|\bpre-?trains?\b|\bPhDs?\b|\bLoRA on open\b|\bon open(?:-weight)? models\b"
        r"|\b(?:trained|fine-?tuned) and served\b",
        "strong",
        (
            "strong, we train and serve our own detection models",
            "open-weight models on our own GPUs",
            "strong, we have an ML research group",
            "distilled small model on our own GPUs: about $0.0001 a message",
            "strong, we already ship on-device models for keyboard prediction",
            "dedicated, there's an ML platform team",
            "we train our own models",
            "2 ML engineers who train their own models",
            "data science team that trains models in-house",
            "we have in-house ML",
            "a few PhDs who pretrain transformers",
            "engineers who've done LoRA on open models",
            "fine-tunes on open-weight models",
            "two ML engineers who've fine-tuned and served Llama models before",
        ),
    ),
    (
        r"\bmanaged (?:fine-?tuning|tuning)\b|\bhosted fine-?tuning\b|\bfine[- ]?tuning API\b"
        r"|\bdata scientists?\b|\bML engineers?\b",
        "basic",
        (
            "basic, we can use Azure's managed fine-tuning",
            "one ML engineer who has used hosted fine-tuning",
            "two data scientists on the team",
            "we've used the OpenAI fine-tuning API before",
            "we've only used the openai fine tuning api",
            "scientists who've used managed fine-tuning",
        ),
        ("no data scientists on the team",),
    ),
)
MAINTENANCE: Final = cue_table(
    (
        r"\b(?:nobody|no one)(?: here)? (?:can|could) (?:own|maintain|retrain|look after)\b"
        r"|\b(?:no one|nobody) to (?:own|maintain|look after)\b",
        "none",
        (
            "it's a side project and nobody can own retraining",
            "there is no one to maintain it",
            "nobody could maintain a tuned model tbh",
            "IT is two people and a contractor, nobody to look after a model once it ships",
        ),
    ),
    (
        r"\bdedicated\b.{0,30}\b(?:team|person|engineer|group|MLOps)\b"
        r"|\bMLOps (?:team|group|person)\b|\bML platform team\b",
        "dedicated",
        (
            "dedicated, there's an ML platform team",
            "dedicated, we have an MLOps group",
        ),
    ),
    (
        r"\blow[- ]maintenance\b|\bpart[- ]time\b|\bvolunteers\b"
        r"|\bretrain once or twice a year\b",
        "limited",
        (
            "volunteers, so it has to be cheap",
            "limited, one MLE part-time",
            "has to be cheap and low-maintenance.",
            "model-risk team can retrain once or twice a year",
        ),
    ),
)
STAGE: Final = cue_table(
    (
        # "in production with a rules engine today" is another system's stage.
        r"\bin production\b(?! with (?:a|an) (?!few|couple|handful))|\bproduction traffic\b"
        r"|\balready live\b",
        "production",
        (
            "it's live, in production since spring",
            "it serves production traffic",
            "it's already live",
        ),
        (
            "not in production yet",
            "we're in production with a rules engine today and looking at LLMs",
        ),
    ),
    (r"\bpilot(?:t?ing)?\b", "pilot", ("we're piloting it with the commercial",)),
    # "a prototype", "prototyping" name the stage; "the pipeline we prototyped" is history.
    (
        r"\bprototyp(?:e|es|ing)\b|\bPoC\b|\bproof of concept\b|\b(?:just|only) exploring\b",
        "prototype",
        (
            "and it's still a prototype",
            "just a POC right now",
            "a proof of concept",
            "Haven't built anything yet, just exploring the idea.",
        ),
    ),
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
    r"|annotated) (?:examples|data|pairs|[a-z]+s)\b",
    re.IGNORECASE,
)

# A cue right after one of these words is denied, not stated ("doesn't need to run on-prem").
# A negation does not reach past "and" or "but" ("no ML engineers and nobody can maintain").
NEGATION_BEFORE: Final = re.compile(
    # "won't let claimant PII leave the VPC" still says there is PII: what is denied is the
    # leaving, so a "let" after the negation ends its reach.
    r"\b(?:not|no|never|without|don'?t|doesn'?t|isn'?t|aren'?t|won'?t|needn'?t)\b(?! let\b)"
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
