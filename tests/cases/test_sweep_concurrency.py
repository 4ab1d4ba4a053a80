"""Two sweeps at once raise each alert exactly once (DESIGN §6: "two beats, a restarted
worker: nothing is doubled"), on PostgreSQL, where sweeps lock rows and skip each other's.

Each thread has its own database connection (Django's are per thread), so the rows must be
committed for the others to see them: ``transaction=True``.
"""

import datetime
import os
import threading
import time
import zoneinfo

import pytest
from django.db import connection, transaction
from django.utils import timezone

from cases.choices import AlertKind
from cases.deadlines.arithmetic import END_OF_DAY
from cases.deadlines.schedule import first_alert_at
from cases.deadlines.sweep import _raise_due, deadlines_sweep
from cases.models import Alert, Deadline
from casetracker.celery import app as celery_app
from organisations.choices import Role
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

TZ = "Asia/Almaty"


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor == "postgresql":
        return
    reason = (
        "Concurrent sweeps need PostgreSQL's row locks (SQLite has no SELECT ... FOR UPDATE "
        "and runs one writer at a time): set DATABASE_URL to PostgreSQL (CI does)."
    )
    if os.environ.get("CASETRACKER_REQUIRE_SERVICES"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _notify_in_the_committing_thread(mailoutbox):
    """The notification task runs where the alert's transaction commits instead of going to
    a broker (tests/cases/test_celery_worker.py runs it on a real worker): here every email
    is counted, and only the insert that wins may send one."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def case():
    lead = f.UserFactory(username="lead")
    case = f.CaseFactory(reference="ALA-2010-001", lead=lead)
    f.MembershipFactory(user=lead, organisation=case.organisation, role=Role.CASEWORKER)
    return case


def _due_deadlines(case, *, overdue: int, reminding: int) -> list[Deadline]:
    """``overdue`` deadlines past their day (each raises ``overdue``) and ``reminding`` ones
    due in 5 days (each raises its 7-day reminder), all with their alert waiting."""
    today = timezone.localdate()
    deadlines = []
    for count, days in ((overdue, -3), (reminding, 5)):
        due_on = today + datetime.timedelta(days=days)
        for _ in range(count):
            deadline = Deadline(
                case=case,
                title="Reply to the Committee",
                due_at=datetime.datetime.combine(due_on, END_OF_DAY, zoneinfo.ZoneInfo(TZ)),
                timezone=TZ,
                reminders=[7, 1, 0],
                responsible=case.lead,
            )
            deadline.next_alert_at = first_alert_at(deadline)
            deadlines.append(deadline)
    return Deadline.objects.bulk_create(deadlines)


def _run_together(*targets) -> list:
    """Run each target in its own thread (and database connection), released together."""
    barrier = threading.Barrier(len(targets))
    results: list = [None] * len(targets)
    errors: list[BaseException] = []

    def run(index, target):
        try:
            barrier.wait(timeout=10)
            results[index] = target()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a sweep is still running"
    assert not errors, f"raised in a thread: {errors!r}"
    return results


def _ledger() -> list[tuple]:
    return sorted(Alert.objects.values_list("deadline_id", "kind", "offset_days"))


def test_two_concurrent_sweeps_raise_each_alert_once(case, mailoutbox):
    deadlines = _due_deadlines(case, overdue=150, reminding=50)
    now = timezone.now()

    # Small batches: each sweep runs many transactions, so the two interleave.
    raised = _run_together(
        lambda: deadlines_sweep(now=now, batch_size=10),
        lambda: deadlines_sweep(now=now, batch_size=10),
    )

    expected = sorted(
        [(d.pk, AlertKind.OVERDUE, 0) for d in deadlines[:150]]
        + [(d.pk, AlertKind.REMINDER, 7) for d in deadlines[150:]]
    )
    assert _ledger() == expected
    assert sum(raised) == len(expected), raised
    assert len(mailoutbox) == len(expected)
    assert not Deadline.objects.alerts_pending(now=now).exists()
    assert Deadline.objects.filter(next_alert_at__isnull=True).count() == 150  # overdue: done


def test_two_sweeps_raising_the_same_deadlines_insert_each_alert_once(case, mailoutbox):
    """No row lock separates them here: both read "not raised yet", both insert, and the
    ledger's unique constraint makes the second insert fail quietly."""
    ids = [d.pk for d in _due_deadlines(case, overdue=20, reminding=0)]
    now = timezone.now()
    first_inserted, second_started = threading.Event(), threading.Event()

    def load() -> list[Deadline]:
        return list(Deadline.objects.filter(pk__in=ids).select_related("case", "person"))

    def first() -> int:
        with transaction.atomic():
            raised = sum(_raise_due(deadline, now) for deadline in load())
            first_inserted.set()
            assert second_started.wait(timeout=10)
            _wait_for_a_blocked_insert()
        return raised

    def second() -> int:
        assert first_inserted.wait(timeout=10)
        second_started.set()
        with transaction.atomic():
            return sum(_raise_due(deadline, now) for deadline in load())

    raised = _run_together(first, second)

    assert raised == [20, 0]
    assert _ledger() == sorted((pk, AlertKind.OVERDUE, 0) for pk in ids)
    assert len(mailoutbox) == 20


def _wait_for_a_blocked_insert(timeout: float = 10) -> None:
    """Hold the first transaction open until the second waits on its uncommitted alert, so
    the second really collides with the first instead of seeing its committed rows."""
    end = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < end:
            # Within a transaction PostgreSQL shows pg_stat_activity as first read: refresh it.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    pytest.fail("the second sweep never waited on the first one's alert")
