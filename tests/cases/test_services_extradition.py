"""Services of extradition proceedings: requests, surrender, and the decisions of each stage."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cases.choices import DecisionOutcome, DecisionStage, RequestStatus
from cases.services import (
    extradition_decision_record,
    extradition_decision_update,
    extradition_request_create,
    extradition_request_surrender,
    extradition_request_update,
)
from tests import factories as f
from tests.helpers import (
    EDIT,
    FILE,
    UNSHARED,
    Timeline,
    assert_permission,
    nothing_written,
    party,
    permission_params,
)

# Each scenario builds its data on a case and returns the write, to be made by any user.


def _extradition_request_create(case):
    person = party(case)
    return lambda user: extradition_request_create(
        acting_user=user,
        case=case,
        person=person,
        requesting_state="UZ",
        requested_state="KZ",
        received_on=date(2010, 6, 20),
    )


def _extradition_request_update(case):
    request = f.ExtraditionRequestFactory(case=case)
    return lambda user: extradition_request_update(
        acting_user=user, request=request, charges="Art. 159 of the Uzbek Criminal Code"
    )


def _extradition_request_surrender(case):
    request = f.ExtraditionRequestFactory(case=case)
    return lambda user: extradition_request_surrender(
        acting_user=user, request=request, surrendered_on=date(2011, 3, 1)
    )


def _extradition_decision_record(case):
    request = f.ExtraditionRequestFactory(case=case)
    return lambda user: extradition_decision_record(
        acting_user=user,
        request=request,
        stage=DecisionStage.PROSECUTOR,
        decided_on=date(2010, 9, 9),
        outcome=DecisionOutcome.GRANTED,
    )


def _extradition_decision_update(case):
    decision = f.ExtraditionDecisionFactory(request=f.ExtraditionRequestFactory(case=case))
    return lambda user: extradition_decision_update(
        acting_user=user, decision=decision, served_on=date(2010, 9, 15)
    )


SCENARIOS = {
    "extradition_request_create": _extradition_request_create,
    "extradition_request_update": _extradition_request_update,
    "extradition_request_surrender": _extradition_request_surrender,
    "extradition_decision_record": _extradition_decision_record,
    "extradition_decision_update": _extradition_decision_update,
}
PERMISSIONS = {
    "extradition_request_create": EDIT,
    "extradition_request_update": EDIT,
    "extradition_request_surrender": EDIT,
    "extradition_decision_record": FILE,
    "extradition_decision_update": FILE,
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


# --- extradition requests ---------------------------------------------------------------------


def test_extradition_request_create(world):
    person = party(world.case)
    timeline = Timeline()
    request = extradition_request_create(
        acting_user=world.caseworker,
        case=world.case,
        person=person,
        requesting_state="UZ",
        requested_state="KZ",
        received_on=date(2010, 6, 20),
        treaty="chisinau_2002",
    )
    event = timeline.only(
        "extraditionrequest.created", actor=world.caseworker, case=world.case, person=person
    )
    after = event.data["after"]
    assert (after["requesting_state"], after["requested_state"], after["treaty"]) == (
        "UZ",
        "KZ",
        "chisinau_2002",
    )
    assert after["id"] == str(request.pk)


@pytest.mark.parametrize(
    ("field", "changes"), [("treaty", {"treaty": "warsaw_1929"}), ("person", {"person": None})]
)
def test_extradition_request_create_refuses_an_unknown_treaty_or_an_outsider(world, field, changes):
    data = {"person": party(world.case), "treaty": "minsk_1993"} | changes
    data["person"] = data["person"] or f.PersonFactory(organisation=world.org)
    with nothing_written(), pytest.raises(ValidationError) as error:
        extradition_request_create(
            acting_user=world.caseworker,
            case=world.case,
            requesting_state="UZ",
            requested_state="KZ",
            received_on=date(2010, 6, 20),
            **data,
        )
    assert field in error.value.message_dict


def test_extradition_request_update(world):
    request = f.ExtraditionRequestFactory(case=world.case)
    timeline = Timeline()
    extradition_request_update(acting_user=world.caseworker, request=request, status="refused")
    event = timeline.only(
        "extraditionrequest.updated", actor=world.caseworker, case=world.case, person=request.person
    )
    assert event.data == {"before": {"status": "pending"}, "after": {"status": "refused"}}


@pytest.mark.parametrize("status", [RequestStatus.SURRENDERED, "extradited"])
def test_extradition_request_update_refuses_a_surrender_or_an_unknown_status(world, status):
    request = f.ExtraditionRequestFactory(case=world.case)
    with nothing_written(), pytest.raises(ValidationError) as error:
        extradition_request_update(acting_user=world.caseworker, request=request, status=status)
    assert "status" in error.value.message_dict


def test_extradition_request_surrender(world):
    request = f.ExtraditionRequestFactory(case=world.case)
    timeline = Timeline()
    extradition_request_surrender(
        acting_user=world.caseworker, request=request, surrendered_on=date(2011, 3, 1)
    )
    event = timeline.only(
        "extraditionrequest.surrendered",
        actor=world.caseworker,
        case=world.case,
        person=request.person,
    )
    assert event.data == {
        "before": {"status": "pending", "surrendered_on": None},
        "after": {"status": "surrendered", "surrendered_on": "2011-03-01"},
    }


def test_extradition_request_surrender_refuses_a_date_before_the_request(world):
    request = f.ExtraditionRequestFactory(case=world.case, received_on=date(2010, 6, 20))
    with nothing_written(), pytest.raises(ValidationError) as error:
        extradition_request_surrender(
            acting_user=world.caseworker, request=request, surrendered_on=date(2010, 6, 1)
        )
    assert "surrendered_on" in error.value.message_dict


def test_extradition_request_surrender_refuses_a_second_surrender(world):
    request = f.ExtraditionRequestFactory(
        case=world.case, status="surrendered", surrendered_on=date(2011, 3, 1)
    )
    with nothing_written(), pytest.raises(ValidationError) as error:
        extradition_request_surrender(
            acting_user=world.caseworker, request=request, surrendered_on=date(2011, 3, 2)
        )
    assert "status" in error.value.message_dict


# --- extradition decisions --------------------------------------------------------------------


def test_extradition_decision_record_by_the_lawyer(world):
    request = f.ExtraditionRequestFactory(case=world.case)
    timeline = Timeline()
    extradition_decision_record(
        acting_user=world.lawyer,
        request=request,
        stage=DecisionStage.PROSECUTOR,
        decided_on=date(2010, 9, 9),
        outcome=DecisionOutcome.GRANTED,
        served_on=date(2010, 9, 15),
    )
    event = timeline.only(
        "extraditiondecision.created", actor=world.lawyer, case=world.case, person=request.person
    )
    after = event.data["after"]
    assert (after["request"], after["stage"], after["served_on"]) == (
        str(request.pk),
        "prosecutor",
        "2010-09-15",
    )


@pytest.mark.parametrize(
    ("field", "stage", "decided_on", "outcome"),
    [
        # The appeal court cannot rule before the prosecutor's decision it reviews.
        ("decided_on", DecisionStage.APPEAL, date(2010, 9, 1), DecisionOutcome.UPHELD),
        ("outcome", DecisionStage.APPEAL, date(2010, 10, 1), "postponed"),
        ("stage", "district_court", date(2010, 10, 1), DecisionOutcome.UPHELD),
    ],
)
def test_extradition_decision_record_refuses_bad_input(world, field, stage, decided_on, outcome):
    prosecutor = f.ExtraditionDecisionFactory(
        request=f.ExtraditionRequestFactory(case=world.case), decided_on=date(2010, 9, 9)
    )
    with nothing_written(), pytest.raises(ValidationError) as error:
        extradition_decision_record(
            acting_user=world.lawyer,
            request=prosecutor.request,
            stage=stage,
            decided_on=decided_on,
            outcome=outcome,
        )
    assert field in error.value.message_dict


def test_extradition_decision_update(world):
    decision = f.ExtraditionDecisionFactory(request=f.ExtraditionRequestFactory(case=world.case))
    timeline = Timeline()
    extradition_decision_update(
        acting_user=world.lawyer, decision=decision, served_on=date(2010, 9, 15)
    )
    event = timeline.only(
        "extraditiondecision.updated",
        actor=world.lawyer,
        case=world.case,
        person=decision.request.person,
    )
    assert event.data == {"before": {"served_on": None}, "after": {"served_on": "2010-09-15"}}


def test_extradition_decision_update_refuses_service_before_the_decision(world):
    decision = f.ExtraditionDecisionFactory(
        request=f.ExtraditionRequestFactory(case=world.case), decided_on=date(2010, 9, 9)
    )
    with nothing_written(), pytest.raises(ValidationError) as error:
        extradition_decision_update(
            acting_user=world.lawyer, decision=decision, served_on=date(2010, 9, 1)
        )
    assert "served_on" in error.value.message_dict


def test_extradition_request_update_that_changes_nothing_writes_nothing(world):
    request = f.ExtraditionRequestFactory(case=world.case)
    with nothing_written():
        extradition_request_update(
            acting_user=world.caseworker,
            request=request,
            requesting_state="UZ",
            received_on=request.received_on,
        )


def test_extradition_decision_update_that_changes_nothing_writes_nothing(world):
    decision = f.ExtraditionDecisionFactory(request=f.ExtraditionRequestFactory(case=world.case))
    with nothing_written():
        extradition_decision_update(
            acting_user=world.lawyer,
            decision=decision,
            outcome=decision.outcome,
            decided_on=decision.decided_on,
        )
