"""The deadline engine (DESIGN §6): from the dates on a case's records to its deadlines.

Called by the services, inside their transaction, never by views: creating or changing a
triggering record creates, recomputes, meets or cancels its deadlines in the same commit.
The arithmetic is pure and lives here too, so the tests can check it on its own.
"""

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

import holidays
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import translation
from django.utils.translation import gettext as _

from cases.choices import AlertKind, AlertLevel, DeadlineStatus, PeriodUnit
from cases.models import Deadline, DeadlineRule
from cases.triggers import is_trigger, trigger_models
from casetracker.audit import Verb, changed, event_record, snapshot

END_OF_DAY = datetime.time(23, 59, 59, 999999)


# --- Arithmetic -------------------------------------------------------------------------------


def add_period(basis: datetime.date, period: int, unit: str) -> datetime.date:
    """``basis`` plus ``period`` days or calendar months; a month end clamps to the shorter
    month's end (31 August + 6 months = 28 or 29 February), as DESIGN §6 requires."""
    if unit == PeriodUnit.MONTHS:
        return basis + relativedelta(months=period)
    if unit == PeriodUnit.DAYS:
        return basis + datetime.timedelta(days=period)
    raise ValueError(f"add_period takes days or months, not {unit!r}")


def next_working_day(day: datetime.date, country: str) -> tuple[datetime.date, list[str]]:
    """The first day from ``day`` on that is neither a weekend nor a public holiday of
    ``country``, and the names of the days skipped. A weekend day the government made a working
    day (KZ moves days off, e.g. Friday 9 March 2012 to Sunday 11 March) is a working day."""
    calendar = holidays.country_holidays(country, years=range(day.year, day.year + 2))
    skipped = []
    while not calendar.is_working_day(day):
        skipped.append(calendar.get(day) or _("weekend"))
        day += datetime.timedelta(days=1)
    return day, skipped


@dataclass(frozen=True)
class Computation:
    basis_date: datetime.date
    due_at: datetime.datetime
    explanation: str


def compute_due(rule: DeadlineRule, basis: datetime.date) -> Computation:
    """When ``rule``'s deadline falls for a record dated ``basis``, and how that was found.

    Days and months end at the close of the due day in the rule's time zone. Hours run from
    the start of the basis day: a record holds only the date, and counting from midnight can
    only make the deadline earlier, never let it pass unseen.
    """
    tz = zoneinfo.ZoneInfo(rule.timezone)
    # The label is seeded in English and marked for the catalogue (migration 0006).
    head = f"{rule.source}: {_(rule.trigger_label)} {basis.isoformat()}"
    if rule.unit == PeriodUnit.HOURS:
        # Elapsed hours, counted in UTC: adding to a local time would add wall-clock hours, one
        # too many across a clock change (Almaty moved from UTC+6 to UTC+5 on 1 March 2024).
        start = datetime.datetime.combine(basis, datetime.time.min, tzinfo=tz)
        due_at = (
            start.astimezone(datetime.UTC) + datetime.timedelta(hours=rule.period)
        ).astimezone(tz)
        explanation = _("%(head)s 00:00 + %(period)s hours = %(due)s (%(tz)s)") % {
            "head": head,
            "period": rule.period,
            "due": due_at.strftime("%Y-%m-%d %H:%M"),
            "tz": rule.timezone,
        }
        return Computation(basis, due_at, explanation)
    due = add_period(basis, rule.period, rule.unit)
    explanation = f"{head} + {rule.period} {PeriodUnit(rule.unit).label} = {due.isoformat()}"
    if rule.roll_forward:
        rolled, skipped = next_working_day(due, rule.calendar_country)
        if rolled != due:
            explanation += _(", not a working day in %(country)s (%(why)s): %(day)s") % {
                "country": rule.calendar_country,
                "why": ", ".join(dict.fromkeys(skipped)),
                "day": rolled.isoformat(),
            }
            due = rolled
    return Computation(basis, datetime.datetime.combine(due, END_OF_DAY, tzinfo=tz), explanation)


# --- Alert schedule ---------------------------------------------------------------------------


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


# --- Triggers ---------------------------------------------------------------------------------


def _value_at(record: models.Model, path: str) -> Any:
    value: Any = record
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def trigger_matches(rule: DeadlineRule, record: models.Model) -> bool:
    """Whether ``record`` meets the rule's condition (a list of values means any of them)."""
    for path, expected in rule.trigger_condition.items():
        allowed = expected if isinstance(expected, list) else [expected]
        if _value_at(record, path) not in allowed:
            return False
    return True


def _event(deadline: Deadline, verb: Verb, actor, before=None, after=None) -> None:
    event_record(
        verb=verb,
        actor=actor,
        subject=deadline,
        case=deadline.case,
        person=deadline.person,
        before=before,
        after=after,
    )


def _apply(deadline: Deadline, rule: DeadlineRule, computation: Computation) -> None:
    deadline.rule_version = rule.rule_version
    deadline.basis_date = computation.basis_date
    deadline.explanation = computation.explanation
    deadline.timezone = rule.timezone
    deadline.reminders = list(rule.reminders)
    if not deadline.override_reason:
        deadline.due_at = computation.due_at
    deadline.computed_due_at = computation.due_at


def _sync_one(rule: DeadlineRule, record: models.Model, deadline: Deadline | None, actor) -> None:
    basis = getattr(record, rule.trigger_field)
    fires = basis is not None and trigger_matches(rule, record)
    met_on = getattr(record, rule.met_field) if rule.met_field else None
    if not fires:
        if deadline is not None and deadline.status == DeadlineStatus.OPEN:
            if basis is not None and met_on:
                # The record left the condition by doing what the deadline awaited: a pending
                # asylum application decided (kz.asylum_decision) is no longer "pending".
                _complete(deadline, met_on, actor)
            else:
                deadline_set_status(deadline, DeadlineStatus.CANCELLED, actor=actor)
        return
    if deadline is None:
        deadline = Deadline(
            case=record.case,
            rule=rule,
            subject=record,
            person=getattr(record, "person", None),
            title=rule.title,
            responsible=record.case.lead,
        )
        _apply(deadline, rule, compute_due(rule, basis))
        if met_on and met_on <= deadline.due_date:
            deadline.status, deadline.met_on = DeadlineStatus.MET, met_on
        elif met_on:
            deadline.status = DeadlineStatus.MISSED
        deadline.next_alert_at = first_alert_at(deadline)
        deadline.full_clean()
        deadline.save(force_insert=True)
        _event(deadline, Verb.CREATED, actor, after=snapshot(deadline))
        return
    if basis != deadline.basis_date or deadline.status == DeadlineStatus.CANCELLED:
        before = snapshot(deadline)
        _apply(deadline, rule, compute_due(rule, basis))
        if deadline.status == DeadlineStatus.CANCELLED:
            deadline.status = DeadlineStatus.OPEN
        deadline.next_alert_at = first_alert_at(deadline)
        deadline.save()
        old, new = changed(before, snapshot(deadline))
        _event(deadline, Verb.RECOMPUTED, actor, before=old, after=new)
    if met_on and deadline.status == DeadlineStatus.OPEN:
        _complete(deadline, met_on, actor)


def _complete(deadline: Deadline, done_on: datetime.date, actor) -> None:
    """The record shows the awaited step done on ``done_on``: met if in time, else missed (a
    State's reply after its period, a detention that outlasted its legal limit)."""
    if done_on <= deadline.due_date:
        deadline_set_status(deadline, DeadlineStatus.MET, actor=actor, met_on=done_on)
    else:
        deadline_set_status(deadline, DeadlineStatus.MISSED, actor=actor)


def deadline_set_status(
    deadline: Deadline, status: str, *, actor, met_on: datetime.date | None = None
) -> Deadline:
    """Close (or reopen) a deadline: met, missed or cancelled. Its pending alerts stop."""
    before = snapshot(deadline, ["status", "met_on"])
    deadline.status, deadline.met_on = status, met_on if status == DeadlineStatus.MET else None
    deadline.next_alert_at = first_alert_at(deadline) if status == DeadlineStatus.OPEN else None
    deadline.full_clean()
    deadline.save(update_fields=["status", "met_on", "next_alert_at", "updated_at"])
    verb = {DeadlineStatus.MET: Verb.MET, DeadlineStatus.CANCELLED: Verb.CANCELLED}.get(
        status, Verb.UPDATED
    )
    _event(deadline, verb, actor, before=before, after=snapshot(deadline, ["status", "met_on"]))
    return deadline


def deadlines_sync(*, record: models.Model, actor) -> None:
    """Bring the deadlines that ``record`` triggers in line with it (call after each write).

    Titles and explanations are stored in the site's language whatever the writer's (a
    Russian-speaking caseworker's request must not leave Russian arithmetic for everyone); the
    pages show them in each reader's language (cases/templatetags/deadline_text.py).
    """
    if not is_trigger(type(record)):
        return
    with translation.override(settings.LANGUAGE_CODE):
        _sync_all(record, actor)


def _sync_all(record: models.Model, actor) -> None:
    rules = list(DeadlineRule.objects.filter(active=True, trigger_model=record._meta.label_lower))
    if not rules:
        return
    existing = {
        d.rule_id: d
        for d in Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(record),
            subject_id=record.pk,
            rule__in=rules,
        ).select_related("case")
    }
    for rule in rules:
        _sync_one(rule, record, existing.get(rule.pk), actor)


def _triggers_deleted_with(record: models.Model) -> models.Q:
    """The triggering records that deleting ``record`` deletes: itself and what cascades from
    it (a complaint's committee decisions, an extradition request's decisions)."""
    collector = Collector(using=record._state.db or DEFAULT_DB_ALIAS)
    try:
        collector.collect([record])
    except (ProtectedError, RestrictedError):
        # The delete itself will be refused and its transaction rolled back.
        return models.Q(pk__in=[])
    found: dict[type[models.Model], set] = {}
    for model, instances in collector.data.items():
        found.setdefault(model, set()).update(obj.pk for obj in instances)
    for queryset in collector.fast_deletes:
        if is_trigger(queryset.model):
            found.setdefault(queryset.model, set()).update(queryset.values_list("pk", flat=True))
    condition = models.Q(pk__in=[])
    for model, pks in found.items():
        if is_trigger(model):
            content_type = ContentType.objects.get_for_model(model)
            condition |= models.Q(subject_type=content_type, subject_id__in=pks)
    return condition


def deadlines_cancel(*, record: models.Model, actor) -> None:
    """Cancel the open deadlines ``record`` triggered, and those of the records deleted with
    it (it is being deleted or withdrawn): no deadline may outlive its record."""
    open_deadlines = Deadline.objects.open().filter(_triggers_deleted_with(record))
    for deadline in open_deadlines.select_related("case"):
        deadline_set_status(deadline, DeadlineStatus.CANCELLED, actor=actor)


def deadlines_close_case(*, case, actor) -> None:
    """A closed case alerts no more: its open deadlines are cancelled."""
    for deadline in Deadline.objects.open().filter(case=case).select_related("case"):
        deadline_set_status(deadline, DeadlineStatus.CANCELLED, actor=actor)


def deadlines_reopen_case(*, case, actor) -> None:
    """A reopened case gets back the deadlines its records still trigger. Manual deadlines
    stay cancelled: reopen them one by one if they still apply."""
    for _label, model in sorted(trigger_models().items()):
        case_path = model._default_manager.get_queryset().case_path
        for record in model._default_manager.filter(**{case_path: case}):
            deadlines_sync(record=record, actor=actor)
