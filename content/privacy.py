"""Third parties' personal data never reaches a model.

Customers' phone numbers, e-mail addresses and resident registration numbers in
reviews, memos and transcripts are masked before any LLM call. The shop's own
published contact details are the shop's to publish, so they are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# 주민등록번호: YYMMDD-GNNNNNN (the 7th digit is 1–4, or 5–8 for foreigners).
_RRN = re.compile(r"(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s?-?\s?[1-8]\d{6}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Mobile (010…), Seoul 02, area codes 031–064, 070 and 15xx/16xx/18xx numbers.
_PHONE = re.compile(
    r"(?<!\d)(?:01[016789]|02|0[3-6][1-5]|070|050\d)[\s.-]?\d{3,4}[\s.-]?\d{4}(?!\d)"
    r"|(?<!\d)1[568]\d{2}[\s.-]?\d{4}(?!\d)"
)

MASKS = {"rrn": "[주민번호 가림]", "email": "[이메일 가림]", "phone": "[전화번호 가림]"}


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def mask_personal_data(text: str, *, keep: Iterable[str] = ()) -> str:
    """Mask RRNs, e-mails and phone numbers, except the contacts listed in ``keep``
    (the shop's own phone or e-mail), compared ignoring punctuation and case."""
    if not text:
        return text
    kept_digits = {_digits(k) for k in keep if _digits(k)}
    kept_emails = {k.strip().lower() for k in keep if "@" in k}
    text = _RRN.sub(MASKS["rrn"], text)
    text = _EMAIL.sub(
        lambda m: m.group(0) if m.group(0).lower() in kept_emails else MASKS["email"], text
    )
    return _PHONE.sub(
        lambda m: m.group(0) if _digits(m.group(0)) in kept_digits else MASKS["phone"], text
    )
