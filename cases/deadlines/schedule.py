"""When a deadline's alerts fall: its reminders, the due alert and the overdue alert."""

import datetime
from dataclasses import dataclass

from cases.choices import AlertKind, AlertLevel, DeadlineStatus
from cases.models import Deadline


@dataclass(frozen=True)
class ScheduledAlert:
    kind: str
    offset_days: int
    at: datetime.datetime

    @property
    def key(self) -> tuple[str, int]:
        return self.kind, self.offset_days


def alert_schedule(deadline: Deadline) -> list[ScheduledAlert]:
    """Every alert a deadline raises, in time order: a reminder at the start of each reminder
    day, a ``due`` alert at the start of the due day, ``overdue`` once the due moment passes."""
    tz = deadline.tz
    # The last day on which the deadline can still be met: a deadline due at 00:00 (hours
    # rules) is due on the day before, so "due today" comes a day ahead of "overdue".
    due_day = (deadline.due_at - datetime.timedelta(microseconds=1)).astimezone(tz).date()
    start_of = lambda day: datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)  # noqa: E731
    items = [
        ScheduledAlert(
            AlertKind.REMINDER, offset, start_of(due_day - datetime.timedelta(days=offset))
        )
        for offset in sorted(set(deadline.reminders) - {0}, reverse=True)
    ]
    items.append(ScheduledAlert(AlertKind.DUE, 0, start_of(due_day)))
    items.append(
        ScheduledAlert(AlertKind.OVERDUE, 0, deadline.due_at + datetime.timedelta(microseconds=1))
    )
    return sorted(items, key=lambda item: item.at)


def alert_level(kind: str, offset_days: int) -> str:
    """Critical for overdue and for anything due within a day; a warning within a week."""
    if kind in (AlertKind.OVERDUE, AlertKind.DUE) or offset_days <= 1:
        return AlertLevel.CRITICAL
    return AlertLevel.WARNING if offset_days <= 7 else AlertLevel.INFO


def next_alert_at(
    deadline: Deadline, *, after: datetime.datetime, raised: set[tuple[str, int]] = frozenset()
) -> datetime.datetime | None:
    """When the sweep next has something to raise for ``deadline`` after ``after``."""
    if deadline.status != DeadlineStatus.OPEN:
        return None
    upcoming = [i.at for i in alert_schedule(deadline) if i.at > after and i.key not in raised]
    return min(upcoming, default=None)


def raised_keys(deadline: Deadline) -> set[tuple[str, int]]:
    """The alerts already raised for the deadline's current due moment."""
    return set(deadline.alerts.filter(due_at=deadline.due_at).values_list("kind", "offset_days"))


def first_alert_at(deadline: Deadline) -> datetime.datetime | None:
    """For a new or moved deadline: the earliest alert not yet raised, even if already past,
    so that the next sweep raises at once what is due (the latest missed reminder only)."""
    if deadline.status != DeadlineStatus.OPEN:
        return None
    raised = raised_keys(deadline) if deadline.pk else set()
    pending = [i.at for i in alert_schedule(deadline) if i.key not in raised]
    return min(pending, default=None)
