"""The offline extractor on phrasings written apart from the dev corpus (a small held-out check)."""

from __future__ import annotations

import pytest

from bot.domain.requirements import Requirements
from bot.interview.offline import extract_offline

DESCRIPTIONS: list[tuple[str, dict[str, object]]] = [
    (
        "We want to auto-triage incoming support tickets into one of 40 categories. About 120k "
        "tickets/month; the prompt is at 88% on our gold set and we need 93%. We have 50k "
        "labelled tickets.",
        {
            "task_type": "classification",
            "requests_per_month": 120_000,
            "prompt_baseline_gap_pp": 5,
            "labelled_examples": 50_000,
            "eval_set_exists": True,
        },
    ),
    (
        "Customer support chatbot for our fintech app. It should answer from our help center "
        "(~800 articles, around 1.2M tokens) which changes weekly, and always link the article.",
        {
            "task_type": "qa_over_docs",
            "kb_size_docs": 800,
            "kb_size_tokens": 1_200_000,
            "knowledge_volatility": "weekly",
            "citations_required": True,
            "needs_external_knowledge": True,
        },
    ),
    (
        "Radiology: draft reports from dictated findings in our structured template. Must run "
        "on-prem because of HIPAA, p95 of 2 seconds. We have 200k historical reports paired "
        "with dictations.",
        {
            "task_type": "generation",
            "output_format_strictness": "strict_custom",
            "deployment_target": "on_prem",
            "data_privacy": "regulated",
            "latency_target_ms": 2000,
            "labelled_examples": 200_000,
        },
    ),
    (
        "We currently pay $0.03/request; a tuned 8B would cost $0.004/request plus $1,500/month "
        "hosting and $12k upfront.",
        {
            "cost_per_request_usd": 0.03,
            "finetuned_cost_per_request_usd": 0.004,
            "finetune_hosting_usd_per_month": 1500,
            "finetune_fixed_cost_usd": 12_000,
        },
    ),
    (
        "Roughly 1,000,000 requests per month, each with 2k tokens of input and 300 output tokens.",
        {
            "requests_per_month": 1_000_000,
            "input_tokens_per_request": 2000,
            "output_tokens_per_request": 300,
        },
    ),
    (
        "Our knowledge base is 150k tokens and static; we answer HR policy questions for 2,000 "
        "employees, maybe 3k questions a month.",
        {
            "kb_size_tokens": 150_000,
            "knowledge_volatility": "static",
            "requests_per_month": 3000,
            "task_type": "qa_over_docs",
        },
    ),
]


DESCRIPTIONS += [
    (
        "Insurance claims team. We want to pull policy number, claimant and amount from scanned "
        "claim letters into our claims JSON. 80k letters every month. We have 12,000 letters "
        "with hand-keyed fields.",
        {
            "task_type": "extraction",
            "output_format_strictness": "common_schema",
            "requests_per_month": 80_000,
            "labelled_examples": 12_000,
        },
    ),
    (
        "Rewrite shopper queries into structured filters for our catalog API. Peak 40 QPS, "
        "p95 must stay under 250ms.",
        {
            "task_type": "semantic_parsing",
            "requests_per_month": 40 * 30 * 24 * 3600,
            "latency_target_ms": 250,
        },
    ),
    (
        "Marketing wants product descriptions written in our brand voice for ~3,000 new SKUs "
        "each quarter. Budget is around $1,000 a month.",
        {
            "task_type": "generation",
            "style_consistency_need": "high",
            "requests_per_month": 1000,
            "knowledge_volatility": None,
            "budget_monthly_usd": 1000,
        },
    ),
]

DESCRIPTIONS += [
    (
        "We want auto-drafted replies to support emails; we have about 25k past replies.",
        {"task_type": "generation", "labelled_examples": 25_000},
    ),
]


DESCRIPTIONS += [
    (
        (
            "Pharmacy benefits team. We want to answer members' questions about drug coverage "
            "from our formulary (~2,000 drug monographs, ~8M tokens) which is updated every "
            "month. Answers must cite the formulary section. About 70k member questions a month, "
            "and it's PHI so HIPAA applies."
        ),
        {
            "task_type": "qa_over_docs",
            "kb_size_docs": 2000,
            "kb_size_tokens": 8000000,
            "knowledge_volatility": "monthly",
            "citations_required": True,
            "requests_per_month": 70000,
            "data_privacy": "regulated",
            "needs_external_knowledge": True,
        },
    ),
    (
        (
            "We run a language-learning app and want the tutor bot to chat with learners in "
            "Basque, correcting their mistakes gently. Our prompt gets 60% of replies rated "
            "natural by native reviewers on a 200-dialogue eval; we need 80%. We have 30k "
            "teacher-written dialogues."
        ),
        {
            "task_type": "dialogue",
            "domain_specialization": "niche_proprietary",
            "prompt_baseline_gap_pp": 20,
            "eval_set_exists": True,
            "labelled_examples": 30000,
        },
    ),
    (
        (
            "Logistics company. Dispatchers paste carrier emails and we need the pickup time, "
            "dock number, PO and weight extracted into our TMS JSON schema. 45k emails a month. "
            "Everything needed is in the email. p95 under 2 seconds."
        ),
        {
            "task_type": "extraction",
            "output_format_strictness": "common_schema",
            "requests_per_month": 45000,
            "needs_external_knowledge": False,
            "latency_target_ms": 2000,
        },
    ),
    (
        (
            "HR tech: we want to summarize exit-interview transcripts into themes for quarterly "
            "reports. About 600 transcripts a quarter. Transcripts contain employee personal data"
            " under GDPR."
        ),
        {"task_type": "summarization", "requests_per_month": 200, "data_privacy": "regulated"},
    ),
    (
        (
            "Ad-tech. We generate 5 headline variants per ad in the advertiser's brand voice, ~3M"
            " ads a month, currently $0.004 per ad on a large model. A distilled model would be "
            "$0.0006 per ad with $2,500/month hosting and about $15k upfront."
        ),
        {
            "task_type": "generation",
            "style_consistency_need": "high",
            "requests_per_month": 3000000,
            "cost_per_request_usd": 0.004,
            "finetuned_cost_per_request_usd": 0.0006,
            "finetune_hosting_usd_per_month": 2500,
            "finetune_fixed_cost_usd": 15000,
        },
    ),
    (
        (
            "Game studio QA: classify crash reports into one of 25 known crash buckets. 10k crash"
            " reports a day. Our best prompt is at 85% accuracy on a 1,000-report test set, "
            "target 95%. We have 200k historical crash reports labelled by engineers."
        ),
        {
            "task_type": "classification",
            "requests_per_month": 300000,
            "prompt_baseline_gap_pp": 10,
            "eval_set_exists": True,
            "labelled_examples": 200000,
        },
    ),
    (
        (
            "Our IT helpdesk wants a Slack bot that answers employee questions from ~150 "
            "Confluence pages of IT how-tos, about 90k tokens in total, which change a few times "
            "a year. No citations needed. 4k questions a month."
        ),
        {
            "task_type": "qa_over_docs",
            "kb_size_tokens": 90000,
            "citations_required": False,
            "requests_per_month": 4000,
            "needs_external_knowledge": True,
        },
    ),
]


@pytest.mark.parametrize(("text", "expected"), DESCRIPTIONS)
def test_description_states_its_facts(text: str, expected: dict[str, object]) -> None:
    """Each stated fact is read with its labelled value, and nothing contradicts it."""
    facts = extract_offline(text, known=Requirements(), asked=[]).facts
    assert {field: facts.get(field) for field in expected} == pytest.approx(expected)


ANSWERS: list[tuple[str, str, object]] = [
    ("requests_per_month", "about 500 per day", 15_000),
    ("requests_per_month", "we get around 3000 tickets weekly", 13_000),
    ("latency_target_ms", "a minute is ok", 60_000),
    ("labelled_examples", "a couple hundred", 200),
    ("kb_size_docs", "~150 PDFs", 150),
    ("cost_per_request_usd", "0.5 cents per call", 0.005),
    ("prompt_baseline_gap_pp", "we're at 80%, need 90%", 10),
    ("prompt_baseline_gap_pp", "no gap, we already meet the target", 0),
    ("team_ml_capability", "nobody knows ML", "none"),
    ("maintenance_capacity", "nobody", "none"),
    ("data_privacy", "nothing special", "standard"),
    ("deployment_target", "AWS Bedrock is fine", "cloud_api"),
    ("deployment_target", "on laptops, offline", "edge_device"),
    ("eval_set_exists", "we have a golden set of 200", True),
    ("knowledge_volatility", "hardly ever changes", "static"),
    ("knowledge_volatility", "a few times a year", "quarterly"),
    ("output_format_strictness", "just text", "free"),
    ("style_consistency_need", "doesn't matter", "low"),
    ("domain_specialization", "lots of internal acronyms", "niche_proprietary"),
    ("citations_required", "not necessary", False),
]


MORE_ANSWERS: list[tuple[str, str, object]] = [
    ("team_ml_capability", "we've only used the OpenAI API, no fine-tuning", "none"),
    ("team_ml_capability", "we've never fine-tuned anything", "none"),
    ("team_ml_capability", "a data science team that trains models in-house", "strong"),
    ("team_ml_capability", "We can use managed fine-tuning services", "basic"),
    ("team_ml_capability", "a few PhDs who pretrain transformers", "strong"),
    ("team_ml_capability", "one engineer has played with Hugging Face", "basic"),
    ("maintenance_capacity", "we can retrain a couple of times a year", "limited"),
    ("maintenance_capacity", "an MLOps team owns the model lifecycle", "dedicated"),
    ("maintenance_capacity", "no one has time for that", "none"),
    ("maintenance_capacity", "one engineer could look after it part-time", "limited"),
    ("data_privacy", "it has PII, so GDPR", "regulated"),
    ("data_privacy", "health data", "regulated"),
    ("data_privacy", "internal but not sensitive", "standard"),
    ("data_privacy", "customer emails with personal info", "regulated"),
    ("data_privacy", "nothing regulated", "standard"),
    ("deployment_target", "Anthropic API is fine", "cloud_api"),
    ("deployment_target", "must be in our AWS account", "private_cloud"),
    ("deployment_target", "our own VPC", "private_cloud"),
    ("deployment_target", "on our servers in the data center", "on_prem"),
    ("deployment_target", "on customers' phones", "edge_device"),
    ("citations_required", "they need to see where the answer came from", True),
    ("citations_required", "sources would be nice but optional", False),
    ("eval_set_exists", "we have 200 labelled test cases", True),
    ("eval_set_exists", "not yet", False),
    ("knowledge_volatility", "updated every few days", "daily"),
    ("knowledge_volatility", "every couple of weeks", "weekly"),
    ("knowledge_volatility", "rarely", "static"),
    ("knowledge_volatility", "changes constantly", "realtime"),
    ("knowledge_volatility", "with every release, roughly monthly", "monthly"),
    ("output_format_strictness", "must match our XML schema", "strict_custom"),
    ("output_format_strictness", "YAML config", "common_schema"),
    ("output_format_strictness", "markdown", "free"),
    ("output_format_strictness", "CSV rows", "common_schema"),
    ("style_consistency_need", "it must sound like our brand", "high"),
    ("style_consistency_need", "somewhat important", "medium"),
    ("style_consistency_need", "high", "high"),
    ("domain_specialization", "legal contracts", "specialized_public"),
    ("domain_specialization", "medical notes", "specialized_public"),
    ("domain_specialization", "our internal product codes", "niche_proprietary"),
    ("domain_specialization", "general customer questions", "general"),
    ("domain_specialization", "nothing special, general knowledge", "general"),
    ("needs_external_knowledge", "yes, our product docs", True),
    ("needs_external_knowledge", "it needs our price list, which changes", True),
    ("needs_external_knowledge", "everything is in the ticket", False),
    ("task_type", "summarising call transcripts", "summarization"),
    ("task_type", "we want to route tickets to teams", "classification"),
    ("task_type", "pulling fields out of invoices", "extraction"),
    ("project_stage", "it's live", "production"),
    ("project_stage", "just a POC right now", "prototype"),
    ("requests_per_month", "~1M/month", 1_000_000),
    ("requests_per_month", "about 300 a day on weekdays", 9_000),
    ("latency_target_ms", "sub-second", 1_000),
    ("latency_target_ms", "a few hundred ms", 300),
    ("latency_target_ms", "real time", None),
    ("budget_monthly_usd", "$5k/month", 5_000),
    ("budget_monthly_usd", "around 2000 dollars", 2_000),
    ("labelled_examples", "thousands", None),
    ("labelled_examples", "roughly 10k pairs", 10_000),
]


@pytest.mark.parametrize(("field", "text", "value"), ANSWERS + MORE_ANSWERS)
def test_answer_gives_the_asked_fact(field: str, text: str, value: object) -> None:
    """A reply phrased in a way the corpus does not use still answers the asked field."""
    facts = extract_offline(text, known=Requirements(), asked=[field]).facts
    assert facts.get(field) == pytest.approx(value)


@pytest.mark.parametrize("text", ["no budget set yet", "?", "skip"])
def test_non_answers_mark_the_field_unknown(text: str) -> None:
    """A reply that gives no value leaves the field unknown rather than guessing zero."""
    got = extract_offline(text, known=Requirements(), asked=["budget_monthly_usd"])
    assert got.facts == {}
    assert got.unknown == ["budget_monthly_usd"]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        (
            "We're a 12-person team founded in 2019, with offices in 3 countries. Our CRM has "
            "40,000 accounts and 250 reps.",
            ["requests_per_month", "kb_size_docs", "labelled_examples"],
        ),
        ("The 70B model took 4 seconds; we tried GPT-4o and Llama 3.", ["latency_target_ms"]),
        ("Summarise docs of up to 30k tokens each.", ["kb_size_tokens"]),
        ("Doing it by hand costs us $15 per contract.", ["cost_per_request_usd"]),
        ("The contract is worth $2M a year to us.", ["budget_monthly_usd", "cost_per_request_usd"]),
    ],
)
def test_numbers_about_other_things_state_no_fact(text: str, absent: list[str]) -> None:
    """Team sizes, years, observed timings, per-document sizes and human costs are not facts."""
    facts = extract_offline(text, known=Requirements(), asked=[]).facts
    assert [field for field in absent if field in facts] == []
