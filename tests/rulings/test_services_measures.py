"""Services of interim measures and of the treaty bodies' decisions on complaints."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from rulings.services import (
    committee_decision_record,
    committee_decision_update,
    interim_measure_lift,
    interim_measure_record,
    interim_measure_update,
)
from tests import factories as f
from tests.helpers import (
    FILE,
    UNSHARED,
    Timeline,
    assert_permission,
    complaint_of,
    nothing_written,
    permission_params,
)


def _measure(case, **fields):
    return f.InterimMeasureFactory(complaint=complaint_of(case), **fields)


def _committee_decision(case, **fields):
    return f.CommitteeDecisionFactory(complaint=complaint_of(case), **fields)


# Each scenario builds its data on a case and returns the write, to be made by any user.


def _interim_measure_record(case):
    complaint = complaint_of(case)
    return lambda user: interim_measure_record(
        acting_user=user,
        complaint=complaint,
        requested_on=date(2010, 12, 1),
        granted_on=date(2010, 12, 3),
    )


def _interim_measure_update(case):
    measure = _measure(case)
    return lambda user: interim_measure_update(
        acting_user=user, measure=measure, reaffirmed_on=date(2011, 6, 1)
    )


def _interim_measure_lift(case):
    measure = _measure(case)
    return lambda user: interim_measure_lift(
        acting_user=user, measure=measure, lifted_on=date(2012, 6, 15)
    )


def _committee_decision_record(case):
    complaint = complaint_of(case)
    return lambda user: committee_decision_record(
        acting_user=user,
        complaint=complaint,
        kind="merits",
        adopted_on=date(2012, 6, 1),
        outcome="violation",
    )


def _committee_decision_update(case):
    decision = _committee_decision(case)
    return lambda user: committee_decision_update(
        acting_user=user, decision=decision, transmitted_on=date(2012, 6, 20)
    )


SCENARIOS = {
    "interim_measure_record": _interim_measure_record,
    "interim_measure_update": _interim_measure_update,
    "interim_measure_lift": _interim_measure_lift,
    "committee_decision_record": _committee_decision_record,
    "committee_decision_update": _committee_decision_update,
}
# Recording what a Committee decided is filing: outside lawyers may, on their cases.
PERMISSIONS = dict.fromkeys(SCENARIOS, FILE)


@pytest.mark.parametrize(("service", "who", "allowed"), permission_params(PERMISSIONS))
def test_who_may_write(world, service, who, allowed):
    assert_permission(SCENARIOS[service](world.case), getattr(world, who), allowed)


@pytest.mark.parametrize(
    ("service", "who", "allowed"),
    permission_params(dict.fromkeys(SCENARIOS, UNSHARED)),
)
def test_a_lawyer_files_only_on_the_cases_shared_with_them(world, service, who, allowed):
    assert_permission(SCENARIOS[service](world.unshared), getattr(world, who), allowed)


# What each update leaves on the timeline: (kind, before, after).
EVENTS = {
    "interim_measure_update": (
        "interimmeasure.updated",
        {"reaffirmed_on": None},
        {"reaffirmed_on": "2011-06-01"},
    ),
    "interim_measure_lift": (
        "interimmeasure.lifted",
        {"lifted_on": None},
        {"lifted_on": "2012-06-15"},
    ),
    "committee_decision_update": (
        "committeedecision.updated",
        {"transmitted_on": None},
        {"transmitted_on": "2012-06-20"},
    ),
}


@pytest.mark.parametrize("service", EVENTS)
def test_an_update_is_on_the_timeline(world, service):
    kind, before, after = EVENTS[service]
    write, timeline = SCENARIOS[service](world.case), Timeline()
    write(world.lawyer)
    event = timeline.only(kind, actor=world.lawyer, case=world.case)
    assert event.data == {"before": before, "after": after}


def _unchanged_measure(case):
    measure = _measure(case)
    return lambda user: interim_measure_update(
        acting_user=user, measure=measure, granted_on=measure.granted_on, scope=measure.scope
    )


def _unchanged_committee_decision(case):
    decision = _committee_decision(case)
    return lambda user: committee_decision_update(
        acting_user=user,
        decision=decision,
        outcome=decision.outcome,
        adopted_on=decision.adopted_on,
    )


@pytest.mark.parametrize("build", [_unchanged_measure, _unchanged_committee_decision])
def test_an_update_that_changes_nothing_writes_nothing(world, build):
    write = build(world.case)
    with nothing_written():
        write(world.lawyer)


# One realistic mistake per write, and the field the error must name.


def _granted_before_requested(case):
    complaint = complaint_of(case)
    return lambda user: interim_measure_record(
        acting_user=user,
        complaint=complaint,
        requested_on=date(2010, 12, 3),
        granted_on=date(2010, 12, 1),
    )


def _reaffirmed_before_granted(case):
    measure = _measure(case, granted_on=date(2010, 12, 3))
    return lambda user: interim_measure_update(
        acting_user=user, measure=measure, reaffirmed_on=date(2010, 12, 2)
    )


def _lifted_before_granted(case):
    measure = _measure(case, granted_on=date(2010, 12, 3))
    return lambda user: interim_measure_lift(
        acting_user=user, measure=measure, lifted_on=date(2010, 12, 2)
    )


def _lifted_twice(case):
    measure = _measure(case, lifted_on=date(2012, 6, 15))
    return lambda user: interim_measure_lift(
        acting_user=user, measure=measure, lifted_on=date(2012, 7, 1)
    )


def _adopted_before_submission(case):
    complaint = complaint_of(case, submitted_on=date(2010, 12, 1))
    return lambda user: committee_decision_record(
        acting_user=user,
        complaint=complaint,
        kind="merits",
        adopted_on=date(2010, 11, 1),
        outcome="violation",
    )


def _unknown_kind(case):
    complaint = complaint_of(case)
    return lambda user: committee_decision_record(
        acting_user=user,
        complaint=complaint,
        kind="advisory opinion",
        adopted_on=date(2012, 6, 1),
        outcome="violation",
    )


def _transmitted_before_adopted(case):
    decision = _committee_decision(case, adopted_on=date(2012, 6, 1))
    return lambda user: committee_decision_update(
        acting_user=user, decision=decision, transmitted_on=date(2012, 5, 1)
    )


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (_granted_before_requested, "granted_on"),
        (_reaffirmed_before_granted, "reaffirmed_on"),
        (_lifted_before_granted, "lifted_on"),
        (_lifted_twice, "lifted_on"),
        (_adopted_before_submission, "adopted_on"),
        (_unknown_kind, "kind"),
        (_transmitted_before_adopted, "transmitted_on"),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else value,
)
def test_a_mistake_is_refused_naming_the_field(world, build, field):
    write = build(world.case)
    with nothing_written(), pytest.raises(ValidationError) as error:
        write(world.lawyer)
    assert field in error.value.message_dict


def test_interim_measure_record_by_the_lawyer(world):
    complaint = complaint_of(world.case)
    timeline = Timeline()
    interim_measure_record(
        acting_user=world.lawyer,
        complaint=complaint,
        requested_on=date(2010, 12, 1),
        granted_on=date(2010, 12, 3),
    )
    event = timeline.only("interimmeasure.created", actor=world.lawyer, case=world.case)
    after = event.data["after"]
    assert (after["complaint"], after["granted_on"], after["lifted_on"]) == (
        str(complaint.pk),
        "2010-12-03",
        None,
    )
    assert after["scope"].startswith("Do not extradite or deport")


def test_committee_decision_record_by_the_lawyer(world):
    complaint = complaint_of(world.case)
    timeline = Timeline()
    committee_decision_record(
        acting_user=world.lawyer,
        complaint=complaint,
        kind="merits",
        adopted_on=date(2012, 6, 1),
        outcome="violation",
        symbol="CAT/C/48/D/444/2010",
        articles="3",
    )
    event = timeline.only("committeedecision.created", actor=world.lawyer, case=world.case)
    after = event.data["after"]
    assert (after["complaint"], after["symbol"], after["outcome"]) == (
        str(complaint.pk),
        "CAT/C/48/D/444/2010",
        "violation",
    )
