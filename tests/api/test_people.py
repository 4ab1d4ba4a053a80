"""The people endpoints: ``people``, ``person-names``, ``relationships`` (DESIGN §4, §5, §7).

Filters are in test_people_filters.py.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.access import CONTACT_FIELDS
from people.models import Person, PersonName
from people.search import person_search_text_refresh
from people.services import person_create, person_name_add
from tests import factories as f
from tests.api.matrix import EndpointMatrix, client_for
from tests.helpers import PERSON, nothing_written, party


def _client_of(case, **fields):
    """A person party to ``case``, with contact details: every user who sees the case sees
    the person (a caseworker would see them anyway, a viewer and a lawyer only through it)."""
    return f.CasePartyFactory(
        case=case, person__phone="+7 701 111 2233", person__address="Almaty", **fields
    ).person


class TestPeople(EndpointMatrix):
    basename = "person"
    writes = PERSON
    can_delete = False
    contact_fields = CONTACT_FIELDS["people.person"]

    def record(self, world):
        return _client_of(world.case)

    def create_data(self, world):
        return {
            "organisation": str(world.org.pk),
            "family_name": "Abdussamatov",
            "given_name": "Rustam",
            "citizenships": ["UZ"],
            "languages": ["uz", "ru"],
            "phone": "+7 701 111 2233",
        }

    def update_data(self, world, record):
        return {"given_name": f"{record.given_name}jon"}


class TestPersonNames(EndpointMatrix):
    basename = "person-name"
    writes = PERSON
    deletes = PERSON
    can_update = False

    def record(self, world):
        return f.PersonNameFactory(person=party(world.case))

    def create_data(self, world):
        return {"person": str(party(world.case).pk), "name": "Абдусаматов", "kind": "alias"}


class TestRelationships(EndpointMatrix):
    basename = "relationship"
    writes = PERSON
    deletes = PERSON
    contact_fields = CONTACT_FIELDS["people.relationship"]

    def record(self, world):
        return f.RelationshipFactory(
            person=party(world.case), email="dilnoza@example.org", address="Almaty"
        )

    def create_data(self, world):
        return {
            "person": str(party(world.case).pk),
            "kind": "spouse",
            "relative_name": "Dilnoza",
            "phone": "+7 701 555 0000",
        }

    def update_data(self, world, record):
        return {"phone": f"{record.phone}1"}


# --- search -----------------------------------------------------------------------------------


def test_search_finds_any_spelling_in_any_script_and_never_another_organisation(world):
    client = client_for(world.caseworker)
    created = client.post(
        "/api/v1/people/",
        {"organisation": str(world.org.pk), "family_name": "Abdussamatov", "given_name": "Rustam"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    alias = client.post(
        "/api/v1/person-names/",
        {"person": created.json()["id"], "name": "Абдусаматов", "kind": "alias"},
        format="json",
    )
    assert alias.status_code == 201, alias.json()
    theirs = person_create(
        acting_user=world.other_caseworker, organisation=world.other_org, family_name="Абдусаматов"
    )
    person_name_add(acting_user=world.other_caseworker, person=theirs, name="Abdussamatov")
    f.PersonFactory(organisation=world.org, family_name="Karimov")

    response = client.get("/api/v1/people/", {"search": "Абдусаматов"})

    assert response.status_code == 200
    assert response["ETag"]
    assert set(response.json()) == {"next", "previous", "results"}
    assert [p["id"] for p in response.json()["results"]] == [created.json()["id"]]
    found_by_them = client_for(world.other_caseworker).get(
        "/api/v1/people/", {"search": "Abdusamatov"}
    )
    assert [p["id"] for p in found_by_them.json()["results"]] == [str(theirs.pk)]


def test_search_ranks_the_best_match_first_not_the_newest(world):
    exact = person_create(
        acting_user=world.caseworker, organisation=world.org, family_name="Abdusamatov"
    )
    close = person_create(
        acting_user=world.caseworker, organisation=world.org, family_name="Abdusamatova"
    )
    response = client_for(world.caseworker).get("/api/v1/people/", {"search": "Abdusamatov"})
    assert [p["id"] for p in response.json()["results"]] == [str(exact.pk), str(close.pk)]


def test_search_answers_at_most_fifty_people(world):
    for number in range(51):
        # The factory leaves search_text empty: fill it as the services do.
        person_search_text_refresh(
            f.PersonFactory(organisation=world.org, family_name="Yusupov", given_name=f"N{number}")
        )
    response = client_for(world.caseworker).get("/api/v1/people/", {"search": "Yusupov"})
    assert len(response.json()["results"]) == 50


def test_a_blank_search_is_no_search(world):
    person = _client_of(world.case)
    response = client_for(world.caseworker).get("/api/v1/people/", {"search": "  "})
    assert [p["id"] for p in response.json()["results"]] == [str(person.pk)]


# --- contact details --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_contacts"),
    [("admin", True), ("caseworker", True), ("lawyer", True), ("viewer", False)],
)
def test_contact_details_in_lists_only_for_those_allowed(world, who, sees_contacts):
    _client_of(world.case)
    f.RelationshipFactory(person=party(world.case), email="a@example.org", address="Almaty")
    client = client_for(getattr(world, who))
    for url, fields in [
        ("/api/v1/people/", CONTACT_FIELDS["people.person"]),
        ("/api/v1/relationships/", CONTACT_FIELDS["people.relationship"]),
    ]:
        rows = client.get(url).json()["results"]
        assert rows
        for row in rows:
            assert (set(fields) <= set(row)) if sees_contacts else not (set(fields) & set(row))


def test_search_results_hide_contact_details_from_a_viewer(world):
    person = _client_of(world.case, person__family_name="Abdusamatov")
    person_search_text_refresh(person)
    rows = client_for(world.viewer).get("/api/v1/people/", {"search": "Abdusamatov"}).json()
    assert [row["id"] for row in rows["results"]] == [str(person.pk)]
    assert not set(CONTACT_FIELDS["people.person"]) & set(rows["results"][0])


# --- validation -------------------------------------------------------------------------------


def test_a_bad_language_code_is_a_400_naming_the_field(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            "/api/v1/people/",
            {"organisation": str(world.org.pk), "family_name": "Yusupov", "languages": ["Uzbek"]},
            format="json",
        )
    assert response.status_code == 400
    assert "languages" in response.json()


def test_stateless_with_a_citizenship_is_a_400_naming_the_field(world):
    person = _client_of(world.case)
    with nothing_written():
        response = client_for(world.caseworker).patch(
            f"/api/v1/people/{person.pk}/", {"citizenships": ["XX", "UZ"]}, format="json"
        )
    assert response.status_code == 400
    assert "Stateless" in response.json()["citizenships"][0]


def test_citizenships_and_languages_are_lists(world):
    client = client_for(world.caseworker)
    response = client.post(
        "/api/v1/people/",
        {
            "organisation": str(world.org.pk),
            "family_name": "Yusupov",
            "citizenships": ["UZ", "RU"],
            "languages": ["uz", "ru"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    person = Person.objects.get(pk=response.json()["id"])
    assert [c.code for c in person.citizenships] == ["RU", "UZ"]
    assert person.languages == ["uz", "ru"]
    assert client.get(f"/api/v1/people/{person.pk}/").json()["citizenships"] == ["RU", "UZ"]


def test_organisation_of_a_person_cannot_change(world):
    f.MembershipFactory(user=world.caseworker, organisation=world.other_org)
    person = _client_of(world.case)
    with nothing_written():
        response = client_for(world.caseworker).patch(
            f"/api/v1/people/{person.pk}/", {"organisation": str(world.other_org.pk)}, format="json"
        )
    assert response.status_code == 400
    assert "organisation" in response.json()


def test_a_person_in_an_organisation_one_does_not_belong_to_cannot_be_created(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            "/api/v1/people/",
            {"organisation": str(world.other_org.pk), "family_name": "Yusupov"},
            format="json",
        )
    assert response.status_code == 400
    assert "organisation" in response.json()


def test_a_spelling_twice_is_a_400_naming_the_name(world):
    name = f.PersonNameFactory(person=party(world.case), name="Абдусаматов")
    with nothing_written():
        response = client_for(world.caseworker).post(
            "/api/v1/person-names/",
            {"person": str(name.person.pk), "name": "Абдусаматов"},
            format="json",
        )
    assert response.status_code == 400
    assert response.json() == {"name": ["This person already has this spelling."]}
    assert PersonName.objects.count() == 1


def test_a_person_is_not_deleted(world):
    person = _client_of(world.case)
    with nothing_written():
        response = client_for(world.admin).delete(f"/api/v1/people/{person.pk}/")
    assert response.status_code == 405


# --- query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["caseworker", "viewer", "lawyer"])
def test_people_list_queries_are_the_same_for_1_and_50_people(world, who):
    client = client_for(getattr(world, who))
    _client_of(world.case)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/people/").json()["results"]) == 1
    for _ in range(49):
        _client_of(world.case)
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get("/api/v1/people/").json()["results"]) == 50
    assert len(fifty) == len(one), "\n".join(q["sql"] for q in fifty.captured_queries)
