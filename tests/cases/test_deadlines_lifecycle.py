"""A closed case alerts no more; a reopened one gets back what its records still trigger; a
deadline nobody answers for is told to the organisation's admins."""

import datetime

from cases.choices import DeadlineStatus
from cases.models import Deadline
from cases.services import case_close, case_reopen, detention_create
from cases.services.alerts import alert_notify, alert_raise
from cases.services.deadlines import deadline_create
from tests.helpers import party

D = datetime.date


def _arrest(world) -> None:
    detention_create(
        acting_user=world.caseworker,
        case=world.case,
        person=party(world.case),
        basis="provisional_arrest_extradition",
        started_on=D(2010, 6, 10),
    )


def test_closing_a_case_cancels_its_open_deadlines_and_reopening_restores_them(world):
    _arrest(world)
    manual = deadline_create(
        acting_user=world.caseworker, case=world.case, title="Hearing", due_on=D(2010, 7, 1)
    )
    case_close(acting_user=world.caseworker, case=world.case, closed_on=D(2010, 6, 20))
    statuses = set(Deadline.objects.filter(case=world.case).values_list("status", flat=True))
    assert statuses == {DeadlineStatus.CANCELLED}
    assert not Deadline.objects.alerts_pending(now=datetime.datetime.now(datetime.UTC)).exists()

    case_reopen(acting_user=world.caseworker, case=world.case)
    computed = Deadline.objects.filter(case=world.case, rule__isnull=False)
    assert set(computed.values_list("status", flat=True)) == {DeadlineStatus.OPEN}
    assert computed.count() == 2  # the provisional-arrest limit and the identity check
    manual.refresh_from_db()
    assert manual.status == DeadlineStatus.CANCELLED  # reopened one by one, by hand


def test_an_alert_nobody_answers_for_goes_to_the_admins(world, mailoutbox):
    world.case.lead = None
    world.case.save()
    deadline = deadline_create(
        acting_user=world.caseworker, case=world.case, title="Hearing", due_on=D(2030, 7, 1)
    )
    Deadline.objects.filter(pk=deadline.pk).update(responsible=None)
    deadline.refresh_from_db()
    alert = alert_raise(
        case=world.case, deadline=deadline, kind="due", level="critical", message="Due today."
    )
    assert alert_notify(alert_id=alert.pk)
    [email] = mailoutbox
    assert email.to == [world.admin.email]


def test_one_broken_deadline_does_not_hold_back_the_others(world):
    good = deadline_create(
        acting_user=world.caseworker, case=world.case, title="Good", due_on=D(2010, 7, 1)
    )
    broken = deadline_create(
        acting_user=world.caseworker, case=world.case, title="Broken", due_on=D(2010, 7, 1)
    )
    # A time zone that no longer exists (written around the validation, e.g. by old data).
    Deadline.objects.filter(pk=broken.pk).update(timezone="Mars/Olympus_Mons")
    from cases.deadlines.sweep import deadlines_sweep

    assert deadlines_sweep(now=datetime.datetime(2010, 7, 5, tzinfo=datetime.UTC)) == 1
    assert good.alerts.filter(kind="overdue").exists()
    assert not broken.alerts.exists()
