"""The periodic sweep (DESIGN §6): every alert of every deadline that has come due, raised into
the ledger once, found through the partial index on ``next_alert_at``.

The ledger's unique constraints decide: of two sweeps trying to raise the same alert, one
insert wins and only that one notifies, after commit. Run by ``deadlines_sweep_task``.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from cases.choices import AlertKind
from cases.deadlines.schedule import alert_level, alert_schedule, next_alert_at, raised_keys
from cases.models import Alert, Deadline
from cases.services.alerts import alert_notification_enqueue, alert_raise, deadline_due_text
from casetracker.i18n import StoredText, stored_plural, stored_text

logger = logging.getLogger(__name__)

# An alert whose notification has not gone out this long after it was raised is sent again by
# the sweep: a lost broker message or a crashed worker must not silence it.
RENOTIFY_AFTER = datetime.timedelta(minutes=10)


def _deadline_message(deadline: Deadline, kind: str, offset_days: int) -> StoredText:
    # A rule's title is in the catalogue (cases/migrations/0006); one typed by hand is not.
    title = stored_text(deadline.title) if deadline.rule_id else deadline.title
    due = deadline_due_text(deadline)
    if kind == AlertKind.OVERDUE:
        return stored_text("%(title)s was due on %(due)s and is overdue.", title=title, due=due)
    if kind == AlertKind.DUE:
        return stored_text("%(title)s is due today: by %(due)s.", title=title, due=due)
    return stored_plural(
        "%(title)s is due on %(due)s, in %(days)s day.",
        "%(title)s is due on %(due)s, in %(days)s days.",
        offset_days,
        title=title,
        due=due,
        days=offset_days,
    )


def _raise_due(deadline: Deadline, now: datetime.datetime) -> int:
    """Raise what has come due for one deadline: the latest passed reminder (older, missed
    reminders are superseded by it) and the due or overdue alert; then move its clock on."""
    schedule = [item for item in alert_schedule(deadline) if item.at <= now]
    raised = raised_keys(deadline)
    wanted = []
    if overdue := [i for i in schedule if i.kind == AlertKind.OVERDUE]:
        wanted.append(overdue[-1])
    elif schedule:
        wanted.append(schedule[-1])
    count = 0
    for item in wanted:
        if item.key in raised:
            continue
        alert = alert_raise(
            case=deadline.case,
            deadline=deadline,
            person=deadline.person,
            kind=item.kind,
            offset_days=item.offset_days,
            due_at=deadline.due_at,
            level=alert_level(item.kind, item.offset_days),
            message=_deadline_message(deadline, item.kind, item.offset_days),
        )
        count += alert is not None
    deadline.next_alert_at = next_alert_at(deadline, after=now, raised=raised)
    return count


def _raise_due_guarded(deadline: Deadline, now: datetime.datetime) -> int | None:
    """One broken deadline must not hold back every other alert: its failure is rolled back to
    a savepoint and logged (None), and the next sweep tries it again."""
    try:
        with transaction.atomic():
            return _raise_due(deadline, now)
    except Exception:
        logger.exception(
            "Could not raise the alerts of deadline %s; the next sweep retries", deadline.pk
        )
        return None


def deadlines_sweep(*, now: datetime.datetime | None = None, batch_size: int = 500) -> int:
    """Raise every alert that has come due; return how many were raised.

    Finds work through the partial index on ``next_alert_at``: the cost follows the number of
    deadlines with something due, not the number of deadlines. Each batch is one transaction;
    on PostgreSQL concurrent sweeps skip each other's locked rows, and the ledger's unique
    constraints keep even an overlapping sweep from raising anything twice.
    """
    now = now or timezone.now()
    raised, failed = 0, set()
    while True:
        with transaction.atomic():
            batch = list(
                Deadline.objects.alerts_pending(now=now)
                .exclude(pk__in=failed)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("case", "person")
                .order_by("next_alert_at")[:batch_size]
            )
            if not batch:
                break
            done = []
            for deadline in batch:
                count = _raise_due_guarded(deadline, now)
                if count is None:
                    failed.add(deadline.pk)
                else:
                    raised += count
                    done.append(deadline)
            Deadline.objects.bulk_update(done, ["next_alert_at"])
    for alert_id in Alert.objects.filter(
        notified_at__isnull=True, created_at__lt=now - RENOTIFY_AFTER
    ).values_list("id", flat=True):
        alert_notification_enqueue(alert_id)
    return raised
