"""Services of people's records: persons, their other spellings, their relatives.

A person's events have no case: they are on the person's own timeline.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from people.models import Person, PersonName, Relationship
from people.services import (
    person_create,
    person_name_add,
    person_name_remove,
    person_update,
    relationship_create,
    relationship_remove,
    relationship_update,
)
from tests import factories as f
from tests.helpers import PERSON, Timeline, assert_permission, nothing_written, permission_params


def _client(world) -> Person:
    """A person of ``org`` who is party to ``case``: the viewer and the lawyer can see them."""
    return f.CasePartyFactory(case=world.case, person__family_name="Karimov").person


# Each scenario builds its data on ``world`` and returns the write, to be made by any user.


def _person_create(w):
    return lambda user: person_create(
        acting_user=user, organisation=w.org, family_name="Yusupov", given_name="Bakhtiyor"
    )


def _person_update(w):
    person = _client(w)
    return lambda user: person_update(acting_user=user, person=person, phone="+7 701 111 2233")


def _person_name_add(w):
    person = _client(w)
    return lambda user: person_name_add(acting_user=user, person=person, name="Каримов")


def _person_name_remove(w):
    name = f.PersonNameFactory(person=_client(w))
    return lambda user: person_name_remove(acting_user=user, person_name=name)


def _relationship_create(w):
    person = _client(w)
    return lambda user: relationship_create(
        acting_user=user, person=person, kind="spouse", relative_name="Dilnoza"
    )


def _relationship_update(w):
    relationship = f.RelationshipFactory(person=_client(w))
    return lambda user: relationship_update(
        acting_user=user, relationship=relationship, phone="+7 702 000 0001"
    )


def _relationship_remove(w):
    relationship = f.RelationshipFactory(person=_client(w))
    return lambda user: relationship_remove(acting_user=user, relationship=relationship)


SCENARIOS = {
    "person_create": _person_create,
    "person_update": _person_update,
    "person_name_add": _person_name_add,
    "person_name_remove": _person_name_remove,
    "relationship_create": _relationship_create,
    "relationship_update": _relationship_update,
    "relationship_remove": _relationship_remove,
}
PERMISSIONS = dict.fromkeys(SCENARIOS, PERSON)


@pytest.mark.parametrize(("service", "who", "allowed"), permission_params(PERMISSIONS))
def test_who_may_write(world, service, who, allowed):
    assert_permission(SCENARIOS[service](world), getattr(world, who), allowed)


def test_person_create(world):
    timeline = Timeline()
    person = person_create(
        acting_user=world.caseworker,
        organisation=world.org,
        family_name="Yusupov",
        given_name="Bakhtiyor",
        birth_date=date(1978, 1, 1),
        birth_date_precision="year",
        citizenships=["UZ", "RU"],
        languages=["uz", "ru"],
    )
    event = timeline.only("person.created", actor=world.caseworker, person=person)
    assert event.organisation == world.org
    after = event.data["after"]
    assert (after["family_name"], after["birth_date"], after["citizenships"]) == (
        "Yusupov",
        "1978-01-01",
        "RU,UZ",
    )
    assert after["languages"] == ["uz", "ru"]
    assert after["organisation"] == str(world.org.pk)


@pytest.mark.parametrize(
    ("field", "fields"),
    [
        ("citizenships", {"citizenships": ["XX", "UZ"]}),
        ("sex", {"sex": "unspecified"}),
        ("languages", {"languages": ["Uzbek"]}),
    ],
)
def test_person_create_refuses_bad_data(world, field, fields):
    with nothing_written(), pytest.raises(ValidationError) as error:
        person_create(
            acting_user=world.caseworker, organisation=world.org, family_name="Yusupov", **fields
        )
    assert field in error.value.message_dict


def test_person_update(world):
    person = _client(world)
    timeline = Timeline()
    person_update(acting_user=world.caseworker, person=person, phone="+7 701 111 2233")
    event = timeline.only("person.updated", actor=world.caseworker, person=person)
    assert event.changes == {"before": {"phone": ""}, "after": {"phone": "+7 701 111 2233"}}


def test_person_update_that_changes_nothing_writes_nothing(world):
    person = f.CasePartyFactory(
        case=world.case, person__citizenships=["UZ"], person__phone="+7 701"
    ).person
    with nothing_written():
        person_update(
            acting_user=world.caseworker,
            person=person,
            family_name=person.family_name,
            citizenships=["UZ"],
            phone="+7 701",
        )


def test_person_update_refuses_a_birth_date_finer_than_its_precision(world):
    person = _client(world)
    with nothing_written(), pytest.raises(ValidationError) as error:
        person_update(
            acting_user=world.caseworker,
            person=person,
            birth_date=date(1978, 3, 4),
            birth_date_precision="year",
        )
    assert "birth_date" in error.value.message_dict


def test_person_name_add_and_remove(world):
    person = _client(world)
    timeline = Timeline()
    name = person_name_add(acting_user=world.caseworker, person=person, name="  Каримов   Рустам ")
    event = timeline.only("personname.created", actor=world.caseworker, person=person)
    after = event.data["after"]
    assert (after["name"], after["script"], after["person"]) == (
        "Каримов Рустам",
        "cyrillic",
        str(person.pk),
    )
    name_id, timeline = name.pk, Timeline()
    person_name_remove(acting_user=world.caseworker, person_name=name)
    event = timeline.only("personname.deleted", actor=world.caseworker, person=person)
    assert event.data == {"before": after}
    assert not PersonName.objects.filter(pk=name_id).exists()


def test_person_name_add_refuses_a_spelling_the_person_already_has(world):
    person = _client(world)
    f.PersonNameFactory(person=person, name="Каримов Рустам")
    with nothing_written(), pytest.raises(ValidationError) as error:
        person_name_add(acting_user=world.caseworker, person=person, name="Каримов  Рустам")
    assert "name" in error.value.message_dict


def test_relationship_create_update_and_remove(world):
    person = _client(world)
    timeline = Timeline()
    relationship = relationship_create(
        acting_user=world.caseworker,
        person=person,
        kind="spouse",
        relative_name="Dilnoza",
        phone="+7 700 000 0000",
    )
    event = timeline.only("relationship.created", actor=world.caseworker, person=person)
    assert (event.changes["after"]["relative_name"], event.changes["after"]["phone"]) == (
        "Dilnoza",
        "+7 700 000 0000",
    )
    timeline = Timeline()
    relationship_update(
        acting_user=world.caseworker, relationship=relationship, phone="+7 702 000 0001"
    )
    event = timeline.only("relationship.updated", actor=world.caseworker, person=person)
    assert event.changes == {
        "before": {"phone": "+7 700 000 0000"},
        "after": {"phone": "+7 702 000 0001"},
    }
    relationship_id, timeline = relationship.pk, Timeline()
    relationship_remove(acting_user=world.caseworker, relationship=relationship)
    event = timeline.only("relationship.deleted", actor=world.caseworker, person=person)
    assert event.data["before"]["id"] == str(relationship_id)
    assert not Relationship.objects.filter(pk=relationship_id).exists()


def test_relationship_create_refuses_a_relative_of_another_organisation(world):
    person, stranger = _client(world), f.PersonFactory(organisation=world.other_org)
    with nothing_written(), pytest.raises(ValidationError) as error:
        relationship_create(
            acting_user=world.caseworker, person=person, kind="sibling", relative=stranger
        )
    assert "relative" in error.value.message_dict


def test_relationship_update_that_changes_nothing_writes_nothing(world):
    relationship = f.RelationshipFactory(person=_client(world))
    with nothing_written():
        relationship_update(
            acting_user=world.caseworker,
            relationship=relationship,
            kind=relationship.kind,
            phone=relationship.phone,
        )


def test_relationship_update_refuses_a_bad_email(world):
    relationship = f.RelationshipFactory(person=_client(world))
    with nothing_written(), pytest.raises(ValidationError) as error:
        relationship_update(
            acting_user=world.caseworker, relationship=relationship, email="dilnoza at mail.kz"
        )
    assert "email" in error.value.message_dict
