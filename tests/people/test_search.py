"""Name search (people/search.py): the key, the stored search text, and who finds whom.

The search tests run on SQLite and on PostgreSQL (DATABASE_URL): the acceptance spellings of
DESIGN §5 must be found on both.
"""

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from people.search import name_key, person_search_text_refresh, search_text_for
from people.selectors import person_search
from tests import factories as f


def _person(organisation, family_name, *other_names, **fields):
    """A person with other spellings and their search text, as the services leave them."""
    person = f.PersonFactory(organisation=organisation, family_name=family_name, **fields)
    for name in other_names:
        f.PersonNameFactory(person=person, name=name)
    person_search_text_refresh(person)
    return person


# --- name_key ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "other"),
    [
        ("Абдусаматов", "Abdusamatov"),
        ("Abdussamatov", "Abdusamatov"),
        ("Ходжаев", "Khodzhaev"),
        ("Ходжаев", "Hodjaev"),
        ("Ходжаев", "Khodjayev"),
        ("Юсупов", "Yusupov"),
        ("Юсупов", "Iusupov"),
        ("Яковлев", "Yakovlev"),
        ("Кадыров", "Kadirov"),
        ("Жуманиёзов", "Jumaniyozov"),
        ("Игнатьев", "Ignatiev"),
        ("Ғани", "G'ani"),
    ],
)
def test_romanisations_of_one_name_share_a_key(spelling, other):
    assert name_key(spelling) == name_key(other)


@pytest.mark.parametrize(
    ("spelling", "other"),
    [("Petrova", "Abdusamatov"), ("Karimov", "Kadirov"), ("Alexander", "Alehander")],
)
def test_different_names_keep_different_keys(spelling, other):
    assert name_key(spelling) != name_key(other)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("  ABDUSSAMATOV  ", "abdusamatov"),
        ("Abdul-Aziz  Rustamovich", "abdul aziz rustamovich"),
        ("Xo‘jayev", "xojaev"),
        ("Karimov3", "karimov"),
        (" \t\n", ""),
        ("—!?", ""),
    ],
)
def test_name_key_keeps_only_folded_letters_and_single_spaces(text, key):
    assert name_key(text) == key


@given(st.text())
def test_a_key_is_its_own_key(text):
    key = name_key(text)
    assert name_key(key) == key
    assert set(key) <= set("abcdefghijklmnopqrstuvwxyz ")


# --- search_text ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_text_holds_every_spelling_as_written_and_as_key_once():
    person = f.PersonFactory(
        family_name="Abdussamatov",
        given_name="Rustam",
        patronymic="",
        name_native="Абдусаматов Рустам",
    )
    f.PersonNameFactory(person=person, name="Абдусаматов")

    assert search_text_for(person).split(" ") == [
        "abdussamatov",
        "abdusamatov",
        "rustam",
        "абдусаматов",
        "рустам",
        "abdusamatov",
        "rustam",
        "абдусаматов",
    ]


@pytest.mark.django_db
def test_refresh_writes_the_search_text_in_one_update(django_assert_num_queries):
    person = f.PersonFactory(family_name="Khodzhaev", given_name="")
    f.PersonNameFactory(person=person, name="Ходжаев")
    person.refresh_from_db()

    with django_assert_num_queries(2):  # the names, then one UPDATE
        person_search_text_refresh(person)

    assert person.search_text == "khodzhaev hojaev ходжаев"
    person.refresh_from_db()
    assert person.search_text == "khodzhaev hojaev ходжаев"


# --- person_search ----------------------------------------------------------------------------


@pytest.fixture
def people(world):
    """The acceptance people of DESIGN §5 in ``world.org``, and a namesake in ``other_org``."""
    return {
        "abdusamatov": _person(world.org, "Abdussamatov", "Абдусаматов"),
        "khodzhaev": _person(world.org, "Khodzhaev"),
        "petrova": _person(world.org, "Petrova", given_name="Anna"),
        "namesake": _person(world.other_org, "Abdusamatov", "Абдусаматов"),
    }


def _found(user, query):
    return [p.family_name for p in person_search(user=user, query=query)]


@pytest.mark.parametrize("query", ["Абдусаматов", "Abdusamatov", "abdussamatov", " ABDUSAMATOV "])
def test_every_spelling_finds_the_person_and_no_one_else(world, people, query):
    assert _found(world.caseworker, query) == ["Abdussamatov"]


@pytest.mark.parametrize("query", ["Ходжаев", "Hodjaev", "Khodjaev"])
def test_a_latin_only_name_is_found_from_cyrillic_and_other_romanisations(world, people, query):
    assert _found(world.caseworker, query) == ["Khodzhaev"]


def test_a_full_name_is_found_in_either_order(world, people):
    assert _found(world.caseworker, "Petrova Anna") == ["Petrova"]
    assert _found(world.caseworker, "Anna Petrova") == ["Petrova"]


def test_search_never_crosses_organisations(world, people):
    """Same data, two users: the other organisation's caseworker finds their own namesake,
    so the first user's empty-handed search is not for lack of a match."""
    found_here = person_search(user=world.caseworker, query="Абдусаматов")
    found_there = person_search(user=world.other_caseworker, query="Абдусаматов")

    assert found_here == [people["abdusamatov"]]
    assert found_there == [people["namesake"]]


def test_search_follows_case_visibility(world, people):
    f.CasePartyFactory(case=world.case, person=people["khodzhaev"])
    f.CasePartyFactory(case=world.restricted, person=people["abdusamatov"])

    assert _found(world.lawyer, "Ходжаев") == ["Khodzhaev"]
    assert _found(world.lawyer, "Абдусаматов") == []
    assert _found(world.viewer, "Абдусаматов") == []
    assert _found(world.admin, "Абдусаматов") == ["Abdussamatov"]
    assert _found(world.stranger, "Ходжаев") == []
    assert _found(world.anonymous, "Ходжаев") == []


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_an_empty_query_finds_no_one(world, people, query):
    assert person_search(user=world.caseworker, query=query) == []


def test_an_exact_name_ranks_before_a_longer_one(world):
    _person(world.org, "Abdusamatova")
    _person(world.org, "Abdusamatov")

    assert _found(world.caseworker, "Abdusamatov") == ["Abdusamatov", "Abdusamatova"]


def test_limit_caps_the_results(world):
    for given_name in ("Rustam", "Dilshod", "Anvar"):
        _person(world.org, "Karimov", given_name=given_name)

    found = person_search(user=world.caseworker, query="Karimov", limit=2)

    assert [p.given_name for p in found] == ["Anvar", "Dilshod"]
    assert all(p.search_rank > 0 for p in found)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="misspellings are tolerated by pg_trgm only"
)
def test_postgresql_tolerates_a_misspelt_letter(world, people):
    assert _found(world.caseworker, "Abdusamatof") == ["Abdussamatov"]


@pytest.mark.parametrize("query", ["2009", "--", "   "])
def test_a_query_without_letters_finds_no_one_and_does_not_fail(world, people, query):
    assert _found(world.caseworker, query) == []
