"""Deadlines over their life: recomputed when the trigger date is corrected, cancelled when the
trigger is withdrawn, overridden with a reason, entered by hand, met, missed and reopened, and
rules changed without moving the deadlines already computed."""

import datetime
import zoneinfo
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.choices import DeadlineStatus
from cases.deadlines.arithmetic import END_OF_DAY
from cases.models import Case, CaseEvent, Deadline
from cases.services import (
    detention_create,
    detention_update,
    extradition_decision_record,
    extradition_request_create,
    record_delete,
)
from cases.services.deadlines import (
    deadline_create,
    deadline_mark_met,
    deadline_mark_missed,
    deadline_override,
    deadline_reopen,
)
from rulings.services import committee_decision_record, complaint_submit, complaint_update
from tests.helpers import EDIT, FILE, nothing_written, party, permission_params

D = date
ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
REASON = "The Committee's letter of 5 September 2011 sets 15 March 2012."


def _end_of(day: date, tz=ZURICH) -> datetime.datetime:
    return datetime.datetime.combine(day, END_OF_DAY, tzinfo=tz)


def _instant(iso: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(iso)


@pytest.fixture(autouse=True)
def lead(world):
    Case.objects.filter(pk=world.case.pk).update(lead=world.caseworker)
    world.case.refresh_from_db()
    return world.caseworker


@pytest.fixture
def complaint(world):
    """A CAT complaint transmitted on 31 August 2011: the State's reply is due 29 Feb 2012."""
    return complaint_submit(
        acting_user=world.caseworker,
        case=world.case,
        body="CAT",
        state_party="KZ",
        submitted_on=D(2011, 8, 1),
        complainants=[party(world.case)],
        transmitted_on=D(2011, 8, 31),
    )


def _state_reply() -> Deadline:
    return Deadline.objects.get(rule__code="cat.state_reply")


def _events(kind: str, deadline: Deadline) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(kind=kind, subject_id=deadline.pk).order_by("at"))


def _manual(world, **fields) -> Deadline:
    return deadline_create(
        acting_user=world.caseworker,
        case=world.case,
        title="Hearing at the Almaty city court",
        due_on=D(2012, 5, 10),
        **fields,
    )


# --- Recompute, cancel, reopen ---------------------------------------------------------------


def test_a_corrected_trigger_date_moves_the_deadline(world, complaint):
    deadline = _state_reply()
    assert deadline.due_at == _end_of(D(2012, 2, 29))
    complaint_update(
        acting_user=world.caseworker, complaint=complaint, transmitted_on=D(2011, 9, 30)
    )
    moved = _state_reply()
    assert moved.pk == deadline.pk
    assert (moved.status, moved.basis_date) == (DeadlineStatus.OPEN, D(2011, 9, 30))
    assert moved.due_at == moved.computed_due_at == _end_of(D(2012, 3, 30))
    assert "2011-09-30 + 6 months = 2012-03-30" in moved.explanation
    [event] = _events("deadline.recomputed", moved)
    assert event.actor == world.caseworker
    before, after = event.data["before"], event.data["after"]
    assert (before["basis_date"], after["basis_date"]) == ("2011-08-31", "2011-09-30")
    assert _instant(before["due_at"]) == _end_of(D(2012, 2, 29))
    assert _instant(after["due_at"]) == _end_of(D(2012, 3, 30))


def test_an_unrelated_edit_leaves_the_deadline_alone(world, complaint):
    deadline = _state_reply()
    complaint_update(acting_user=world.caseworker, complaint=complaint, number="444/2011")
    assert _state_reply().due_at == deadline.due_at
    assert not _events("deadline.recomputed", deadline)


def test_a_withdrawn_trigger_date_cancels_and_refilling_it_reopens(world, complaint):
    deadline = _state_reply()
    complaint_update(acting_user=world.caseworker, complaint=complaint, transmitted_on=None)
    cancelled = _state_reply()
    assert (cancelled.status, cancelled.next_alert_at) == (DeadlineStatus.CANCELLED, None)
    [event] = _events("deadline.cancelled", deadline)
    assert (event.data["before"]["status"], event.data["after"]["status"]) == ("open", "cancelled")
    assert Deadline.objects.get(rule__code="cat.admissibility_only").status == "cancelled"

    complaint_update(
        acting_user=world.caseworker, complaint=complaint, transmitted_on=D(2011, 10, 31)
    )
    reopened = _state_reply()
    assert (reopened.status, reopened.basis_date) == (DeadlineStatus.OPEN, D(2011, 10, 31))
    assert reopened.due_at == _end_of(D(2012, 4, 30))
    assert reopened.next_alert_at is not None
    assert Deadline.objects.filter(rule__code="cat.state_reply").count() == 1


def _provisional_arrest(world):
    return detention_create(
        acting_user=world.caseworker,
        case=world.case,
        person=party(world.case),
        basis="provisional_arrest_extradition",
        started_on=D(2010, 6, 10),
    )


def test_deleting_the_detention_cancels_its_deadlines(world):
    detention = _provisional_arrest(world)
    record_delete(acting_user=world.caseworker, record=detention)
    deadlines = Deadline.objects.filter(rule__code__startswith="kz.")
    assert sorted(deadlines.values_list("status", flat=True)) == ["cancelled", "cancelled"]
    assert CaseEvent.objects.filter(kind="deadline.cancelled").count() == 2


def test_a_detention_on_another_basis_cancels_the_provisional_arrest_limit(world):
    detention = _provisional_arrest(world)
    detention_update(acting_user=world.caseworker, detention=detention, basis="immigration")
    assert set(Deadline.objects.values_list("status", flat=True)) == {"cancelled"}


def test_deleting_a_complaint_cancels_the_deadlines_of_its_decisions(world, complaint):
    committee_decision_record(
        acting_user=world.caseworker,
        complaint=complaint,
        kind="merits",
        adopted_on=D(2012, 6, 1),
        outcome="violation",
        transmitted_on=D(2012, 6, 15),
    )
    record_delete(acting_user=world.caseworker, record=complaint)
    assert not Deadline.objects.open().exists()
    follow_up = Deadline.objects.get(rule__code="cat.follow_up")
    assert follow_up.status == DeadlineStatus.CANCELLED
    assert _events("deadline.cancelled", follow_up)


def test_deleting_an_extradition_request_cancels_its_appeal_window(world):
    request = extradition_request_create(
        acting_user=world.caseworker,
        case=world.case,
        person=party(world.case),
        requesting_state="UZ",
        requested_state="KZ",
        received_on=D(2010, 6, 20),
    )
    extradition_decision_record(
        acting_user=world.caseworker,
        request=request,
        stage="prosecutor",
        decided_on=D(2010, 9, 9),
        served_on=D(2010, 9, 10),
        outcome="granted",
    )
    record_delete(acting_user=world.caseworker, record=request)
    appeal = Deadline.objects.get(rule__code="kz.extradition_appeal")
    assert appeal.status == DeadlineStatus.CANCELLED


# --- Override --------------------------------------------------------------------------------


def test_an_override_keeps_the_computed_date_and_says_who_and_why(world, complaint):
    deadline = _state_reply()
    computed = deadline.due_at
    deadline_override(
        acting_user=world.caseworker, deadline=deadline, due_on=D(2012, 3, 15), reason=REASON
    )
    deadline = _state_reply()
    assert deadline.due_at == _end_of(D(2012, 3, 15))
    assert deadline.computed_due_at == computed
    assert deadline.is_overridden
    assert (deadline.override_reason, deadline.overridden_by) == (REASON, world.caseworker)
    [event] = _events("deadline.overridden", deadline)
    assert event.actor == world.caseworker
    assert event.data["after"]["override_reason"] == REASON
    assert _instant(event.data["before"]["due_at"]) == computed
    assert _instant(event.data["after"]["due_at"]) == _end_of(D(2012, 3, 15))


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_needs_a_reason(world, complaint, reason):
    deadline = _state_reply()
    with nothing_written(), pytest.raises(ValidationError) as error:
        deadline_override(
            acting_user=world.caseworker, deadline=deadline, due_on=D(2012, 3, 15), reason=reason
        )
    assert "reason" in error.value.message_dict


def test_a_corrected_trigger_date_keeps_the_override(world, complaint):
    deadline_override(
        acting_user=world.caseworker, deadline=_state_reply(), due_on=D(2012, 3, 15), reason=REASON
    )
    complaint_update(
        acting_user=world.caseworker, complaint=complaint, transmitted_on=D(2011, 9, 30)
    )
    deadline = _state_reply()
    assert deadline.due_at == _end_of(D(2012, 3, 15))
    assert deadline.computed_due_at == _end_of(D(2012, 3, 30))
    assert deadline.basis_date == D(2011, 9, 30)
    assert deadline.override_reason == REASON


def test_only_an_open_deadline_can_be_overridden(world):
    deadline = _manual(world)
    deadline_mark_met(acting_user=world.caseworker, deadline=deadline, met_on=D(2012, 5, 1))
    with nothing_written(), pytest.raises(ValidationError):
        deadline_override(
            acting_user=world.caseworker, deadline=deadline, due_on=D(2012, 6, 1), reason=REASON
        )


def test_overriding_a_manual_deadline_keeps_the_date_first_entered(world):
    deadline = _manual(world)
    deadline_override(
        acting_user=world.caseworker, deadline=deadline, due_on=D(2012, 6, 1), reason=REASON
    )
    deadline.refresh_from_db()
    assert deadline.computed_due_at == _end_of(D(2012, 5, 10), ALMATY)
    assert deadline.due_at == _end_of(D(2012, 6, 1), ALMATY)


# --- Manual deadlines, met, missed, reopened -------------------------------------------------


def test_a_manual_deadline(world, lead):
    deadline = _manual(world)
    assert deadline.rule is None and deadline.subject is None
    assert (deadline.due_date, deadline.due_at) == (D(2012, 5, 10), _end_of(D(2012, 5, 10), ALMATY))
    assert (deadline.status, deadline.responsible) == (DeadlineStatus.OPEN, lead)
    assert deadline.reminders == [7, 1, 0]
    assert deadline.next_alert_at == datetime.datetime(2012, 5, 3, tzinfo=ALMATY)
    [event] = _events("deadline.created", deadline)
    assert event.actor == world.caseworker


def test_a_manual_deadline_needs_a_real_time_zone(world):
    with nothing_written(), pytest.raises(ValidationError) as error:
        _manual(world, timezone="Asia/Nowhere")
    assert "timezone" in error.value.message_dict


def test_a_deadline_met_missed_and_reopened(world):
    deadline = _manual(world)
    deadline_mark_met(acting_user=world.caseworker, deadline=deadline, met_on=D(2012, 5, 2))
    deadline.refresh_from_db()
    assert (deadline.status, deadline.met_on, deadline.next_alert_at) == (
        "met",
        D(2012, 5, 2),
        None,
    )
    assert _events("deadline.met", deadline)
    with pytest.raises(ValidationError):
        deadline_mark_met(acting_user=world.caseworker, deadline=deadline, met_on=D(2012, 5, 3))

    deadline_reopen(acting_user=world.caseworker, deadline=deadline)
    deadline.refresh_from_db()
    assert (deadline.status, deadline.met_on) == ("open", None)
    assert deadline.next_alert_at == datetime.datetime(2012, 5, 3, tzinfo=ALMATY)
    with pytest.raises(ValidationError):
        deadline_reopen(acting_user=world.caseworker, deadline=deadline)

    deadline_mark_missed(acting_user=world.caseworker, deadline=deadline)
    deadline.refresh_from_db()
    assert (deadline.status, deadline.next_alert_at) == ("missed", None)
    statuses = [e.data["after"]["status"] for e in _events("deadline.updated", deadline)]
    assert statuses == ["open", "missed"]


# --- Who may ---------------------------------------------------------------------------------


def _hearing(world, case) -> Deadline:
    return deadline_create(
        acting_user=world.admin, case=case, title="Hearing", due_on=D(2012, 5, 10)
    )


def _write_create(world, case):
    return lambda user: deadline_create(
        acting_user=user, case=case, title="Hearing", due_on=D(2012, 5, 10)
    )


def _write_override(world, case):
    deadline = _hearing(world, case)
    return lambda user: deadline_override(
        acting_user=user, deadline=deadline, due_on=D(2012, 6, 1), reason=REASON
    )


def _write_mark_met(world, case):
    deadline = _hearing(world, case)
    return lambda user: deadline_mark_met(acting_user=user, deadline=deadline, met_on=D(2012, 5, 2))


def _write_mark_missed(world, case):
    deadline = _hearing(world, case)
    return lambda user: deadline_mark_missed(acting_user=user, deadline=deadline)


def _write_reopen(world, case):
    deadline = _hearing(world, case)
    deadline_mark_missed(acting_user=world.admin, deadline=deadline)
    return lambda user: deadline_reopen(acting_user=user, deadline=deadline)


SCENARIOS = {
    "deadline_create": _write_create,
    "deadline_override": _write_override,
    "deadline_mark_met": _write_mark_met,
    "deadline_mark_missed": _write_mark_missed,
    "deadline_reopen": _write_reopen,
}
PERMISSIONS = {
    "deadline_create": FILE,
    "deadline_override": FILE,
    "deadline_mark_met": FILE,
    "deadline_mark_missed": EDIT,
    "deadline_reopen": EDIT,
}


def _assert_may(write, user, allowed: bool) -> None:
    if not allowed:
        with nothing_written(), pytest.raises(PermissionDenied):
            write(user)
        return
    seen = set(CaseEvent.objects.values_list("pk", flat=True))
    write(user)
    new = CaseEvent.objects.exclude(pk__in=seen)
    assert [(e.kind.split(".")[0], e.actor) for e in new] == [("deadline", user)]


@pytest.mark.parametrize(("service", "who", "allowed"), permission_params(PERMISSIONS))
def test_who_may_write(world, service, who, allowed):
    _assert_may(SCENARIOS[service](world, world.case), getattr(world, who), allowed)


@pytest.mark.parametrize("service", ["deadline_create", "deadline_override", "deadline_mark_met"])
def test_a_lawyer_may_not_file_on_a_case_not_shared_with_them(world, service):
    _assert_may(SCENARIOS[service](world, world.unshared), world.lawyer, False)
