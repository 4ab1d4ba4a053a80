"""The deadline calendar: a month of open deadlines of the cases the user can see.

``?month=2026-11`` (default: this month in the site's time zone). Weeks start on Monday. Each
deadline sits on its due day in its own time zone, the day the law counts. On a phone the grid
gives way to the same deadlines as a list (``calendar-list``). Below it, the user's private
iCalendar feed (``cases/views/feeds.py``).

Three queries whatever the number of deadlines: the deadlines with their cases, the user's
feed, and the header's alert count.
"""

import calendar
import datetime
import re
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cases.models import CalendarFeed, Deadline
from casetracker.pages import private

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    is_today: bool
    deadlines: list[Deadline] = field(default_factory=list)


def parse_month(value: str | None, today: datetime.date) -> datetime.date | None:
    """The first day of ``value`` (``YYYY-MM``), of ``today``'s month when absent, None when
    it is not a month."""
    if not value:
        return today.replace(day=1)
    match = _MONTH.match(value)
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and datetime.MINYEAR < year < datetime.MAXYEAR):
        return None
    return datetime.date(year, month, 1)


def _shift(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _weeks(first: datetime.date, today: datetime.date) -> list[list[Day]]:
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
        first.year, first.month
    )
    return [
        [Day(date=d, in_month=d.month == first.month, is_today=d == today) for d in week]
        for week in weeks
    ]


@login_required
@require_safe
def calendar_month(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate(now)
    first = parse_month(request.GET.get("month"), today)
    if first is None:
        return private(
            HttpResponseBadRequest(
                _("The “month” parameter must be a year and month, e.g. month=%(example)s.")
                % {"example": today.strftime("%Y-%m")},
                content_type="text/plain; charset=utf-8",
            )
        )
    weeks = _weeks(first, today)
    days = {day.date: day for week in weeks for day in week}
    start, end = weeks[0][0].date, weeks[-1][-1].date
    # A day's margin each side in UTC: every zone's due day lies within it; the exact day in the
    # deadline's own zone is sorted out below.
    deadlines = (
        Deadline.objects.visible_to(request.user)
        .open()
        .filter(
            due_at__gte=datetime.datetime.combine(
                start - datetime.timedelta(days=1), datetime.time.min, datetime.UTC
            ),
            due_at__lt=datetime.datetime.combine(
                end + datetime.timedelta(days=2), datetime.time.min, datetime.UTC
            ),
        )
        .select_related("case")
        .order_by("due_at", "pk")
    )
    for deadline in deadlines:
        day = days.get(deadline.due_date)
        if day is not None:
            deadline.overdue = deadline.is_overdue_at(now)
            day.deadlines.append(deadline)
    month_days = [day for day in days.values() if day.in_month and day.deadlines]
    context = {
        "month": first,
        "previous_month": _shift(first, -1),
        "next_month": _shift(first, 1),
        "this_month": today.replace(day=1),
        "weekdays": [weeks[0][i].date for i in range(7)],
        "weeks": weeks,
        "month_days": sorted(month_days, key=lambda day: day.date),
        "month_count": sum(len(day.deadlines) for day in month_days),
        "feed": CalendarFeed.objects.active().filter(user=request.user).first(),
    }
    return private(render(request, "cases/calendar.html", context))
