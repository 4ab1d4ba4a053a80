"""Name search across scripts: "Абдусаматов", "Abdusamatov" and "Abdussamatov" are one person.

A person's names are written by many hands: the Cyrillic of a Russian-language court file, the
passport's Latin, a UNHCR clerk's transliteration, a relative's spelling. Each Person keeps a
denormalised ``search_text`` holding every spelling both as written and as a ``name_key``, a
folded Latin form in which the usual romanisations of one Cyrillic name coincide (DESIGN §5).

The search itself is ``people.selectors.person_search``. On PostgreSQL it ranks by pg_trgm
word similarity against ``search_text`` (GIN index ``people_person_search_trgm``,
people/migrations/0002_trigram_search.py). SQLite, used in development, has no trigrams: there
every word of the query's key must occur in ``search_text``.
"""

import re

from unidecode import unidecode

from people.models import Person

_APOSTROPHES = re.compile(r"['’‘ʻʼ`´]")
_NOT_LETTER = re.compile(r"[^a-z]+")
_REPEATED_LETTER = re.compile(r"([a-z])\1+")

# Spellings that differ between romanisations of one Cyrillic letter, folded to one form. Applied
# in this order, after lowercasing; kept small because each rule also merges some names that are
# really different, and trigram ranking copes with the remaining small differences.
_VARIANTS: tuple[tuple[str, str], ...] = (
    # Х: "kh" (BGN/PCGN, ISO 9-based passports, Unidecode) against "h" (Uzbek Latin for Ҳ,
    # Turkish and German habits): Khodzhaev / Hodjaev, Mikhail / Mihail. Uzbek Latin's "x" for Х
    # (Xo'jayev) is not folded: in most Latin names "x" is "ks" (Alexander), and folding it would
    # make those unreachable by their "ks" spelling.
    ("kh", "h"),
    # Ж: "zh" (Russian passports) against "j" (Uzbek Latin, French habit): Zhumaniyozov /
    # Jumaniyozov. With it "dzh" becomes "dj", folded next.
    ("zh", "j"),
    # ДЖ: "dzh" (Russian passports) against "dj" and plain "j": Khodzhaev / Khodjaev / Xojaev.
    ("dj", "j"),
    # Й and Ы: "y" (BGN/PCGN) against "i" (ICAO 9303 as used in Russian passports since 2013,
    # and Unidecode): Kadyrov / Kadirov, Yusupov / Iusupov. Done before the glides below so that
    # "ya", "yu", "ye" reach them as "ia", "iu", "ie".
    ("y", "i"),
    # Е after a vowel: "ye"/"ie" against plain "e": Khodjayev / Khodzhaev, Ignatiev / Ignatev.
    ("ie", "e"),
    # Ю: "yu" (BGN/PCGN), "iu" (ICAO), against "u" where the glide is dropped: Yusupov / Usupov.
    ("iu", "u"),
    # Я: "ya" (BGN/PCGN), "ia" (ICAO), against "a": Yakubov / Iakubov / Akubov.
    ("ia", "a"),
)


def name_key(text: str) -> str:
    """A folded Latin key in which different romanisations of one Cyrillic name coincide.

    Unidecode gives Latin, then: lowercase; apostrophes dropped (Uzbek o', g', Unidecode's
    soft sign); anything not a letter becomes a space; runs of one letter collapse
    (Abdussamatov → abdusamatov); the ``_VARIANTS`` fold. Folding and collapsing repeat until
    nothing changes, so a key is its own key and a user who types a key finds it.
    """
    latin = _APOSTROPHES.sub("", unidecode(text).lower())
    words = []
    for word in _NOT_LETTER.sub(" ", latin).split():
        previous = None
        while word != previous:
            previous = word
            word = _REPEATED_LETTER.sub(r"\1", word)
            for variant, folded in _VARIANTS:
                word = word.replace(variant, folded)
        words.append(word)
    return " ".join(words)


def as_written(text: str) -> str:
    return " ".join(text.lower().split())


def search_text_for(person: Person) -> str:
    """Every spelling of ``person``'s names, each as written (lowercased) and as its key.

    Each spelling stays one contiguous phrase: pg_trgm's word similarity scores the closest
    contiguous stretch of ``search_text``, so "Abdusamatov Rustam" matches best where the
    family and given names sit side by side. Reads ``person.names`` through any prefetch.
    """
    sources = [person.family_name, person.given_name, person.patronymic, person.name_native]
    sources += [other.name for other in person.names.all()]
    spellings: dict[str, None] = {}
    for source in sources:
        for spelling in (as_written(source), name_key(source)):
            if spelling:
                spellings.setdefault(spelling)
    return " ".join(spellings)


def person_search_text_refresh(person: Person) -> str:
    """Recompute ``person.search_text`` after a change to their names, in one UPDATE.

    Called by the services that write Person and PersonName. ``update()`` leaves
    ``updated_at`` alone: the search text is derived, not a change anyone made.
    """
    person.search_text = search_text_for(person)
    Person.objects.filter(pk=person.pk).update(search_text=person.search_text)
    return person.search_text
