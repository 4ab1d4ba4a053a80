"""Services of detentions: recording, correcting and ending them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cases.choices import DetentionBasis
from cases.services import detention_create, detention_end, detention_update
from tests import factories as f
from tests.helpers import (
    EDIT,
    Timeline,
    assert_permission,
    nothing_written,
    party,
    permission_params,
)

# Each scenario builds its data on a case and returns the write, to be made by any user.


def _detention_create(case):
    person = party(case)
    return lambda user: detention_create(
        acting_user=user,
        case=case,
        person=person,
        basis=DetentionBasis.PROVISIONAL_ARREST_EXTRADITION,
        started_on=date(2010, 6, 10),
    )


def _detention_update(case):
    detention = f.DetentionFactory(case=case)
    return lambda user: detention_update(
        acting_user=user, detention=detention, facility="SIZO-1, Almaty"
    )


def _detention_end(case):
    detention = f.DetentionFactory(case=case)
    return lambda user: detention_end(
        acting_user=user, detention=detention, ended_on=date(2010, 12, 1), end_reason="released"
    )


SCENARIOS = {
    "detention_create": _detention_create,
    "detention_update": _detention_update,
    "detention_end": _detention_end,
}
PERMISSIONS = {"detention_create": EDIT, "detention_update": EDIT, "detention_end": EDIT}


@pytest.mark.parametrize(("service", "who", "allowed"), permission_params(PERMISSIONS))
def test_who_may_write(world, service, who, allowed):
    assert_permission(SCENARIOS[service](world.case), getattr(world, who), allowed)


def test_detention_create(world):
    person = party(world.case)
    timeline = Timeline()
    detention_create(
        acting_user=world.caseworker,
        case=world.case,
        person=person,
        basis=DetentionBasis.PROVISIONAL_ARREST_EXTRADITION,
        started_on=date(2010, 6, 10),
        facility="IVS, Almaty",
    )
    event = timeline.only(
        "detention.created", actor=world.caseworker, case=world.case, person=person
    )
    after = event.data["after"]
    assert (after["started_on"], after["ended_on"], after["facility"]) == (
        "2010-06-10",
        None,
        "IVS, Almaty",
    )
    assert after["person"] == str(person.pk)


def test_detention_create_refuses_an_overlap_naming_the_clashing_detention(world):
    earlier = f.DetentionFactory(case=world.case, started_on=date(2010, 6, 10))
    with nothing_written(), pytest.raises(ValidationError) as error:
        detention_create(
            acting_user=world.caseworker,
            case=world.case,
            person=earlier.person,
            basis=DetentionBasis.EXTRADITION_ARREST,
            started_on=date(2010, 7, 20),
        )
    assert "2010-06-10" in error.value.message_dict["started_on"][0]


@pytest.mark.parametrize(
    ("field", "changes"),
    [("person", {"person": "outsider"}), ("basis", {"basis": "kidnapping"})],
)
def test_detention_create_refuses_an_outsider_or_an_unknown_basis(world, field, changes):
    data = {"person": party(world.case), "basis": DetentionBasis.IMMIGRATION} | changes
    if data["person"] == "outsider":
        data["person"] = f.PersonFactory(organisation=world.org)
    with nothing_written(), pytest.raises(ValidationError) as error:
        detention_create(
            acting_user=world.caseworker, case=world.case, started_on=date(2010, 6, 10), **data
        )
    assert field in error.value.message_dict


def test_detention_update(world):
    detention = f.DetentionFactory(case=world.case, facility="IVS, Almaty")
    timeline = Timeline()
    detention_update(acting_user=world.caseworker, detention=detention, facility="SIZO-1, Almaty")
    event = timeline.only(
        "detention.updated", actor=world.caseworker, case=world.case, person=detention.person
    )
    assert event.data == {
        "before": {"facility": "IVS, Almaty"},
        "after": {"facility": "SIZO-1, Almaty"},
    }


def test_detention_update_refuses_moving_into_another_detention(world):
    first = f.DetentionFactory(
        case=world.case, ended_on=date(2010, 6, 30), end_reason="transferred"
    )
    second = f.DetentionFactory(case=world.case, person=first.person, started_on=date(2010, 7, 1))
    with nothing_written(), pytest.raises(ValidationError) as error:
        detention_update(
            acting_user=world.caseworker, detention=second, started_on=date(2010, 6, 20)
        )
    assert "2010-06-30" in error.value.message_dict["started_on"][0]


def test_detention_end(world):
    detention = f.DetentionFactory(case=world.case)
    timeline = Timeline()
    detention_end(
        acting_user=world.caseworker,
        detention=detention,
        ended_on=date(2010, 12, 1),
        end_reason="extradited",
    )
    event = timeline.only(
        "detention.ended", actor=world.caseworker, case=world.case, person=detention.person
    )
    assert event.data == {
        "before": {"ended_on": None, "end_reason": ""},
        "after": {"ended_on": "2010-12-01", "end_reason": "extradited"},
    }


@pytest.mark.parametrize(
    ("field", "ended_on", "end_reason"),
    [
        ("ended_on", date(2010, 6, 9), "released"),
        ("end_reason", date(2010, 12, 1), "escaped"),
    ],
)
def test_detention_end_refuses_a_bad_date_or_reason(world, field, ended_on, end_reason):
    detention = f.DetentionFactory(case=world.case, started_on=date(2010, 6, 10))
    with nothing_written(), pytest.raises(ValidationError) as error:
        detention_end(
            acting_user=world.caseworker,
            detention=detention,
            ended_on=ended_on,
            end_reason=end_reason,
        )
    assert field in error.value.message_dict


def test_detention_end_refuses_an_ended_detention(world):
    detention = f.DetentionFactory(
        case=world.case, ended_on=date(2010, 7, 1), end_reason="released"
    )
    with nothing_written(), pytest.raises(ValidationError) as error:
        detention_end(
            acting_user=world.caseworker,
            detention=detention,
            ended_on=date(2010, 8, 1),
            end_reason="other",
        )
    assert "ended_on" in error.value.message_dict


def test_detention_update_that_changes_nothing_writes_nothing(world):
    detention = f.DetentionFactory(case=world.case, facility="IVS, Almaty")
    with nothing_written():
        detention_update(
            acting_user=world.caseworker,
            detention=detention,
            facility=detention.facility,
            started_on=detention.started_on,
        )
