"""Services of refugee-status decisions and of complaints to UN treaty bodies."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from rulings.models import Complaint
from rulings.services import (
    complaint_submit,
    complaint_update,
    status_decision_record,
    status_decision_update,
)
from tests import factories as f
from tests.helpers import (
    EDIT,
    FILE,
    UNSHARED,
    Timeline,
    assert_permission,
    complaint_of,
    nothing_written,
    party,
    permission_params,
)

# Each scenario builds its data on a case and returns the write, to be made by any user.


def _status_decision_record(case):
    person = party(case)
    return lambda user: status_decision_record(
        acting_user=user,
        case=case,
        person=person,
        authority="unhcr_mandate",
        outcome="recognised",
        decided_on=date(2009, 11, 1),
    )


def _status_decision_update(case):
    decision = f.StatusDecisionFactory(case=case)
    return lambda user: status_decision_update(
        acting_user=user, decision=decision, notified_on=date(2009, 11, 10)
    )


def _complaint_submit(case):
    person = party(case)
    return lambda user: complaint_submit(
        acting_user=user,
        case=case,
        body="CAT",
        state_party="KZ",
        submitted_on=date(2010, 12, 1),
        complainants=[person],
    )


def _complaint_update(case):
    complaint = complaint_of(case)
    return lambda user: complaint_update(
        acting_user=user, complaint=complaint, registered_on=date(2010, 12, 20)
    )


SCENARIOS = {
    "status_decision_record": _status_decision_record,
    "status_decision_update": _status_decision_update,
    "complaint_submit": _complaint_submit,
    "complaint_update": _complaint_update,
}
PERMISSIONS = {
    "status_decision_record": FILE,
    "status_decision_update": FILE,
    "complaint_submit": EDIT,
    "complaint_update": EDIT,
}


@pytest.mark.parametrize(("service", "who", "allowed"), permission_params(PERMISSIONS))
def test_who_may_write(world, service, who, allowed):
    assert_permission(SCENARIOS[service](world.case), getattr(world, who), allowed)


@pytest.mark.parametrize(
    ("service", "who", "allowed"),
    permission_params({s: UNSHARED for s, t in PERMISSIONS.items() if t is FILE}),
)
def test_a_lawyer_files_only_on_the_cases_shared_with_them(world, service, who, allowed):
    assert_permission(SCENARIOS[service](world.unshared), getattr(world, who), allowed)


# --- refugee status decisions -----------------------------------------------------------------


@pytest.fixture
def rejected(world):
    """A national rejection of 1 March 2010, of a party to ``world.case``."""
    return f.StatusDecisionFactory(
        case=world.case, authority="national", outcome="rejected", decided_on=date(2010, 3, 1)
    )


def test_status_decision_record_by_the_lawyer_on_appeal(world, rejected):
    timeline = Timeline()
    decision = status_decision_record(
        acting_user=world.lawyer,
        case=world.case,
        person=rejected.person,
        authority="court",
        outcome="recognised",
        decided_on=date(2010, 5, 1),
        appeal_of=rejected,
    )
    event = timeline.only(
        "refugeestatusdecision.created", actor=world.lawyer, case=world.case, person=rejected.person
    )
    after = event.data["after"]
    assert (after["id"], after["appeal_of"], after["decided_on"]) == (
        str(decision.pk),
        str(rejected.pk),
        "2010-05-01",
    )


@pytest.mark.parametrize(
    ("field", "whose", "decided_on", "outcome"),
    [
        ("decided_on", "same person", date(2010, 2, 1), "recognised"),
        ("appeal_of", "another person", date(2010, 5, 1), "recognised"),
        ("outcome", "same person", date(2010, 5, 1), "granted asylum"),
    ],
)
def test_status_decision_record_refuses_bad_input(
    world, rejected, field, whose, decided_on, outcome
):
    person = rejected.person if whose == "same person" else party(world.case)
    with nothing_written(), pytest.raises(ValidationError) as error:
        status_decision_record(
            acting_user=world.lawyer,
            case=world.case,
            person=person,
            authority="court",
            outcome=outcome,
            decided_on=decided_on,
            appeal_of=rejected,
        )
    assert field in error.value.message_dict


def test_status_decision_update(world):
    decision = f.StatusDecisionFactory(case=world.case)
    timeline = Timeline()
    status_decision_update(
        acting_user=world.lawyer, decision=decision, notified_on=date(2009, 11, 10)
    )
    event = timeline.only(
        "refugeestatusdecision.updated", actor=world.lawyer, case=world.case, person=decision.person
    )
    assert event.data == {"before": {"notified_on": None}, "after": {"notified_on": "2009-11-10"}}


def test_status_decision_update_that_changes_nothing_writes_nothing(world):
    decision = f.StatusDecisionFactory(case=world.case)
    with nothing_written():
        status_decision_update(
            acting_user=world.lawyer,
            decision=decision,
            outcome=decision.outcome,
            decided_on=decision.decided_on,
        )


def test_status_decision_update_refuses_notification_before_the_decision(world):
    decision = f.StatusDecisionFactory(case=world.case, decided_on=date(2009, 11, 1))
    with nothing_written(), pytest.raises(ValidationError) as error:
        status_decision_update(
            acting_user=world.lawyer, decision=decision, notified_on=date(2009, 10, 30)
        )
    assert "notified_on" in error.value.message_dict


# --- complaints -------------------------------------------------------------------------------


def test_complaint_submit_records_its_complainants(world):
    people = [party(world.case), party(world.case)]
    timeline = Timeline()
    complaint = complaint_submit(
        acting_user=world.caseworker,
        case=world.case,
        body="CAT",
        state_party="KZ",
        submitted_on=date(2010, 12, 1),
        complainants=people,
        counsel="A. Lawyer",
    )
    event = timeline.only("complaint.created", actor=world.caseworker, case=world.case)
    after = event.data["after"]
    assert (after["body"], after["state_party"], after["submitted_on"]) == (
        "CAT",
        "KZ",
        "2010-12-01",
    )
    assert after["complainants"] == sorted(str(p.pk) for p in people)
    assert set(complaint.complainants.all()) == set(people)


@pytest.mark.parametrize("mistake", ["not a party", "nobody", "registered before submitted"])
def test_complaint_submit_refuses_bad_input_leaving_no_complaint(world, mistake):
    complainants, fields = [party(world.case)], {}
    if mistake == "not a party":
        complainants.append(f.PersonFactory(organisation=world.org))
    elif mistake == "nobody":
        complainants = []
    else:
        fields["registered_on"] = date(2010, 11, 1)
    with nothing_written(), pytest.raises(ValidationError) as error:
        complaint_submit(
            acting_user=world.caseworker,
            case=world.case,
            body="CAT",
            state_party="KZ",
            submitted_on=date(2010, 12, 1),
            complainants=complainants,
            **fields,
        )
    assert ("registered_on" if fields else "complainants") in error.value.message_dict
    assert not Complaint.objects.filter(case=world.case).exists()


def test_complaint_update(world):
    complaint = complaint_of(world.case, number="")
    timeline = Timeline()
    complaint_update(
        acting_user=world.caseworker,
        complaint=complaint,
        registered_on=date(2010, 12, 20),
        number="444/2010",
    )
    event = timeline.only("complaint.updated", actor=world.caseworker, case=world.case)
    assert event.data == {
        "before": {"number": "", "registered_on": None},
        "after": {"number": "444/2010", "registered_on": "2010-12-20"},
    }


def test_complaint_update_of_complainants_is_on_the_timeline(world):
    complaint = complaint_of(world.case)
    [first] = complaint.complainants.all()
    second = party(world.case)
    timeline = Timeline()
    complaint_update(
        acting_user=world.caseworker, complaint=complaint, complainants=[first, second]
    )
    event = timeline.only("complaint.updated", actor=world.caseworker, case=world.case)
    assert event.data == {
        "before": {"complainants": [str(first.pk)]},
        "after": {"complainants": sorted([str(first.pk), str(second.pk)])},
    }


def test_complaint_update_that_changes_nothing_writes_nothing(world):
    complaint = complaint_of(world.case)
    with nothing_written():
        complaint_update(
            acting_user=world.caseworker,
            complaint=complaint,
            status=complaint.status,
            state_party="KZ",
            complainants=list(complaint.complainants.all()),
        )


def test_complaint_update_refuses_a_reply_before_transmission_is_recorded(world):
    complaint = complaint_of(world.case)
    with nothing_written(), pytest.raises(ValidationError) as error:
        complaint_update(
            acting_user=world.caseworker, complaint=complaint, state_reply_on=date(2011, 6, 1)
        )
    assert "transmitted_on" in error.value.message_dict


def test_complaint_update_with_an_outsider_changes_nothing_at_all(world):
    complaint, outsider = complaint_of(world.case), f.PersonFactory(organisation=world.org)
    with nothing_written(), pytest.raises(ValidationError) as error:
        complaint_update(
            acting_user=world.caseworker,
            complaint=complaint,
            status="registered",
            registered_on=date(2010, 12, 20),
            complainants=[outsider],
        )
    assert "complainants" in error.value.message_dict
