"""Duplicate candidates (issue #12 item 1): the same person under several spellings, in any
script, is proposed with the reasons; namesakes born in other years rank lower."""

import datetime

import pytest
from django.urls import reverse

from people.models import Person
from people.selectors import duplicate_candidates, trigram_similarity
from people.services import person_create, person_name_add
from tests import factories as f
from tests.pages.matrix import USERS, PageMatrix, client_for


def _person(world, family, given="Рустам", born=None, precision="day", org=None, **fields):
    return person_create(
        acting_user=world.caseworker if org is None else world.other_caseworker,
        organisation=org or world.org,
        family_name=family,
        given_name=given,
        birth_date=born,
        birth_date_precision=precision,
        **fields,
    )


@pytest.fixture
def spellings(world):
    born = datetime.date(1984, 3, 2)
    return [
        _person(world, "Абдусаматов", "Рустам", born, patronymic="Каримович"),
        _person(world, "Abdusamatov", "Rustam", born),
        _person(world, "Abdussamatov", "", datetime.date(1984, 1, 1), precision="year"),
        _person(world, "Abdusamatof", "Rustam"),  # a Latin misspelling, no birth date
    ]


def test_every_spelling_is_proposed_as_a_duplicate_of_every_other(world, spellings):
    for person in spellings:
        found = {c.person.pk for c in duplicate_candidates(user=world.caseworker, person=person)}
        assert found == {p.pk for p in spellings} - {person.pk}, person.family_name


def test_the_reasons_are_given_in_words(world, spellings):
    cyrillic, latin, *_ = spellings
    [best, *_] = duplicate_candidates(user=world.caseworker, person=cyrillic)
    assert best.person == latin
    assert "same date of birth" in best.reasons
    assert any(
        r.startswith("names ") and "similar after transliteration" in r for r in best.reasons
    )


def test_a_namesake_born_in_another_year_ranks_below_the_true_duplicate(world, spellings):
    namesake = _person(world, "Abdusamatov", "Rustam", datetime.date(1991, 6, 5))
    ranked = duplicate_candidates(user=world.caseworker, person=spellings[0])
    order = [c.person.pk for c in ranked]
    if namesake.pk in order:
        assert order.index(spellings[1].pk) < order.index(namesake.pk)
        assert any("different years" in r for r in ranked[order.index(namesake.pk)].reasons)


def test_swapped_names_and_other_spellings_count(world):
    person = _person(world, "Karimov", "Bakhtiyor")
    swapped = _person(world, "Bakhtiyor", "Karimov")
    person_name_add(acting_user=world.caseworker, person=person, name="Каримов Бахтиёр")
    found = [c.person for c in duplicate_candidates(user=world.caseworker, person=person)]
    assert swapped in found


def test_other_organisations_and_different_people_are_never_proposed(world):
    person = _person(world, "Abdusamatov", "Rustam")
    _person(world, "Abdusamatov", "Rustam", org=world.other_org)
    _person(world, "Yusupova", "Dilnoza")
    assert duplicate_candidates(user=world.caseworker, person=person) == []


def test_an_unsaved_person_is_checked_before_it_is_recorded(world, spellings):
    unsaved = f.PersonFactory.build(organisation=world.org, family_name="Абдусаматов")
    found = {c.person.pk for c in duplicate_candidates(user=world.caseworker, person=unsaved)}
    assert spellings[0].pk in found and spellings[1].pk in found


def test_trigram_similarity_is_pg_trgms():
    assert trigram_similarity("abdusamatov", "abdusamatov") == 1.0
    assert 0.5 < trigram_similarity("abdusamatov", "abdusamatof") < 1.0
    assert trigram_similarity("abdusamatov", "karimov") < 0.2


# --- the form warns before a duplicate is saved ----------------------------------------------


def test_the_new_person_form_warns_of_a_duplicate_and_saves_once_told(world, spellings):
    client = client_for(world.caseworker)
    data = {
        "organisation": world.org.pk,
        "family_name": "Abdusamatov",
        "given_name": "Rustam",
        "sex": "male",
        "birth_date_precision": "day",
    }
    warned = client.post(reverse("people:person_create"), data)
    assert warned.status_code == 400
    page = warned.content.decode()
    assert "Possible duplicates" in page and spellings[0].get_absolute_url() in page
    assert Person.objects.filter(family_name="Abdusamatov").count() == 1  # nothing saved

    saved = client.post(reverse("people:person_create"), {**data, "record_anyway": "on"})
    assert saved.status_code == 302
    assert Person.objects.filter(family_name="Abdusamatov").count() == 2


def test_a_new_person_like_no_one_is_saved_at_once(world):
    response = client_for(world.caseworker).post(
        reverse("people:person_create"),
        {
            "organisation": world.org.pk,
            "family_name": "Yusupova",
            "sex": "female",
            "birth_date_precision": "day",
        },
    )
    assert response.status_code == 302


def test_the_person_page_shows_possible_duplicates_to_staff_only(world, spellings):
    cyrillic = spellings[0]
    f.CasePartyFactory(case=world.case, person=cyrillic)
    page = client_for(world.caseworker).get(cyrillic.get_absolute_url()).content.decode()
    assert "Possible duplicates" in page and spellings[1].get_absolute_url() in page
    assert "same date of birth" in page
    viewer_page = client_for(world.viewer).get(cyrillic.get_absolute_url()).content.decode()
    assert "Possible duplicates" not in viewer_page


# --- the candidates page ---------------------------------------------------------------------

STAFF_ONLY = dict.fromkeys(USERS, 403) | {"admin": 200, "caseworker": 200}
STAFF_ONLY |= {"other_caseworker": 200, "other_admin": 200}


class TestDuplicatesPage(PageMatrix):
    url_name = "people:duplicate_list"
    status = STAFF_ONLY
    # Session, user, the editable organisations, the proposed pairs, their people and their
    # spellings, the pairs marked "not a duplicate", the header's unread count.
    query_budget = 8

    def url(self, world):
        return reverse(self.url_name)

    def add_row(self, world):
        n = Person.objects.count()
        for given in ("Rustam", "Rustem"):
            _person(world, f"Abdusamatov{'x' * n}", given, datetime.date(1984, 3, 2))


def test_the_page_lists_the_pairs_with_reasons_for_the_users_organisations_only(world, spellings):
    _person(world, "Abdusamatov", "Rustam", org=world.other_org)
    page = client_for(world.caseworker).get(reverse("people:duplicate_list")).content.decode()
    for person in spellings:
        assert person.get_absolute_url() in page
    assert "similar after transliteration" in page
    other = Person.objects.get(organisation=world.other_org)
    assert other.get_absolute_url() not in page
