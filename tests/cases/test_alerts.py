"""The sweep (one process): reminders at the rule's offsets, ``due`` on the day, ``overdue``
after it, each raised once into the ledger; a deadline that is met or cancelled goes quiet."""

import datetime
import zoneinfo
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.choices import AlertKind, AlertLevel, DeadlineStatus
from cases.deadlines.schedule import alert_level
from cases.deadlines.sweep import deadlines_sweep
from cases.models import Alert, Case, Deadline
from cases.services.alerts import alert_raise
from cases.services.deadlines import deadline_create, deadline_mark_met, deadline_override
from rulings.services import committee_decision_record, committee_decision_update, complaint_submit
from tests.helpers import party

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


def at(*args, tz=ZURICH) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=tz)


@pytest.fixture(autouse=True)
def lead(world):
    Case.objects.filter(pk=world.case.pk).update(lead=world.caseworker)
    world.case.refresh_from_db()
    return world.caseworker


@pytest.fixture
def views(world):
    """CAT Views finding a violation, transmitted 15 June 2012: the follow-up report is due
    13 September 2012 (cat.follow_up, reminders 30, 7, 1 and 0 days before)."""
    complaint = complaint_submit(
        acting_user=world.caseworker,
        case=world.case,
        body="CAT",
        state_party="KZ",
        submitted_on=date(2011, 8, 1),
        complainants=[party(world.case)],
    )
    return committee_decision_record(
        acting_user=world.caseworker,
        complaint=complaint,
        kind="merits",
        adopted_on=date(2012, 6, 1),
        outcome="violation",
        transmitted_on=date(2012, 6, 15),
    )


@pytest.fixture
def deadline(views) -> Deadline:
    return Deadline.objects.get(rule__code="cat.follow_up")


def _raised(deadline) -> list[tuple[str, int]]:
    return sorted(deadline.alerts.values_list("kind", "offset_days"))


# (sweep at, alert raised, next alert at)
SCHEDULE = [
    (at(2012, 8, 14, 9), ("reminder", 30, "info"), at(2012, 9, 6)),
    (at(2012, 9, 6, 9), ("reminder", 7, "warning"), at(2012, 9, 12)),
    (at(2012, 9, 12, 9), ("reminder", 1, "critical"), at(2012, 9, 13)),
    (at(2012, 9, 13, 9), ("due", 0, "critical"), at(2012, 9, 14)),
    (at(2012, 9, 14, 9), ("overdue", 0, "critical"), None),
]


def test_the_sweep_raises_each_alert_on_its_day_once(world, deadline):
    assert deadline.next_alert_at == at(2012, 8, 14)
    assert deadlines_sweep(now=at(2012, 8, 13, 23, 59)) == 0
    for now, (kind, offset, level), next_at in SCHEDULE:
        assert deadlines_sweep(now=now) == 1
        assert deadlines_sweep(now=now) == 0  # the same moment again raises nothing new
        alert = Alert.objects.get(deadline=deadline, kind=kind, offset_days=offset)
        assert alert.level == level
        assert (alert.case, alert.acknowledged_at, alert.notified_at) == (world.case, None, None)
        assert "State's follow-up report on the CAT decision" in alert.message
        assert "2012-09-13" in alert.message
        deadline.refresh_from_db()
        assert deadline.next_alert_at == next_at
    assert deadlines_sweep(now=at(2013, 1, 1)) == 0
    assert Alert.objects.count() == len(SCHEDULE)


def test_a_sweep_that_comes_late_raises_only_the_latest_reminder(deadline):
    assert deadlines_sweep(now=at(2012, 9, 12, 9)) == 1
    assert _raised(deadline) == [("reminder", 1)]
    assert deadlines_sweep(now=at(2012, 10, 1)) == 1
    assert _raised(deadline) == [("overdue", 0), ("reminder", 1)]


def test_a_deadline_entered_after_its_due_day_raises_only_overdue(world):
    deadline = deadline_create(
        acting_user=world.caseworker, case=world.case, title="Hearing", due_on=date(2012, 5, 10)
    )
    assert deadlines_sweep(now=at(2012, 6, 1, tz=ALMATY)) == 1
    assert _raised(deadline) == [("overdue", 0)]
    deadline.refresh_from_db()
    assert deadline.next_alert_at is None


def test_a_restarted_sweep_raises_nothing_twice(deadline):
    """A worker that dies before saving ``next_alert_at`` leaves the deadline to be swept again:
    the ledger refuses what was already raised."""
    deadlines_sweep(now=at(2012, 9, 6, 9))
    Deadline.objects.filter(pk=deadline.pk).update(next_alert_at=at(2012, 8, 14))
    assert deadlines_sweep(now=at(2012, 9, 6, 9)) == 0
    assert _raised(deadline) == [("reminder", 7)]


def test_a_met_deadline_raises_nothing(world, deadline):
    deadline_mark_met(acting_user=world.caseworker, deadline=deadline, met_on=date(2012, 8, 1))
    assert deadlines_sweep(now=at(2012, 12, 1)) == 0
    assert not Alert.objects.exists()


def test_a_deadline_met_through_its_record_goes_quiet(world, views, deadline):
    deadlines_sweep(now=at(2012, 8, 14, 9))
    committee_decision_update(
        acting_user=world.caseworker, decision=views, follow_up_reply_on=date(2012, 8, 20)
    )
    assert deadlines_sweep(now=at(2012, 12, 1)) == 0
    assert _raised(deadline) == [("reminder", 30)]


def test_a_cancelled_deadline_raises_nothing(world, views, deadline):
    committee_decision_update(acting_user=world.caseworker, decision=views, transmitted_on=None)
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.CANCELLED
    assert deadlines_sweep(now=at(2012, 12, 1)) == 0
    assert not Alert.objects.exists()


@pytest.mark.parametrize(
    ("kind", "offset", "level"),
    [
        (AlertKind.REMINDER, 30, AlertLevel.INFO),
        (AlertKind.REMINDER, 8, AlertLevel.INFO),
        (AlertKind.REMINDER, 7, AlertLevel.WARNING),
        (AlertKind.REMINDER, 2, AlertLevel.WARNING),
        (AlertKind.REMINDER, 1, AlertLevel.CRITICAL),
        (AlertKind.DUE, 0, AlertLevel.CRITICAL),
        (AlertKind.OVERDUE, 0, AlertLevel.CRITICAL),
    ],
)
def test_alert_levels(kind, offset, level):
    assert alert_level(kind, offset) == level


def test_the_ledger_takes_an_alert_once(world, deadline):
    raise_it = lambda offset: alert_raise(  # noqa: E731
        case=world.case,
        deadline=deadline,
        kind=AlertKind.REMINDER,
        offset_days=offset,
        level=AlertLevel.WARNING,
        message="Follow-up report due in 7 days.",
    )
    assert raise_it(7) is not None
    assert raise_it(7) is None
    assert raise_it(1) is not None
    assert _raised(deadline) == [("reminder", 1), ("reminder", 7)]


def test_the_sweep_costs_the_same_however_many_deadlines_are_not_due(world, deadline):
    """The sweep's work follows the number of deadlines with something due, not the total."""

    def sweep_queries(now) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert deadlines_sweep(now=now) == 1
        return len(queries)

    def far_deadlines(n: int) -> None:
        for _ in range(n):
            deadline_create(
                acting_user=world.caseworker,
                case=world.case,
                title="Later",
                due_on=date(2030, 1, 1),
            )

    far_deadlines(2)
    few = sweep_queries(at(2012, 8, 14, 9))
    far_deadlines(40)
    many = sweep_queries(at(2012, 9, 6, 9))
    assert few == many


def test_a_deadline_moved_after_it_fell_due_alerts_again_for_its_new_date(world, deadline):
    deadlines_sweep(now=at(2012, 9, 13, 9))  # due on the computed date
    deadlines_sweep(now=at(2012, 9, 14, 9))  # and overdue the day after
    deadline_override(
        acting_user=world.caseworker,
        deadline=deadline,
        due_on=date(2012, 10, 15),
        reason="The Committee extended the period to 15 October 2012.",
    )
    deadlines_sweep(now=at(2012, 10, 15, 9))
    deadlines_sweep(now=at(2012, 10, 16, 9))
    raised = deadline.alerts.order_by("created_at")
    assert [a.kind for a in raised] == ["due", "overdue", "due", "overdue"]
