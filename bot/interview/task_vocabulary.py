"""Phrases that name the task (summarise, classify, extract, answer questions...).

Rows are tried in order and the first match wins, so the narrow tasks (semantic parsing,
translation, code explanation) come before the broad ones (Q&A, generation).
"""

from __future__ import annotations

from typing import Final

from bot.interview.cue_tables import cue_table

TASK_TYPE: Final = cue_table(
    (
        r"\binto\b.{0,40}\bDSL\b|natural[- ]language\b.{0,120}(?:→|->|\binto\b)"
        r".{0,30}\b(?:JSON|SQL|action|command|query|API call)|\btext[- ]to[- ](?:SQL|query)"
        r"|\bsemantic pars|\bquer(?:y|ies)\b.{0,30}\binto\b.{0,30}\b(?:filters|SQL|API calls?"
        r"|structured queries)\b"
        r"|\binto calls to\b|\bwant a query in\b"
        r"|\bplain[- ]English\b.{0,60}\binto\b.{0,30}\b(?:commands?|queries|SQL|configs?)\b",
        "semantic_parsing",
        (
            "IRS form instructions into rules in our internal DSL (we call it TaxCalc).",
            "natural-language scheduling: 'move my 3pm with Dana' → a JSON",
            "text-to-SQL for analysts",
            "semantic parsing of commands",
            "Rewrite shopper queries into structured filters for our catalog API.",
            "commands turned into calls to our API",
            "we want a query in our own language",
            "turn engineers' plain-English requests into config commands for our routers",
        ),
    ),
    # Requests turned into rules or queries a machine runs are parsed, not written freely.
    (
        r"\b(?:requests|questions|commands)\b.{0,40}\binto (?:rules|queries)\b"
        r"|\bqueries in (?:our|an?|the) (?:[\w-]+ ){0,3}query language\b",
        "semantic_parsing",
        (
            "turn analysts' plain-English requests into rules in our in-house fraud rule",
            "Traders ask questions in English and we want them turned into queries",
            "We generate queries in our in-house analytics query language",
        ),
        ("we turn support requests into tickets",),
    ),
    (
        r"\btranslat\w*",
        "translation",
        ("our content engineers translate the new IRS form instructions",),
    ),
    (
        r"\bexplain\w*\b.{0,60}\b(?:code|diffs?|stack ?traces?|functions?)\b"
        r"|\bexplanation\b.{0,80}\b(?:code|diff|log|build|stack ?trace|PR)\b"
        r"|\bexplain\w*\b.{0,40}\b(?:static analy[sz]er|linter|SAST|compiler)\b",
        "code_explanation",
        (
            "Code review helper: explain diffs to junior devs.",
            "a short explanation of the likely cause posted on the PR",
            "We want to explain findings from our static analyzer to developers",
        ),
    ),
    (
        r"\bmoderat\w*|\bprohibited\b|\bpolicy violations?\b|\bflag(?:ged|s)? for "
        r"(?:human )?review\b|\btoxic\w*|\bscreen(?:ed|ing)? against\b|\bhate speech\b",
        "moderation",
        (
            "about 10,000 past moderator decisions",
            "screened against our prohibited-items policy (weapons",
            "find policy violations in posts",
            "wildlife products…) and flagged for human review.",
            "catch toxic comments",
            "need to flag hate speech, spam and self-harm comments before they show.",
        ),
    ),
    (
        r"\bsummar\w*|\b(?:a|short) brief\b|\brecap\b|\btl;?dr\b|\bcondense",
        "summarization",
        (
            "drafts a day-by-day trip summary from the booking record",
            "candidate and writes a short brief for the hiring committee",
            "a recap of each meeting",
            "a tl;dr of each thread",
            "condense long reports",
        ),
    ),
    (
        r"\bextract\w*|\bnormali[sz]e\w*\b.{0,60}\binto\b|\binto structured\b"
        r"|\bpull\w* (?:out )?(?:the )?fields\b|\bparse\w*\b.{0,40}\bfields\b"
        r"|\bpull\b[^.]{0,80}\b(?:from|out of)\b[^.]{0,80}"
        r"\binto (?:our |a |the )?[\w-]* ?(?:JSON|fields|schema|records?|forms?)\b"
        r"|\bpars\w+\b.{0,40}\binto (?:our |a |the )?[\w-]* ?JSON\b"
        r"|\bpulled into (?:our |a |the )?[\w ]{0,20}\b(?:JSON|schema|fields|records?)\b"
        # "the policy number and VIN pulled out as JSON", "each one turned into a structured
        # work order", "the key terms pulled out and written up".
        r"|\bpulled out (?:as|into|and)\b|\b(?:turned|converted) into (?:a |an )?structured\b",
        "extraction",
        (
            "legal team wants to extract clause types from legal",
            "We normalise free-text used-car listings into our attribute JSON (make",
            "names and addresses) into structured ISO 20022 elements.",
            "pulling fields out of invoices",
            "parse invoices into fields",
            "pull totals from receipts into our JSON",
            "parsing CVs into our profile JSON",
            "pull skills, years of experience and last job title out of resumes into JSON",
            "need drug, dose, reaction and onset pulled into our safety db schema (JSON)",
            "date of loss, VIN and damage description pulled out as JSON for the claims system",
            "renewal options, assignment clauses) pulled out and written up in our memo",
            "we need each one turned into a structured work order: category, location",
        ),
    ),
    (
        r"\bclassif\w*\b(?! (?:network|information|data|documents|material)\b)"
        r"|\bcategori[sz]\w*"
        r"|\brout(?:e|es|ing) (?:each |every |incoming )?(?:them|it|tickets|emails|messages"
        r"|requests|calls|cases|leads|queries)\b"
        r"|\b(?:into|to) (?:one of )?~?\w+ (?:categories|classes|labels|buckets|intents|queues)\b"
        r"|\bmap (?:every|each)\b.{0,80}\bto (?:our|a|the) "
        r"(?:standard|fixed|predefined)\b|\breason codes\b|\bintent detection\b"
        r"|\bcoded with\b|\bgrades?\b.{0,30}\btags?\b"
        r"|\bsort(?:ed|s|ing)? into\b|\bassign\w*\b.{0,20}\bcodes\b|\bauto-?label\w*"
        # "mapped to our internal defect code taxonomy", "label each as benign / suspicious".
        r"|\bmapped to (?:our|a|the) (?:[\w-]+ ){0,3}(?:taxonomy|codes|categories)\b"
        r"|\blabel (?:each|every|them|it)(?: one| \w+)? as\b",
        "classification",
        (
            "We classify SMTP bounce and deferral",
            "categorise expenses",
            "we want to route tickets to teams",
            "We classify inbound sales emails",
            "map every line of a client's trial balance to our standard",
            "deferral messages into ~30 reason codes so customers know why",
            "intent detection for the IVR",
            "sort emails into one of 12 queues",
            "each note coded with cause codes",
            "a condition grade and defect tags",
            "want each clause sorted into ok / needs review / reject",
            "We want to assign ICD-10 codes to discharge notes.",
            "want to auto-label incoming GitHub issues (bug / feature",
            "we want them mapped to our internal defect code taxonomy (~350 codes",
            "triage alerts from our SIEM: label each as benign / suspicious / escalate",
        ),
        ("it all lives on a classified network",),
    ),
    # A concierge chat, or a voice agent taking turns, is a conversation even when it answers
    # from documents (a support chat or bot stays Q&A over the help docs, below).
    (
        r"\bconcierge (?:chat|bot)\b|\bvoice agent\b|\bturn-taking\b",
        "dialogue",
        (
            "Our concierge chat for a hotel group must sound exactly like our brand",
            "Our voice agent answers plan and billing questions",
            "under 280 ms p95 for natural turn-taking",
        ),
        ("a support chat for our customers",),
    ),
    (
        r"\bchat assistant\b|\bchats? with (?:players|users|customers|members|students|visitors)\b"
        r"|\bsocratic\b|\btutor(?:ing)?\b|\bhomework helper\b|\bpersona\b"
        r"|\b(?:chat|talk)s? with (?:NPCs|characters)\b|\bNPC dialogue\b"
        r"|\brole[- ]?play",
        "dialogue",
        (
            "players chat with NPCs in real time",
            "NPC dialogue in character",
            "Our chat assistant answers customers about",
            "a bot that chats with customers",
            "mechanisms step by step, Socratic-style.",
            "tutoring company and want a homework helper",
            "online tutoring company and want a homework",
            "Socratic but not a fixed persona",
            "role-play sales calls",
        ),
    ),
    (
        r"\banswers?\b.{0,40}\bquestions?\b|\banswers? (?:only )?(?:from|using|based on)\b"
        r"|\banswers? (?:staff|users?|customers?|about)\b"
        r"|\bask\w*\b.{0,15}\b(?:things|questions|about)\b|\bcan ask\b|\bkeep asking\b"
        r"|\bquery (?:the|our)\b.{0,30}\b(?:manuals?|docs|documents|knowledge)"
        r"|\bQ&A (?:bot|assistant)\b"
        r"|\bchatbot (?:on|over|for|about) (?:our|the)\b"
        r"|\bsupport (?:chat|bot|assistant)\b",
        "qa_over_docs",
        (
            "wants an assistant that answers staff and residents' questions",
            "It should answer from our help center",
            "Engineers want to ask things like 'have we seen porosity",
            "rules assistant players can ask mid-game, like 'can",
            "Site engineers keep asking the office things that",
            "Pilots want to query the operations manuals, MEL and company bulletins",
            "a Q&A bot for HR",
            "a chatbot on our docs",
            "tourism board site that answers about",
            "a support chat for our customers",
            "a Q&A assistant on the website that answers only from our articles",
        ),
    ),
    (
        r"\bgenerat\w*|\bdraft\w*|\bwrite\b|\bwrites\b|\bwritten in\b|\bsuggestions?\b|\bcompose"
        r"|\binto (?:our |the |a )?(?:[\w-]+ ){0,3}(?:template|letters?|forms?)\b"
        r"|\bhave to become\b|\bresponse letters?\b|\brewrites?\b|\bheadlines\b|\bteasers\b",
        "generation",
        (
            "We'd like to generate ambient NPC 'barks'",
            "Investigators want a first-draft SAR narrative for each",
            "every few hours) and write the triage ticket in",
            "it writes release notes",
            "Numbers as written in chat: magnitudes, units",
            "suggestions (3 short replies) generated on the",
            "docker-compose.yml",
            "findings into our structured report template",
            "reports have to become action forms",
            "a standard response letter",
            "a tool that rewrites invention disclosures into claim language",
            "want SEO headlines for every article",
            "2-sentence teasers for every article",
        ),
    ),
)
