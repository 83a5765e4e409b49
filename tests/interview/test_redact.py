"""Personal data and secrets are removed before text leaves for Claude; amounts stay."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.interview.redact import passes_luhn, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail jane.doe@example.co.uk today", "mail [email] today"),
        ("call +44 20 7946 0958", "call [phone]"),
        ("call (415) 555-0100 please", "call [phone] please"),
        ("ring 555-123-4567", "ring [phone]"),
        ("card 4111 1111 1111 1111 expires", "card [card] expires"),
        ("card 4111-1111-1111-1111", "card [card]"),
        ("xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "[secret]"),
        ("xapp-1-A0123456789-1234567890123-abcdef", "[secret]"),
        ("key sk-ant-api03-abcdefghijklmnopqrst", "key [secret]"),
        ("key sk-abcdefghijklmnopqrstuv", "key [secret]"),
        ("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "[secret]"),
        ("AKIAIOSFODNN7EXAMPLE", "[secret]"),
        ("Authorization: Bearer abc.def.ghi123456", "Authorization: [secret]"),
        ("hash 0123456789abcdef0123456789abcdef", "hash [secret]"),
        ("password: hunter2hunter", "password: [secret]"),
        ("aws wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY1", "aws [secret]"),
        (
            "redis://default:hunter2pass@redis.internal:6379/0",
            "redis://[secret]@redis.internal:6379/0",
        ),
        ("stripe sk_live_abcdefghijklmnop1234", "stripe [secret]"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY-----", "[secret]"),
        ("call 020 7946 0958", "call [phone]"),
    ],
)
def test_replaces_personal_data_and_secrets(text: str, expected: str) -> None:
    """Each kind of personal data or secret becomes its placeholder."""
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2M requests a month at $0.02 per request",
        "p95 300ms, 55k tokens, 8,000 docs",
        "25000000 messages and 250000000 tokens",
        "1,200,000 alerts, revised 2026-11-28",
        "2 500 000 000 tokens",
        "ISO 20022, GPT-4.1, an 8D, 6-8s",
        "server 192.168.1.10 at 10:30 on 2026-11-28",
        "order 4111111111111112 is not a valid card",
    ],
)
def test_keeps_the_numbers_that_matter(text: str) -> None:
    """Volumes, prices, latencies, token counts and Luhn-invalid digit runs are untouched."""
    assert redact(text) == text


def test_luhn_checks_the_card_checksum() -> None:
    """A test card number passes Luhn and a one-digit change fails it."""
    assert passes_luhn("4111111111111111")
    assert not passes_luhn("4111111111111112")


@given(st.integers(min_value=0, max_value=10**8), st.sampled_from(["k", "M", "ms", " tokens", ""]))
def test_plain_amounts_survive(amount: int, suffix: str) -> None:
    """Any amount of up to nine digits with a unit is never redacted."""
    text = f"about {amount:,}{suffix} a month"
    assert redact(text) == text


@pytest.mark.parametrize("text", ["a@" * 10_000, "a-" * 10_000, "1 " * 10_000, "+1 " * 5000])
def test_pathological_text_is_redacted_quickly(text: str) -> None:
    """Long runs of address or number characters are scanned in linear time.

    The bound is loose on purpose (a shared CI core is slow): catastrophic backtracking
    takes minutes, a linear scan milliseconds."""
    started = time.perf_counter()
    redact(text)
    assert time.perf_counter() - started < 5.0


def test_a_phone_number_before_a_comma_is_redacted() -> None:
    """A comma after a phone number is punctuation, so the number is still removed."""
    assert redact("call +1 415 555 0100, key is below") == "call [phone], key is below"
