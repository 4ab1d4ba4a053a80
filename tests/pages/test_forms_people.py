"""Forms for people, their other spellings and their relatives (issue #5). Only the owning
organisation's caseworkers and admins change a person's record; whoever else sees the person
(a viewer, the lawyer of one of their cases) gets 403, everyone else 404."""

from datetime import date

from django.urls import reverse

from people.models import Person, PersonName, Relationship
from people.selectors import person_search
from tests import factories as f
from tests.helpers import nothing_written
from tests.pages.form_helpers import (
    FormMatrix,
    Timeline,
    client_for,
    field_errors,
    field_value,
    form_errors,
)
from tests.pages.matrix import USERS, ActionMatrix

STAFF_ANYWHERE = {
    **dict.fromkeys(USERS, 403),
    "admin": 200,
    "caseworker": 200,
    "other_caseworker": 200,
    "other_admin": 200,
}
STAFF_OF_THE_PERSON = {"admin": True, "caseworker": True}


def _person(world, **fields) -> Person:
    """A person of world.org, party to world.case (so that its lawyer sees them too)."""
    person = f.PersonFactory(organisation=world.org, **fields)
    f.CasePartyFactory(case=world.case, person=person)
    return person


def _events(timeline) -> list[tuple[str, object]]:
    return [(e.kind, e.actor) for e in timeline.new()]


class PersonFormMatrix(FormMatrix):
    def add_row(self, world) -> None:
        f.PersonFactory(organisation=world.org)  # e.g. one more relative to choose


# --- recording and changing a person ------------------------------------------------------


class TestPersonCreate(PersonFormMatrix):
    url_name = "people:person_create"
    status = STAFF_ANYWHERE

    def url(self, world) -> str:
        return reverse(self.url_name)


PERSON = {
    "family_name": "Yusupbekov",
    "given_name": "Bakhtiyor",
    "sex": "male",
    "birth_date_precision": "day",
    "birth_date": "1980-04-02",
    "citizenships": ["UZ"],
    "languages": "uz, ru",
    "phone": "+7 700 111 2233",
}


def test_the_only_organisation_is_preselected(world):
    response = client_for(world.caseworker).get(reverse("people:person_create"))
    assert field_value(response, "organisation") == str(world.org.pk)
    assert str(world.other_org.pk) not in response.content.decode()


def test_recording_a_person_writes_through_the_service(world):
    timeline = Timeline()
    response = client_for(world.caseworker).post(
        reverse("people:person_create"), {**PERSON, "organisation": world.org.pk}
    )
    assert response.status_code == 302
    person = Person.objects.get(family_name="Yusupbekov")
    assert response["Location"] == person.get_absolute_url()
    assert person.organisation == world.org
    assert [c.code for c in person.citizenships] == ["UZ"]
    assert (person.languages, person.birth_date) == (["uz", "ru"], date(1980, 4, 2))
    assert _events(timeline) == [("person.created", world.caseworker)]
    # The search index is kept current by the service.
    assert person in person_search(user=world.caseworker, query="Юсупбеков")


def test_a_stateless_person_with_a_citizenship_is_refused_next_to_it(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("people:person_create"),
            {**PERSON, "organisation": world.org.pk, "citizenships": ["XX", "UZ"]},
        )
    assert response.status_code == 400
    assert "stateless person holds no citizenship" in field_errors(response, "citizenships")


def test_a_language_that_is_not_a_code_is_refused_next_to_it(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("people:person_create"),
            {**PERSON, "organisation": world.org.pk, "languages": "Uzbek"},
        )
    assert response.status_code == 400
    assert "ISO 639" in field_errors(response, "languages")


def test_a_person_cannot_be_recorded_in_another_organisation(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("people:person_create"), {**PERSON, "organisation": world.other_org.pk}
        )
    assert response.status_code == 400
    assert "valid choice" in field_errors(response, "organisation")


class TestPersonUpdate(PersonFormMatrix):
    url_name = "people:person_update"

    def url(self, world) -> str:
        return reverse(self.url_name, args=[_person(world).pk])


def test_the_person_edit_form_shows_and_changes_its_values(world):
    person = _person(world, family_name="Karimov", languages=["uz"], phone="+7 1")
    url = reverse("people:person_update", args=[person.pk])
    client = client_for(world.caseworker)
    response = client.get(url)
    assert field_value(response, "family_name") == "Karimov"
    assert field_value(response, "languages") == "uz"
    assert field_value(response, "phone") == "+7 1"
    assert person.get_absolute_url() in response.content.decode()  # Cancel
    timeline = Timeline()
    response = client.post(
        url,
        {
            "family_name": "Karimov",
            "given_name": person.given_name,
            "sex": person.sex,
            "birth_date_precision": "day",
            "languages": "uz, tg",
            "phone": "+7 1",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.languages == ["uz", "tg"]
    [event] = timeline.new()
    assert (event.kind, event.actor, event.data["after"]) == (
        "person.updated",
        world.caseworker,
        {"languages": ["uz", "tg"]},
    )


def test_a_birth_year_must_be_stored_as_the_first_of_january(world):
    person = _person(world)
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("people:person_update", args=[person.pk]),
            {
                "family_name": person.family_name,
                "sex": "unknown",
                "birth_date": "1980-04-02",
                "birth_date_precision": "year",
            },
        )
    assert response.status_code == 400
    assert "1 January" in field_errors(response, "birth_date")


# --- other spellings ----------------------------------------------------------------------


class TestPersonNameAdd(PersonFormMatrix):
    url_name = "people:person_name_add"

    def url(self, world) -> str:
        return reverse(self.url_name, args=[_person(world).pk])


def test_adding_a_spelling_writes_through_the_service(world):
    person = _person(world, family_name="Abdusamatov")
    timeline = Timeline()
    response = client_for(world.caseworker).post(
        reverse("people:person_name_add", args=[person.pk]),
        {"name": "Абдусаматов", "kind": "transliteration"},
    )
    assert response.status_code == 302
    name = PersonName.objects.get(person=person)
    assert response["Location"] == name.get_absolute_url()
    assert response["Location"].endswith(f"#personname-{name.pk}")
    assert name.script == "cyrillic"  # detected
    assert _events(timeline) == [("personname.created", world.caseworker)]


def test_a_spelling_the_person_already_has_is_refused(world):
    person = _person(world)
    f.PersonNameFactory(person=person, name="Каримов")
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("people:person_name_add", args=[person.pk]),
            {"name": "Каримов", "kind": "alias"},
        )
    assert response.status_code == 400
    assert "already has this spelling" in field_errors(response, "name") + form_errors(response)


class TestPersonNameRemove(ActionMatrix):
    url_name = "people:person_name_remove"
    allowed = STAFF_OF_THE_PERSON

    def url(self, world) -> str:
        return reverse(self.url_name, args=[f.PersonNameFactory(person=_person(world)).pk])


def test_removing_a_spelling_writes_through_the_service(world):
    name = f.PersonNameFactory(person=_person(world))
    timeline = Timeline()
    response = client_for(world.admin).post(reverse("people:person_name_remove", args=[name.pk]))
    assert response.status_code == 302
    assert response["Location"] == name.person.get_absolute_url()
    assert not PersonName.objects.filter(pk=name.pk).exists()
    assert _events(timeline) == [("personname.deleted", world.admin)]


# --- relatives ----------------------------------------------------------------------------


class TestRelationshipCreate(PersonFormMatrix):
    url_name = "people:relationship_create"

    def url(self, world) -> str:
        return reverse(self.url_name, args=[_person(world).pk])


class TestRelationshipUpdate(PersonFormMatrix):
    url_name = "people:relationship_update"

    def url(self, world) -> str:
        return reverse(self.url_name, args=[f.RelationshipFactory(person=_person(world)).pk])


def test_a_relative_is_chosen_among_the_organisations_people(world):
    person = _person(world)
    colleague = f.PersonFactory(organisation=world.org)
    foreign = f.PersonFactory(organisation=world.other_org)
    content = (
        client_for(world.caseworker)
        .get(reverse("people:relationship_create", args=[person.pk]))
        .content.decode()
    )
    assert f'value="{colleague.pk}"' in content
    assert f'value="{foreign.pk}"' not in content and f'value="{person.pk}"' not in content


def test_adding_a_relative_writes_through_the_service(world):
    person = _person(world)
    timeline = Timeline()
    response = client_for(world.caseworker).post(
        reverse("people:relationship_create", args=[person.pk]),
        {"relative_name": "Dilnoza", "kind": "spouse", "phone": "+7 700 000 0000"},
    )
    assert response.status_code == 302
    relationship = Relationship.objects.get(person=person)
    assert response["Location"] == relationship.get_absolute_url()
    assert (relationship.relative_name, relationship.phone) == ("Dilnoza", "+7 700 000 0000")
    assert _events(timeline) == [("relationship.created", world.caseworker)]


def test_a_relative_with_neither_person_nor_name_is_refused(world):
    person = _person(world)
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("people:relationship_create", args=[person.pk]), {"kind": "spouse"}
        )
    assert response.status_code == 400
    assert "type the relative's name" in field_errors(response, "relative_name")


def test_the_relationship_edit_form_shows_and_changes_its_values(world):
    relationship = f.RelationshipFactory(person=_person(world), relative_name="Dilnoza")
    url = reverse("people:relationship_update", args=[relationship.pk])
    client = client_for(world.caseworker)
    response = client.get(url)
    assert field_value(response, "relative_name") == "Dilnoza"
    assert field_value(response, "phone") == "+7 700 000 0000"
    response = client.post(
        url, {"relative_name": "Dilnoza", "kind": "spouse", "phone": "+7 701 000 0000"}
    )
    assert response.status_code == 302
    relationship.refresh_from_db()
    assert relationship.phone == "+7 701 000 0000"


class TestRelationshipRemove(ActionMatrix):
    url_name = "people:relationship_remove"
    allowed = STAFF_OF_THE_PERSON

    def url(self, world) -> str:
        return reverse(self.url_name, args=[f.RelationshipFactory(person=_person(world)).pk])


def test_removing_a_relative_writes_through_the_service(world):
    relationship = f.RelationshipFactory(person=_person(world))
    timeline = Timeline()
    response = client_for(world.caseworker).post(
        reverse("people:relationship_remove", args=[relationship.pk])
    )
    assert response.status_code == 302
    assert not Relationship.objects.filter(pk=relationship.pk).exists()
    assert _events(timeline) == [("relationship.deleted", world.caseworker)]


def test_a_viewer_never_gets_the_form_with_contact_details(world):
    relationship = f.RelationshipFactory(person=_person(world))
    response = client_for(world.viewer).get(
        reverse("people:relationship_update", args=[relationship.pk])
    )
    assert response.status_code == 403
    assert "+7 700" not in response.content.decode()
