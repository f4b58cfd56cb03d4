"""Korean first, English second: every Korean string has an English translation."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib
import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parent.parent / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"


def test_every_string_in_the_english_catalogue_is_translated():
    catalogue = polib.pofile(str(PO))

    untranslated = [entry.msgid for entry in catalogue if not entry.translated()]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]

    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_source():
    # The .mo is committed so a machine without gettext still shows English.
    compiled = gettext.GNUTranslations(MO.open("rb"))

    stale = [
        entry.msgid
        for entry in polib.pofile(str(PO))
        if not entry.msgid_plural and compiled.gettext(entry.msgid) != entry.msgstr
    ]

    assert stale == [], "run `make messages` (or msgfmt) to recompile django.mo"


@pytest.mark.django_db
def test_pages_are_korean_by_default_and_english_on_request(client):
    korean = client.get(reverse("home")).content.decode()
    english = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "우리 가게 마케팅" in korean
    assert "Your shop’s marketing now runs itself" in english


@pytest.mark.django_db
def test_the_admin_shows_english_verbose_names_on_request(admin_client):
    response = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")

    assert "Businesses and organizations" in response.content.decode()


REPO = LOCALE.parent
# _("…") / gettext("…") in Python and {% translate "…" %} in templates, on one line.
MARKED = [
    # A single literal only: the closing quote is followed by "," or ")".
    (r'\b(?:_|gettext|gettext_lazy)\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]', "*.py"),
    (r'{%\s*translate\s+"([^"]*)"', "*.html"),
]


def test_every_marked_korean_string_is_in_the_english_catalogue():
    import re

    known = {entry.msgid for entry in polib.pofile(str(PO))}
    missing = []
    for pattern, glob in MARKED:
        for folder in ("config", "core", "marketing", "campaigns", "content", "publishing",
                       "analytics", "owner", "templates"):  # fmt: skip
            for path in (REPO / folder).rglob(glob):
                for text in re.findall(pattern, path.read_text(encoding="utf-8")):
                    has_hangul = any("\uac00" <= ch <= "\ud7a3" for ch in text)
                    if has_hangul and text.replace('\\"', '"') not in known:
                        missing.append(f"{path.relative_to(REPO)}: {text}")

    assert missing == [], "run `make messages` and translate the new strings"
