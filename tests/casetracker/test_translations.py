"""The Russian catalogue (locale/ru/LC_MESSAGES/django.po, DESIGN §8: "every string
translatable, Russian catalogue complete").

Every entry is translated, in all three Russian plural forms, with the placeholders of its
English; the committed .mo (kept so that a checkout without gettext shows Russian) says the same
as the .po; and the source has no string the catalogue lacks. `make messages` refreshes the
catalogue from the source and compiles it; the strings it adds are then translated by hand.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
# What makemessages reads from the checkout, and the command of the Makefile's `messages`.
SOURCES = (
    *("casetracker", "organisations", "people", "cases", "rulings", "workspace"),
    *("templates", "manage.py"),
)
MAKEMESSAGES = (
    *("makemessages", "-l", "ru", "--no-location", "--no-obsolete"),
    *("--ignore=.venv", "--ignore=var", "--ignore=tests", "--ignore=docs"),
)
ADVICE = "run `make messages` and translate them"

# %(name)s, %s, %d and the like; "%%" is a literal percent sign, not a placeholder.
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[a-zA-Z%]")
# {{ var }} as a template shows it, and {name} or {} of str.format; JSON such as
# {"body": "CAT"} in help texts is neither.
BRACES = re.compile(r"\{\{\s*[\w.|:]+\s*\}\}|\{\w*\}")


def _catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def _entries(catalogue: polib.POFile) -> list[polib.POEntry]:
    return [e for e in catalogue if not e.obsolete]


def _forms(entry: polib.MOEntry | polib.POEntry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


def _placeholders(text: str, *, percent: bool) -> tuple[list[str], list[str]]:
    """The named placeholders of ``text`` in any order, and the positional ones (%s, {}) in
    the order they fill."""
    found = BRACES.findall(text)
    if percent:
        found += [p for p in PERCENT.findall(text) if p != "%%"]
    positional = [p for p in found if p == "{}" or (p.startswith("%") and p[1] != "(")]
    return sorted(p for p in found if p not in positional), positional


def test_every_entry_is_translated_in_every_plural_form_and_none_is_fuzzy_or_obsolete():
    catalogue = _catalogue()
    assert catalogue.metadata["Language"] == "ru"
    assert "charset=UTF-8" in catalogue.metadata["Content-Type"]
    assert catalogue.metadata["Plural-Forms"].startswith("nplurals=3;")
    assert not catalogue.metadata_is_fuzzy

    untranslated = [
        e.msgid
        for e in _entries(catalogue)
        if not all(form.strip() for form in _forms(e))
        or (e.msgid_plural and len(e.msgstr_plural) != 3)
    ]
    fuzzy = [e.msgid for e in _entries(catalogue) if "fuzzy" in e.flags]
    obsolete = [e.msgid for e in catalogue if e.obsolete]

    assert untranslated == [], f"Untranslated in {CATALOGUE.name}: {untranslated}"
    assert fuzzy == [], f"Fuzzy (check and clear the flag): {fuzzy}"
    assert obsolete == [], f"Obsolete (run `make messages`, which drops them): {obsolete}"


def test_each_translation_keeps_the_placeholders_of_its_english():
    wrong = []
    for entry in _entries(_catalogue()):
        percent = "python-format" in entry.flags
        # Russian's first plural form also serves 21, 31, ...: every form needs the number.
        english = entry.msgid_plural or entry.msgid
        expected = _placeholders(english, percent=percent)
        for form in _forms(entry):
            if _placeholders(form, percent=percent) != expected:
                wrong.append(f"{entry.msgid!r} -> {form!r}")

    assert wrong == [], "Placeholders differ from the English:\n" + "\n".join(wrong)


def test_the_committed_mo_says_what_the_po_says():
    catalogue = _catalogue()
    compiled = polib.mofile(str(COMPILED))

    def mapping(entries) -> dict:
        return {(e.msgctxt, e.msgid): _forms(e) for e in entries if e.msgid}

    in_po = mapping(e for e in _entries(catalogue) if e.translated())
    in_mo = mapping(compiled)

    assert compiled.metadata.get("Plural-Forms") == catalogue.metadata["Plural-Forms"]
    stale = sorted(
        str(key[1]) for key in in_po.keys() | in_mo.keys() if in_po.get(key) != in_mo.get(key)
    )
    assert stale == [], (
        f"{COMPILED.name} is out of step with {CATALOGUE.name} "
        f"(run `make messages` or `manage.py compilemessages -l ru`): {stale}"
    )


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> polib.POFile:
    """The catalogue makemessages writes from the source, run on a copy of the checkout."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("makemessages needs GNU gettext (xgettext, msgmerge) on PATH")
    copy = tmp_path_factory.mktemp("checkout")
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=skip)
        else:
            shutil.copy2(source, copy / name)
    shutil.copytree(ROOT / "locale", copy / "locale")
    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "casetracker.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return polib.pofile(str(copy / CATALOGUE.relative_to(ROOT)))


def test_the_catalogue_has_every_string_of_the_source(regenerated):
    committed = {(e.msgctxt, e.msgid) for e in _entries(_catalogue())}
    missing = [e.msgid for e in _entries(regenerated) if (e.msgctxt, e.msgid) not in committed]

    assert missing == [], (
        f"{len(missing)} string(s) of the source are not in {CATALOGUE.relative_to(ROOT)}; "
        f"{ADVICE}:\n" + "\n".join(f"  {m!r}" for m in missing)
    )


def test_the_catalogue_has_no_string_the_source_dropped(regenerated):
    source = {(e.msgctxt, e.msgid) for e in _entries(regenerated)}
    dropped = [e.msgid for e in _entries(_catalogue()) if (e.msgctxt, e.msgid) not in source]

    assert dropped == [], (
        f"{CATALOGUE.relative_to(ROOT)} still has string(s) the source no longer uses; run "
        "`make messages`, which drops them:\n" + "\n".join(f"  {d!r}" for d in dropped)
    )
