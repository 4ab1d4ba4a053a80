"""Event alerts, raised by the write itself rather than the sweep (DESIGN §6): removing a person
an active interim measure protects is a breach; UNHCR recognition, national rejection and a
pending extradition request together make a person high risk."""

import itertools
from datetime import date

import pytest

from cases.models import Alert, Case
from cases.services import (
    detention_create,
    detention_end,
    extradition_request_create,
    extradition_request_surrender,
)
from rulings.services import (
    complaint_submit,
    interim_measure_lift,
    interim_measure_record,
    status_decision_record,
)
from tests import factories as f

BREACH = "interim_measure_breach"
SURRENDERED_ON = date(2011, 1, 15)


@pytest.fixture(autouse=True)
def lead(world):
    Case.objects.filter(pk=world.case.pk).update(lead=world.caseworker)
    world.case.refresh_from_db()


@pytest.fixture
def eager_celery(settings):
    """Run ``alert_notify_task.delay`` at once, in this process."""
    from casetracker.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def _person(world):
    person = f.PersonFactory(
        organisation=world.org, family_name="Yusupbekov", given_name="Bakhtiyor"
    )
    f.CasePartyFactory(case=world.case, person=person)
    return person


@pytest.fixture
def complainant(world):
    return _person(world)


@pytest.fixture
def complaint(world, complainant):
    return complaint_submit(
        acting_user=world.caseworker,
        case=world.case,
        body="CAT",
        state_party="KZ",
        submitted_on=date(2010, 12, 1),
        complainants=[complainant],
        number="444/2010",
    )


def _measure(world, complaint, **fields):
    return interim_measure_record(
        acting_user=world.caseworker,
        complaint=complaint,
        requested_on=date(2010, 12, 1),
        **fields,
    )


def _request(world, person):
    return extradition_request_create(
        acting_user=world.caseworker,
        case=world.case,
        person=person,
        requesting_state="UZ",
        requested_state="KZ",
        received_on=date(2010, 6, 20),
    )


def _detention(world, person):
    return detention_create(
        acting_user=world.caseworker,
        case=world.case,
        person=person,
        basis="provisional_arrest_extradition",
        started_on=date(2010, 6, 10),
    )


def _surrender(world, request):
    return extradition_request_surrender(
        acting_user=world.caseworker, request=request, surrendered_on=SURRENDERED_ON
    )


def _breaches() -> list[Alert]:
    return list(Alert.objects.filter(kind=BREACH))


# --- Interim measure breach ------------------------------------------------------------------


def test_a_surrender_under_an_interim_measure_raises_the_breach_at_once(
    world, complainant, complaint, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    _measure(world, complaint, granted_on=date(2010, 12, 3))
    request = _request(world, complainant)
    with django_capture_on_commit_callbacks(execute=True):
        _surrender(world, request)
        # Raised by the write itself, before any sweep; told only once it is committed.
        [alert] = _breaches()
        assert (alert.level, alert.case, alert.person) == ("critical", world.case, complainant)
        assert (alert.deadline, alert.subject) == (None, request)
        assert "2011-01-15" in alert.message and "CAT 444/2010" in alert.message
        assert not mailoutbox
    [email] = mailoutbox
    assert sorted(email.to) == sorted([world.caseworker.email, world.admin.email])
    assert email.subject == "[Casetracker] ALA-2010-001: interim measure breached"
    assert "Yusupbekov" not in email.subject and "Bakhtiyor" not in email.subject
    alert.refresh_from_db()
    assert alert.notified_at is not None


def test_the_detentions_end_does_not_raise_the_same_breach_again(world, complainant, complaint):
    _measure(world, complaint, granted_on=date(2010, 12, 3))
    detention = _detention(world, complainant)
    _surrender(world, _request(world, complainant))
    detention_end(
        acting_user=world.caseworker,
        detention=detention,
        ended_on=SURRENDERED_ON,
        end_reason="extradited",
    )
    assert len(_breaches()) == 1


@pytest.mark.parametrize(
    ("measure", "raised"),
    [
        ({"granted_on": date(2010, 12, 3)}, 1),
        ({"granted_on": date(2010, 12, 3), "reaffirmed_on": date(2011, 1, 5)}, 1),
        ({}, 0),  # requested, not yet granted
        ({"granted_on": date(2011, 2, 1)}, 0),  # granted after the surrender
    ],
)
def test_only_a_measure_in_force_on_the_day_protects(
    world, complainant, complaint, measure, raised
):
    _measure(world, complaint, **measure)
    _surrender(world, _request(world, complainant))
    assert len(_breaches()) == raised


@pytest.mark.parametrize(("granted_on", "raised"), [(date(2010, 12, 3), 1), (date(2011, 2, 1), 0)])
def test_a_measure_recorded_after_the_removal_it_was_in_force_for_reveals_the_breach(
    world, complainant, complaint, granted_on, raised
):
    detention = _detention(world, complainant)
    _surrender(world, _request(world, complainant))
    detention_end(
        acting_user=world.caseworker,
        detention=detention,
        ended_on=SURRENDERED_ON,
        end_reason="extradited",
    )
    assert not _breaches()
    _measure(world, complaint, granted_on=granted_on)  # the Committee's letter, entered late
    assert len(_breaches()) == raised


def test_a_measure_lifted_before_the_surrender_protects_no_more(world, complainant, complaint):
    measure = _measure(world, complaint, granted_on=date(2010, 12, 3))
    interim_measure_lift(acting_user=world.caseworker, measure=measure, lifted_on=date(2011, 1, 10))
    _surrender(world, _request(world, complainant))
    assert not _breaches()


def test_a_measure_protects_the_complainants_not_everyone_in_the_case(world, complaint):
    _measure(world, complaint, granted_on=date(2010, 12, 3))
    relative = _person(world)
    _surrender(world, _request(world, relative))
    assert not _breaches()


@pytest.mark.parametrize(
    ("end_reason", "raised"),
    [("extradited", 1), ("deported", 1), ("transferred", 1), ("released", 0), ("other", 0)],
)
def test_a_detention_ending_in_removal_is_a_breach(
    world, complainant, complaint, end_reason, raised
):
    _measure(world, complaint, granted_on=date(2010, 12, 3))
    detention = _detention(world, complainant)
    detention_end(
        acting_user=world.caseworker,
        detention=detention,
        ended_on=date(2011, 1, 20),
        end_reason=end_reason,
    )
    breaches = _breaches()
    assert len(breaches) == raised
    if raised:
        assert breaches[0].subject == detention and breaches[0].level == "critical"


# --- High risk -------------------------------------------------------------------------------


def _unhcr_recognised(world, person):
    status_decision_record(
        acting_user=world.caseworker,
        case=world.case,
        person=person,
        authority="unhcr_mandate",
        outcome="recognised",
        decided_on=date(2009, 11, 1),
    )


def _nationally_rejected(world, person):
    status_decision_record(
        acting_user=world.caseworker,
        case=world.case,
        person=person,
        authority="national",
        outcome="rejected",
        applied_on=date(2009, 12, 1),
        decided_on=date(2010, 3, 1),
    )


def _pending_request(world, person):
    _request(world, person)


FACTS = [_unhcr_recognised, _nationally_rejected, _pending_request]


@pytest.mark.parametrize(
    "order",
    list(itertools.permutations(FACTS)),
    ids=lambda order: ",".join(fact.__name__.strip("_") for fact in order),
)
def test_the_three_facts_in_any_order_raise_one_high_risk_alert(world, complainant, order):
    for index, record in enumerate(order):
        assert not Alert.objects.filter(kind="high_risk").exists(), index
        record(world, complainant)
    [alert] = Alert.objects.filter(kind="high_risk")
    assert (alert.level, alert.case, alert.person) == ("critical", world.case, complainant)
    assert alert.deadline is None


@pytest.mark.parametrize("missing", FACTS, ids=lambda fact: fact.__name__)
def test_two_of_the_three_facts_are_not_high_risk(world, complainant, missing):
    for record in FACTS:
        if record is not missing:
            record(world, complainant)
    assert not Alert.objects.filter(kind="high_risk").exists()
