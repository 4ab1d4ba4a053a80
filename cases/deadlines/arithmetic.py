"""Due dates: a rule's period added to a basis date, and the words that say how."""

import datetime
import zoneinfo
from dataclasses import dataclass

import holidays
from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from cases.choices import PeriodUnit
from cases.models import DeadlineRule

END_OF_DAY = datetime.time(23, 59, 59, 999999)


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
