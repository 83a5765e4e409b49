"""Removes personal data and secrets from text before it leaves for Claude (opt-in).

E-mail addresses, phone numbers, card numbers (Luhn-checked, so "25000000"
stays a number) and API keys or tokens become `[email]`, `[phone]`, `[card]`
and `[secret]`. The numbers that matter to the interview ("2M requests a month",
"$0.02", "300ms", "55k tokens", "8,000") are left as they are.
"""

from __future__ import annotations

import re
from typing import Final

_SECRET_PATTERNS: Final = (
    # Vendor tokens with a recognisable prefix.
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----",
    r"\bxox[abposre]-[A-Za-z0-9-]{8,}",
    r"\bxapp-[A-Za-z0-9-]{8,}",
    r"\bsk-ant-[A-Za-z0-9_-]{8,}",
    r"\bsk-(?:proj-)?[A-Za-z0-9_-]{16,}",
    r"\bgh[pousr]_[A-Za-z0-9]{20,}",
    r"\bgithub_pat_[A-Za-z0-9_]{20,}",
    r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",
    r"\bAIza[0-9A-Za-z_-]{35}\b",
    r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}",
    r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",  # a JWT
    r"(?i:\bbearer)\s+[A-Za-z0-9._~+/-]{8,}=*",
    # Long hex strings (32+): keys, hashes of secrets, signing secrets.
    r"\b[0-9a-fA-F]{32,}\b",
)
_SECRET: Final = re.compile("|".join(f"(?:{pattern})" for pattern in _SECRET_PATTERNS))
# A long run of base64 characters mixing cases and digits: a key with no known prefix.
_OPAQUE: Final = re.compile(r"(?<![\w/+=-])[A-Za-z0-9+/_-]{32,}={0,2}(?![\w/+=-])")
_LABELLED_SECRET: Final = re.compile(
    r"(?i)\b(?P<label>password|passwd|secret|api[_ -]?key|token|access[_ -]?key)"
    r"(?P<sep>\s*[:=]\s*|\s+is\s+)(?P<value>[^\s,;]{6,})"
)
_URL_CREDENTIALS: Final = re.compile(r"://[^/\s:@]{1,200}:[^/\s@]{1,200}@")
_EMAIL: Final = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"
)
_CARD: Final = re.compile(r"(?<![\d.,])\d(?:[ -]?\d){12,18}(?![\d.,])")
# Phone numbers need a + prefix or separators between groups, so plain amounts never match.
_PHONE: Final = re.compile(
    r"(?<![\w.,$])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?\d{2,4}|\d{2,4})(?:[ .-]\d{2,4}){1,4}"
    # Not the start of a longer number ("1 000,5", "12.5"), but a comma after it is punctuation.
    r"(?!\w|[.,]\d)"
    r"|(?<![\w.,$])\+\d{8,15}\b"
)
_PHONE_MIN_DIGITS: Final = 9


def redact(text: str) -> str:
    """`text` with e-mails, phone and card numbers and secrets replaced by placeholders."""
    text = _URL_CREDENTIALS.sub("://[secret]@", text)
    text = _LABELLED_SECRET.sub(lambda m: f"{m.group('label')}{m.group('sep')}[secret]", text)
    text = _SECRET.sub("[secret]", text)
    text = _OPAQUE.sub(_opaque_or_keep, text)
    text = _EMAIL.sub("[email]", text)
    text = _CARD.sub(_card_or_keep, text)
    return _PHONE.sub(_phone_or_keep, text)


def passes_luhn(digits: str) -> bool:
    """The card-number checksum: every second digit from the right doubled."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _card_or_keep(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "[card]" if 13 <= len(digits) <= 19 and passes_luhn(digits) else match.group()


def _phone_or_keep(match: re.Match[str]) -> str:
    found = match.group()
    digits = re.sub(r"\D", "", found)
    groups = re.split(r"[ .-]", found)
    # "2 500 000 000" is an amount written with thin spaces, not a phone number.
    is_thousands = found[0].isdigit() and all(len(group) == 3 for group in groups[1:])
    return "[phone]" if len(digits) >= _PHONE_MIN_DIGITS and not is_thousands else found


def _opaque_or_keep(match: re.Match[str]) -> str:
    token = match.group()
    mixed = (
        any(c.islower() for c in token)
        and any(c.isupper() for c in token)
        and any(c.isdigit() for c in token)
    )
    return "[secret]" if mixed else token
