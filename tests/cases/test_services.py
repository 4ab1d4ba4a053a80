"""Services of cases, their parties, and sharing a case with a user.

Each write leaves exactly one event on the timeline, or nothing at all when it is refused.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cases.choices import AccessRole, CaseStatus
from cases.models import Case, CaseAccess
from cases.services import (
    case_close,
    case_open,
    case_party_add,
    case_party_remove,
    case_reopen,
    case_share,
    case_unshare,
    case_update,
)
from tests import factories as f
from tests.helpers import (
    EDIT,
    SHARE,
    Timeline,
    assert_permission,
    nothing_written,
    permission_params,
)

RESTRICT = {**EDIT, "caseworker": False}


def _closed(case: Case) -> Case:
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=date(2012, 1, 1))
    case.refresh_from_db()
    return case


# Each scenario builds its data on ``world`` and returns the write, to be made by any user.


def _case_open(w):
    return lambda user: case_open(
        acting_user=user,
        organisation=w.org,
        reference="ALA-2010-099",
        title="Karimov v. Kazakhstan",
        opened_on=date(2010, 6, 10),
    )


def _case_update(w):
    return lambda user: case_update(acting_user=user, case=w.case, title="Group case of nine")


def _case_restrict(w):
    return lambda user: case_update(acting_user=user, case=w.case, restricted=True)


def _case_close(w):
    return lambda user: case_close(acting_user=user, case=w.case, closed_on=date(2012, 1, 1))


def _case_reopen(w):
    case = _closed(w.case)
    return lambda user: case_reopen(acting_user=user, case=case)


def _case_party_add(w):
    person = f.PersonFactory(organisation=w.org)
    return lambda user: case_party_add(acting_user=user, case=w.case, person=person)


def _case_party_remove(w):
    party = f.CasePartyFactory(case=w.case)
    return lambda user: case_party_remove(acting_user=user, party=party)


def _case_share(w):
    colleague = f.UserFactory(username="colleague")
    return lambda user: case_share(acting_user=user, case=w.case, user=colleague)


def _case_unshare(w):
    access = CaseAccess.objects.get(case=w.case, user=w.lawyer)
    return lambda user: case_unshare(acting_user=user, access=access)


SCENARIOS = {
    "case_open": _case_open,
    "case_update": _case_update,
    "case_update(restricted)": _case_restrict,
    "case_close": _case_close,
    "case_reopen": _case_reopen,
    "case_party_add": _case_party_add,
    "case_party_remove": _case_party_remove,
    "case_share": _case_share,
    "case_unshare": _case_unshare,
}
PERMISSIONS = {
    "case_open": EDIT,
    "case_update": EDIT,
    "case_update(restricted)": RESTRICT,
    "case_close": EDIT,
    "case_reopen": EDIT,
    "case_party_add": EDIT,
    "case_party_remove": EDIT,
    "case_share": SHARE,
    "case_unshare": SHARE,
}


@pytest.mark.parametrize(("service", "who", "allowed"), permission_params(PERMISSIONS))
def test_who_may_write(world, user_named, service, who, allowed):
    assert_permission(SCENARIOS[service](world), user_named(who), allowed)


# --- cases ------------------------------------------------------------------------------------


def test_case_open(world):
    timeline = Timeline()
    case = _case_open(world)(world.caseworker)
    event = timeline.only("case.created", actor=world.caseworker, case=case)
    assert event.organisation == world.org
    assert event.data["after"]["reference"] == "ALA-2010-099"
    assert event.data["after"]["opened_on"] == "2010-06-10"
    assert event.data["after"]["organisation"] == str(world.org.pk)
    assert "before" not in event.data


def test_case_open_restricted_grants_the_opener_access_in_the_same_write(world):
    timeline = Timeline()
    case = case_open(
        acting_user=world.caseworker,
        organisation=world.org,
        reference="ALA-2010-099",
        title="Karimov v. Kazakhstan",
        opened_on=date(2010, 6, 10),
        restricted=True,
    )
    assert sorted(e.kind for e in timeline.new()) == ["case.created", "caseaccess.created"]
    access = CaseAccess.objects.get(case=case)
    assert (access.user, access.role, access.granted_by) == (
        world.caseworker,
        AccessRole.CASEWORKER,
        world.caseworker,
    )
    assert case in Case.objects.visible_to(world.caseworker)
    assert case not in Case.objects.visible_to(world.viewer)


@pytest.mark.parametrize("restricted", [False, True])
def test_case_open_refuses_a_reference_already_used_in_the_organisation(world, restricted):
    with nothing_written(), pytest.raises(ValidationError) as error:
        case_open(
            acting_user=world.caseworker,
            organisation=world.org,
            reference=world.case.reference,
            title="Karimov v. Kazakhstan",
            opened_on=date(2010, 6, 10),
            restricted=restricted,
        )
    assert "reference" in error.value.message_dict


def test_case_update(world):
    old_title = world.case.title
    timeline = Timeline()
    case_update(acting_user=world.caseworker, case=world.case, title="Group case of nine")
    event = timeline.only("case.updated", actor=world.caseworker, case=world.case)
    assert event.data == {"before": {"title": old_title}, "after": {"title": "Group case of nine"}}
    world.case.refresh_from_db()
    assert world.case.title == "Group case of nine"


def test_case_update_that_changes_nothing_writes_nothing(world):
    with nothing_written():
        case_update(acting_user=world.caseworker, case=world.case, title=world.case.title)


def test_case_update_by_a_caseworker_may_resubmit_the_unchanged_restriction(world):
    """A form sends every field: leaving "restricted" as it was is not restricting the case."""
    timeline = Timeline()
    case_update(acting_user=world.caseworker, case=world.case, title="New title", restricted=False)
    timeline.only("case.updated", actor=world.caseworker, case=world.case)


def test_case_update_refuses_a_lead_from_another_organisation(world):
    with nothing_written(), pytest.raises(ValidationError) as error:
        case_update(acting_user=world.caseworker, case=world.case, lead=world.other_caseworker)
    assert "lead" in error.value.message_dict


def test_case_close_and_reopen(world):
    timeline = Timeline()
    case_close(acting_user=world.caseworker, case=world.case, closed_on=date(2012, 1, 1))
    event = timeline.only("case.closed", actor=world.caseworker, case=world.case)
    assert event.data == {
        "before": {"status": "open", "closed_on": None},
        "after": {"status": "closed", "closed_on": "2012-01-01"},
    }
    timeline = Timeline()
    case_reopen(acting_user=world.admin, case=world.case)
    event = timeline.only("case.reopened", actor=world.admin, case=world.case)
    assert event.data == {
        "before": {"status": "closed", "closed_on": "2012-01-01"},
        "after": {"status": "open", "closed_on": None},
    }


def test_case_close_refuses_a_closing_date_before_the_opening(world):
    with nothing_written(), pytest.raises(ValidationError) as error:
        case_close(acting_user=world.caseworker, case=world.case, closed_on=date(2010, 6, 9))
    assert "closed_on" in error.value.message_dict


def test_case_close_refuses_a_closed_case_and_reopen_an_open_one(world):
    with nothing_written(), pytest.raises(ValidationError) as error:
        case_reopen(acting_user=world.caseworker, case=world.case)
    assert "status" in error.value.message_dict
    _closed(world.case)
    with nothing_written(), pytest.raises(ValidationError) as error:
        case_close(acting_user=world.caseworker, case=world.case, closed_on=date(2013, 1, 1))
    assert "status" in error.value.message_dict


# --- parties ----------------------------------------------------------------------------------


def test_case_party_add_and_remove(world):
    person = f.PersonFactory(organisation=world.org)
    timeline = Timeline()
    party = case_party_add(acting_user=world.caseworker, case=world.case, person=person)
    event = timeline.only(
        "caseparty.created", actor=world.caseworker, case=world.case, person=person
    )
    assert event.data["after"]["person"] == str(person.pk)
    assert event.data["after"]["role"] == "principal"
    party_id, timeline = party.pk, Timeline()
    case_party_remove(acting_user=world.caseworker, party=party)
    event = timeline.only(
        "caseparty.deleted", actor=world.caseworker, case=world.case, person=person
    )
    assert event.data["before"]["id"] == str(party_id)
    assert not world.case.has_party(person.pk)


def test_case_party_add_refuses_a_person_of_another_organisation(world):
    person = f.PersonFactory(organisation=world.other_org)
    with nothing_written(), pytest.raises(ValidationError) as error:
        case_party_add(acting_user=world.caseworker, case=world.case, person=person)
    assert "person" in error.value.message_dict


def _complainant(case):
    complaint = f.ComplaintFactory(case=case)
    complaint.complainants.set([f.CasePartyFactory(case=case).person])
    return complaint.complainants.get()


@pytest.mark.parametrize(
    "record_of",
    [
        lambda case: f.DetentionFactory(case=case).person,
        lambda case: f.ExtraditionRequestFactory(case=case).person,
        lambda case: f.StatusDecisionFactory(case=case).person,
        _complainant,
    ],
    ids=["detention", "extradition request", "status decision", "complaint"],
)
def test_case_party_remove_refuses_a_person_with_records_in_the_case(world, record_of):
    person = record_of(world.case)
    party = world.case.case_parties.get(person=person)
    with nothing_written(), pytest.raises(ValidationError) as error:
        case_party_remove(acting_user=world.caseworker, party=party)
    assert "person" in error.value.message_dict


def test_case_party_remove_ignores_records_in_other_cases(world):
    person = f.StatusDecisionFactory(case=world.unshared).person
    party = f.CasePartyFactory(case=world.case, person=person)
    case_party_remove(acting_user=world.caseworker, party=party)
    assert not world.case.has_party(person.pk)


# --- sharing ----------------------------------------------------------------------------------


def test_case_share_and_unshare(world):
    colleague = f.UserFactory(username="colleague")
    timeline = Timeline()
    access = case_share(acting_user=world.caseworker, case=world.case, user=colleague)
    event = timeline.only("caseaccess.created", actor=world.caseworker, case=world.case)
    assert event.data["after"]["user"] == colleague.pk
    assert event.data["after"]["role"] == "lawyer"
    assert world.case in Case.objects.visible_to(colleague)
    timeline = Timeline()
    case_unshare(acting_user=world.caseworker, access=access)
    timeline.only("caseaccess.deleted", actor=world.caseworker, case=world.case)
    assert world.case not in Case.objects.visible_to(colleague)


def test_case_share_again_changes_the_role_or_nothing(world):
    with nothing_written():
        case_share(acting_user=world.caseworker, case=world.case, user=world.lawyer)
    timeline = Timeline()
    case_share(
        acting_user=world.caseworker, case=world.case, user=world.lawyer, role=AccessRole.VIEWER
    )
    event = timeline.only("caseaccess.updated", actor=world.caseworker, case=world.case)
    assert event.data == {"before": {"role": "lawyer"}, "after": {"role": "viewer"}}


def test_case_share_refuses_a_disabled_user_and_an_unknown_role(world):
    colleague = f.UserFactory(username="colleague")
    with nothing_written(), pytest.raises(ValidationError) as error:
        case_share(acting_user=world.caseworker, case=world.case, user=colleague, role="owner")
    assert "role" in error.value.message_dict
    colleague.is_active = False
    colleague.save()
    with nothing_written(), pytest.raises(ValidationError) as error:
        case_share(acting_user=world.caseworker, case=world.case, user=colleague)
    assert "user" in error.value.message_dict
