"""The Russian interface (DESIGN §8: "English and Russian, every string translatable, Russian
catalogue complete"): the header's language switch, remembered on the account; and no English
UI string left on the main pages.

What counts as UI is what the catalogue lists: the demo's data (titles, summaries, notes, the
names of courts) is in English and allowed, so the pages are searched for the English msgids of
locale/ru/LC_MESSAGES/django.po, never for "Latin letters" in general. A page fails when
(a) a text of it (a text node, the title, or a placeholder / aria-label / title / alt / button
value) is an English msgid, whole, or (b) the English of a msgid, three words or more, occurs
anywhere in its text. Placeholders of a msgid (%(name)s, %s) stand for anything.
"""

import re
from functools import cache

import polib
import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from casetracker.models import UserPreference
from tests.e2e.demo_pages import (
    GROUP_CASE,
    MAIN_PAGES,
    demo_case,
    demo_language_set,
    main_page_open,
)
from tests.e2e.helpers import ROOT, language_switch, login, sign_in, sign_out, ui_texts

CATALOGUE = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
USER = "ala-caseworker"

# The demo's English data that contains the English of a msgid: (text, why it is data). These
# texts are taken out of the page's text before it is searched, so the same words elsewhere on
# the page, in the interface, are still found. Compared without regard to case.
DATA_COLLISIONS: tuple[tuple[str, str], ...] = (
    (
        "Provisional arrest pending extradition to Uzbekistan",
        "the title of the current year's demo case (workspace/demo/single.py), which holds the "
        "detention basis 'provisional arrest pending extradition'",
    ),
    (
        "most were recognised as refugees by UNHCR",
        "the group case's summary (workspace/demo/group.py), which holds 'recognised as refugee'",
    ),
    (
        "The 90 days for the State's follow-up reply",
        "a note of the group case (workspace/demo/group.py), which holds 'the State's follow-up "
        "reply'",
    ),
)

# Placeholders of a msgid: Python's %(name)s / %s / %d, and {{ name }} / {name}.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{\{[^}]*\}\}|\{\w*\}")
WORD = re.compile(r"[^\W\d_]+")
ENGLISH_MONTH = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b", re.IGNORECASE
)
RUSSIAN_MONTH = re.compile(
    r"\b(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)\b"
)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


@cache
def english_msgids() -> tuple[str, ...]:
    """Every English string of the catalogue that Russian shows differently: the msgid of each
    entry whose Russian differs from it, and its plural's msgid likewise."""
    found = set()
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            russian = set(entry.msgstr_plural.values())
            found |= {m for m in (entry.msgid, entry.msgid_plural) if m not in russian}
        elif entry.msgstr != entry.msgid:
            found.add(entry.msgid)
    return tuple(sorted(_squeeze(m) for m in found if m.strip()))


@cache
def whole_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """(msgid, a pattern matching a whole text that is that msgid in English): placeholders
    match anything. Msgids shorter than two characters or without a letter are left out."""
    patterns = []
    for msgid in english_msgids():
        literal = PLACEHOLDER.sub("", msgid)
        if len(literal.strip()) < 2 or not WORD.search(literal):
            continue
        parts = [re.escape(part) for part in PLACEHOLDER.split(msgid)]
        patterns.append((msgid, re.compile(".+?".join(parts), re.IGNORECASE)))
    return tuple(patterns)


@cache
def phrases() -> tuple[tuple[str, str], ...]:
    """(msgid, phrase): each run of the msgid's own English, between its placeholders, of three
    words or more, lowercased."""
    found = []
    for msgid in english_msgids():
        for part in PLACEHOLDER.split(msgid):
            phrase = _squeeze(part).strip(" .,:;()“”\"'").lower()
            if len(WORD.findall(phrase)) >= 3:
                found.append((msgid, phrase))
    return tuple(found)


def _without_data(text: str) -> str:
    for data, _why in DATA_COLLISIONS:
        text = re.sub(re.escape(data), " ", text, flags=re.IGNORECASE)
    return text


def untranslated(page: Page) -> list[str]:
    """The English UI strings on ``page``, one line each, saying where."""
    texts = ui_texts(page, "ru")
    found = []
    candidates = [("text", t) for t in texts.nodes] + list(texts.attributes)
    for where, raw in candidates:
        text = _squeeze(_without_data(raw))
        # A label's "Name:" and a title's "Page · Casetracker" are still the msgid.
        for piece in {text, text.rstrip(":*").strip(), *text.split(" · ")}:
            for msgid, pattern in whole_patterns():
                if pattern.fullmatch(piece):
                    found.append(f"(a) {where} {piece!r} is the msgid {msgid!r}")
    everything = _squeeze(_without_data(texts.text))
    lowered = everything.lower()
    for msgid, phrase in phrases():
        if (at := lowered.find(phrase)) >= 0:
            context = everything[max(0, at - 40) : at + len(phrase) + 40]
            found.append(f"(b) {phrase!r}, of the msgid {msgid!r}, in …{context}…")
    return sorted(set(found))


def english_dates(page: Page) -> list[str]:
    return [t for t in page.locator("time").all_inner_texts() if ENGLISH_MONTH.search(t)]


def test_language_switch_is_remembered_on_the_account(live_server, demo, new_page) -> None:
    page = new_page("desktop")
    login(page, live_server, USER)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    language_switch(page, "ru")

    with translation.override("ru"):
        dashboard = translation.gettext("Dashboard")
    assert dashboard != "Dashboard"
    expect(page.get_by_role("heading", level=1)).to_have_text(dashboard)
    assert UserPreference.objects.get(user__username=USER).language == "ru"
    sign_out(page)

    elsewhere = new_page("desktop", locale="en-US")  # another device, an English browser
    login(elsewhere, live_server, USER)
    expect(elsewhere.locator("html")).to_have_attribute("lang", "ru")
    expect(elsewhere.get_by_role("heading", level=1)).to_have_text(dashboard)


def test_group_case_page_shows_dates_with_russian_month_names(live_server, demo, new_page) -> None:
    demo_language_set(USER, "ru")
    page = new_page("desktop")
    sign_in(page, live_server, USER)

    page.goto(demo_case(GROUP_CASE).get_absolute_url())

    expect(page.locator("html")).to_have_attribute("lang", "ru")
    # Opened on 12 June 2010 (workspace/demo/group.py).
    opened = page.locator('time[datetime="2010-06-12"]').first
    expect(opened).to_contain_text("12 июня 2010")
    dates = page.locator("main time").all_inner_texts()
    assert sum(bool(RUSSIAN_MONTH.search(d)) for d in dates) > 100, dates[:20]
    assert not english_dates(page)


@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_main_page_in_russian_has_no_english_ui_string(live_server, demo, new_page, name) -> None:
    demo_language_set(USER, "ru")
    page = new_page("desktop")
    sign_in(page, live_server, USER)

    main_page_open(page, name)

    expect(page.locator("html")).to_have_attribute("lang", "ru")
    problems = untranslated(page)
    problems += [f"date in English: {d!r}" for d in english_dates(page)]
    assert not problems, f"English left on the Russian {name} page ({page.url}):\n" + "\n".join(
        f"  {p}" for p in problems
    )
