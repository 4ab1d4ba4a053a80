"""People list and search (issue #5): any spelling in either script finds the person, only
among the people the user may see; without a query, everyone visible, alphabetically."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from people.choices import DatePrecision
from people.search import person_search_text_refresh
from tests import factories as f
from tests.pages.matrix import EVERYONE, PageMatrix, client_for

URL = reverse("people:person_list")
HTMX = {"HX-Request": "true"}


def person_in(case, family_name, *other_names, **fields):
    """A party to ``case`` with other spellings and its search text, as the services leave it."""
    person = f.PersonFactory(organisation=case.organisation, family_name=family_name, **fields)
    f.CasePartyFactory(case=case, person=person)
    for name in other_names:
        f.PersonNameFactory(person=person, name=name)
    person_search_text_refresh(person)
    return person


def search(world, query, who="caseworker", **headers):
    response = client_for(getattr(world, who)).get(URL, {"q": query}, headers=headers)
    assert response.status_code == 200
    return response


@pytest.fixture
def rustam(world):
    return person_in(
        world.case, "Abdusamatov", "Абдусаматов Рустам", given_name="Rustam", name_native=""
    )


class TestPeopleList(PageMatrix):
    url_name = "people:person_list"
    status = EVERYONE  # everyone may look; each finds only the people they may see
    # Session, user, alerts badge; the count and the page; other spellings and visible cases;
    # whether the user may record people.
    query_budget = 8

    def add_row(self, world):
        person_in(world.case, "Karimov", "Каримов")


@pytest.mark.parametrize("query", ["Абдусаматов", "Abdusamatov", "Abdussamatov", "abdusamatov r"])
def test_any_spelling_in_either_script_finds_the_person(world, rustam, query):
    person_in(world.case, "Petrova", "Петрова")

    response = search(world, query)

    assert [p.pk for p in response.context["people"]] == [rustam.pk]
    html = response.content.decode()
    assert rustam.get_absolute_url() in html
    assert world.case.reference in html


def test_the_spelling_that_matched_is_shown(world, rustam):
    html = search(world, "Абдусаматов").content.decode()

    assert "matched “Абдусаматов Рустам”" in html


def test_another_organisations_person_is_never_found(world, rustam):
    theirs = person_in(world.other_case, "Abdusamatov", "Абдусаматов")

    mine = search(world, "Абдусаматов").context["people"]
    other = search(world, "Абдусаматов", who="other_caseworker").context["people"]

    assert [p.pk for p in mine] == [rustam.pk]
    assert [p.pk for p in other] == [theirs.pk]
    assert search(world, "Abdusamatov", who="stranger").context["people"] == []


def test_the_lawyer_finds_only_people_of_the_shared_case(world, rustam):
    person_in(world.unshared, "Abdusamatova", "Абдусаматова")

    found = search(world, "Abdusamatov", who="lawyer").context["people"]

    assert [p.pk for p in found] == [rustam.pk]


def test_cases_listed_are_only_those_the_user_may_see(world, rustam):
    f.CasePartyFactory(case=world.restricted, person=rustam)

    caseworker = search(world, "Abdusamatov").content.decode()
    admin = search(world, "Abdusamatov", who="admin").content.decode()

    assert world.restricted.reference not in caseworker
    assert world.restricted.reference in admin


def test_the_header_search_box_keeps_the_query(world, rustam):
    html = search(world, "Абдусаматов").content.decode()

    assert 'id="site-search" type="search" name="q" value="Абдусаматов"' in html
    assert 'id="people-q"' in html


def test_with_htmx_only_the_results_come_back(world, rustam):
    response = search(world, "Abdusamatov", **HTMX)

    html = response.content.decode()
    assert "<html" not in html and rustam.get_absolute_url() in html
    assert "HX-Request" in response["Vary"]
    # Going back to an address htmx did not keep asks for the whole page.
    restore = search(world, "Abdusamatov", **HTMX, **{"HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()


def test_the_search_field_updates_results_as_one_types(world):
    html = client_for(world.caseworker).get(URL).content.decode()

    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'hx-target="#person-results"' in html and 'hx-push-url="true"' in html


def test_without_a_query_everyone_visible_alphabetically_50_a_page(world):
    for n in range(55):
        person_in(world.case, f"Name{n:02d}")
    person_in(world.other_case, "Aaronov")

    first = client_for(world.caseworker).get(URL)
    second = client_for(world.caseworker).get(URL, {"page": 2})

    names = [p.family_name for p in first.context["people"]]
    assert len(names) == 50 and names == sorted(names)
    assert "Aaronov" not in names
    assert len(second.context["people"]) == 5
    assert 'rel="next"' in first.content.decode()


def test_birth_date_with_its_precision_and_citizenships(world):
    person_in(
        world.case,
        "Yusupov",
        birth_date=datetime.date(1980, 5, 1),
        birth_date_precision=DatePrecision.MONTH,
        citizenships=["UZ", "TJ"],
    )
    person_in(world.case, "Nobody", citizenships=["XX"])

    html = client_for(world.caseworker).get(URL).content.decode()

    assert "May 1980" in html and "month only" in html
    assert "Uzbekistan" in html and "Tajikistan" in html
    assert "Stateless" in html


def test_a_new_person_link_for_who_may_record_people(world):
    new = reverse("people:person_create")

    assert new in client_for(world.caseworker).get(URL).content.decode()
    for who in ("viewer", "lawyer"):
        assert new not in client_for(getattr(world, who)).get(URL).content.decode()


def test_no_match_says_so(world, rustam):
    html = search(world, "Zzyzx").content.decode()

    assert "No one you can see has a name like this." in html


def test_the_list_renders_in_russian(world):
    world.caseworker.save()
    client = Client(headers={"accept-language": "ru"})
    client.force_login(world.caseworker)

    assert '<html lang="ru">' in client.get(URL).content.decode()
