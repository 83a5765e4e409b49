"""Offline extractor field accuracy on tests/data/dev.jsonl: descriptions and answers.

Run: .venv/bin/python -m tests.support.extraction_scores

Descriptions are read with nothing known and nothing asked, and scored per field
against `facts` (precision: correct / extracted; recall: correct / stated).
Each `answers` entry is read with that one field asked and the case's facts known,
and scored on the asked field; facts it adds for other fields are checked too.

tests/data/heldout_phrasings.jsonl is a held-out set written apart from the rules
(descriptions and short answers with what was asked, and every fact each one
states). Every fact extracted from it except `use_case` counts for precision, so
a fact the message does not state is a wrong one. Its history, for honesty: rows
a01-d19 were written before any fix and measured at precision 90.6%, recall 85.1%;
general rules were then fixed (so those rows now guided tuning). Rows b01-c06 were
written after the fixes and measured once, unchanged: precision 100%, recall 97.9%
(88.9% / 85.1% on the code before the fixes).
Issue #10 (replies to the questions: numbered, in order, terse, typos, relative gaps,
negation, team sizes): rows e01-e40 were written first and 22 of 40 were read fully right
before any change; rows f01-f40 were written after the e-fixes and measured once, unchanged:
precision 94.8%, recall 90.2%; their misses were then fixed with general rules (team sizes,
"no to both", "-ish", a label inside an ordered reply), so they too now guided tuning.
Rows g01-g40 were then written and measured once, unchanged: precision 96.2%, recall
87.7%; their misses were fixed in turn (typos, "just called the API", "target of 85%",
"yes but no", a number never answering two questions), so they guided tuning too.
Rows h01-h40, written next and measured once, unchanged: precision 98.1%, recall 94.6%
(then fixed: "90+" targets, "sorry, pilot" corrections, "tone matters a lot").
Descriptions x01-x08, written next and measured once: precision 100%, recall 88.9% (then
fixed: "no labelled summaries", "nobody on the team has done ML", "the invoice has
everything", NPC dialogue, "moderator decisions").
Rows i01-i40, written last and measured once: precision 100%, recall 88.5% (then fixed:
"our own hardware", "aren't required", "kind of, 50 hand-checked cases", "templating
language", "not very important", a Raspberry Pi). Blind figures so far, oldest first:
e 22/40 rows right (before the issue's work), f 94.8%/90.2%, g 96.2%/87.7%,
h 98.1%/94.6%, x (descriptions) 100%/88.9%, i 100%/88.5%, j (numbered, typos, gaps,
terse, reordered) 95.7%/93.6%, k 97.8%/95.7% (precision/recall); each batch's misses
then fixed ("5 grand", "publicly known"), so only a new batch measures held-out accuracy.
Rows l01-l40 (replies to 1-3 questions asked at once: other orders, an unasked fact too,
hedges, units, corrections, Slack bold, bullets, mentions and links) and m01-m20 (short
follow-ups stating facts nobody asked about) were written next and measured once,
unchanged: l 97.3%/91.0% (34/40 rows right), m 77.8%/51.9% (10/20 rows right); then
fixed ("managed APIs, some time, production" read for the questions not asked when one
question only can take each part, a short reply answering nothing asked read for its own
topic, "no eval set" no zero or no to another question, "2 cents per request" no budget,
"would own retraining", "on Bedrock", "no real ML folks", "super important").
Rows n01-n40 (replies typed the Slack way: lower case, typos, "idk", "prob", "~", "20-30k",
"a couple hundred", "few dozen", "tons", chatter, the question quoted back, a link or a code
block) and o01-o20 (opening descriptions from legal, games, health, retail, devtools and HR
teams, facts stated indirectly) were written next and measured once, unchanged:
n 93.8%/89.7% (31/40 rows right), o 93.4%/73.3% (2/20 rows right); then fixed (a part
naming one asked question's topic answers it before the order asked, as in l27; "sorted
into", "assign ... codes", "auto-label", "pulled into our schema", "rewrites"; "calling the
Claude API", "through Bedrock", "inside the game client", "our own GCP project", "an
air-gapped network"; "zero ML background", "fine tuning api", "a few hrs", "not super
important", "their own voice", "tone guide"; "in production with a rules engine" and
"haven't built anything" and "finance said" no longer read as facts), after which
n is 95.5%/94.1% and o 96.2%/87.9%. Left: ranges ("20-30k", deliberately unread), "few
dozen", a number given to two questions when a part says "budget not set yet", "80k daily
players" read as volume, per-request token counts and wiki or protocol counts in
descriptions.
Rows p01-p24 (opening descriptions from insurance, logistics, education, public sector,
biotech, media, security, real estate, manufacturing, travel, gaming and telecom teams:
one line to a bulleted paragraph, facts stated indirectly) were written next, apart from
the o rows, and measured once, unchanged: p 82.5%/68.5% (3/24 rows right; 85 correct,
103 extracted, 124 stated); then fixed with batch o's known misses ("diffs are ~4k tokens"
and "each narrative about 1,500 tokens" a request's input, "20 tokens max" an output,
"450 pages across 60 documents" 60, bulletins and protocols counted as documents, "1,500
notes a shift, 3 shifts a day" and "80k daily players ... each ~5 messages a day" as
products while people alone are no volume, "from the 90s" a decade, "a long prompt and a
few examples" no labelled set, "70% ... we need 95" a gap; "house style", "same voice",
"each character's voice"; FERPA, "won't let PII leave", "isn't sensitive", "privacy is
standard", pharmacovigilance; "payment details" and "static analyzer" no longer read as
a domain or a volatility; "point to the manual page", "link the product page"; "the
ruggedized tablet itself", "the environment is air-gapped", "fine-tuned and served",
"nobody to look after"; "budget not set yet, 5k a month" leaves the bare number unread;
"pulled out as JSON", "mapped to our ... taxonomy", "label each as", "hate speech",
"plain-English requests into config commands", "Q&A assistant", "headlines"), after which
p is 98.3%/95.2% and o 100%/94.0%. Left: "chatbot that answers questions" read as Q&A not
dialogue, "look up live booking ... from our APIs" (external, realtime) unread, "staff
manually converted, like 600k" (the number after its noun), an eval set's pairs as examples,
"has to be exact" as a strict format, "self-host on our own GPUs" read as a strong team.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from bot.domain.requirements import Requirements
from bot.interview.offline import extract_offline
from tests.support.extraction_scores import (
    HELDOUT_CASES,
    PUBLIC_REPLIES,
    load_cases,
    score_answers,
    score_combined_answers,
    score_descriptions,
    score_heldout,
    score_public_replies,
)


def times_per_message_ms(cases: list[dict[str, Any]], *, rounds: int = 20) -> list[float]:
    """Wall time of each extraction, descriptions and answers, sorted."""
    texts = [case["description"] for case in cases]
    texts += [text for case in cases for text in case["answers"].values()]
    times: list[float] = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            extract_offline(text, known=Requirements(), asked=[])
            times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def main() -> None:
    cases = load_cases()
    answers = score_answers(cases)
    print(f"answers: {answers.correct}/{answers.total} = {answers.accuracy:.1%} field accuracy")
    for name in sorted(answers.by_field):
        print(f"  {name:34s} {answers.correct_by_field[name]:3d}/{answers.by_field[name]:3d}")
    for line in answers.wrong:
        print("  MISS", line)
    print(
        "  facts added beyond the asked field that contradict the labels:",
        len(answers.extra_wrong),
    )
    for line in answers.extra_wrong:
        print("  EXTRA", line)
    combined = score_combined_answers(cases)
    print(
        f"answers to 3 questions in one message: {combined.correct}/{combined.total} = "
        f"{combined.accuracy:.1%}"
    )
    for line in combined.wrong:
        print("  MISS", line)
    descriptions = score_descriptions(cases)
    print(
        f"descriptions: precision {descriptions.precision():.1%}, "
        f"recall {descriptions.recall():.1%} "
        f"({sum(descriptions.correct.values())} correct, "
        f"{sum(descriptions.extracted.values())} extracted, "
        f"{sum(descriptions.stated.values())} stated)"
    )
    names = sorted(set(descriptions.stated) | set(descriptions.extracted))
    print(f"  {'field':34s} {'prec':>6s} {'recall':>6s}  correct/extracted/stated")
    for name in names:
        print(
            f"  {name:34s} {descriptions.precision(name):6.0%} {descriptions.recall(name):6.0%}"
            f"  {descriptions.correct[name]}/{descriptions.extracted[name]}/"
            f"{descriptions.stated[name]}"
        )
    for line in descriptions.wrong:
        print("  WRONG", line)
    public = score_public_replies(load_cases(PUBLIC_REPLIES))
    print(
        f"public replies ({PUBLIC_REPLIES.name}): precision {public.precision():.1%}, "
        f"recall {public.recall():.1%} ({sum(public.correct.values())} correct, "
        f"{sum(public.extracted.values())} extracted, {sum(public.stated.values())} stated)"
    )
    for line in public.wrong:
        print("  WRONG", line)
    heldout = score_heldout(load_cases(HELDOUT_CASES))
    print(
        f"held-out phrasings ({HELDOUT_CASES.name}, written apart from the rules): "
        f"precision {heldout.precision():.1%}, recall {heldout.recall():.1%} "
        f"({sum(heldout.correct.values())} correct, {sum(heldout.extracted.values())} extracted, "
        f"{sum(heldout.stated.values())} stated)"
    )
    for line in heldout.wrong:
        print("  WRONG", line)
    times = times_per_message_ms(cases)
    print(
        f"speed per message: mean {statistics.fmean(times):.3f} ms, "
        f"p50 {times[len(times) // 2]:.3f} ms, p99 {times[int(len(times) * 0.99)]:.3f} ms"
    )
    print("(dev.jsonl is the tuning set: these figures are an upper bound, not held-out accuracy)")


if __name__ == "__main__":
    main()
