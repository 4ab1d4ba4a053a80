"""The iCalendar (RFC 5545) document of a user's private feed: their open deadlines.

A calendar is shown on lock screens and synced to phones and third-party servers, so an event
never names a person (DESIGN §6): its summary is the case reference and the rule's title, its
description the rule's arithmetic. Text people type (a manual deadline's title and
explanation, an override's reason) may hold names and is left out.
"""

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, vDuration

from cases.deadlines.arithmetic import END_OF_DAY
from cases.models import Deadline

PRODID = "-//Casetracker//Deadlines//EN"
# How often calendar apps that honour it should fetch the feed again.
REFRESH_INTERVAL = datetime.timedelta(hours=1)


def is_all_day(deadline: Deadline) -> bool:
    """Day- and month-based deadlines end at the close of the due day; hour-based ones (e.g. a
    72-hour identity check) at a moment worth showing as such."""
    return deadline.due_at.astimezone(deadline.tz).time() == END_OF_DAY


def event_summary(deadline: Deadline) -> str:
    what = deadline.rule.title if deadline.rule_id else _("Deadline")
    return f"{deadline.case.reference}: {what}"


def event_description(deadline: Deadline) -> str:
    due = deadline.due_at.astimezone(deadline.tz)
    due_text = due.date().isoformat() if is_all_day(deadline) else due.strftime("%Y-%m-%d %H:%M")
    if not deadline.rule_id:
        return _("Entered by hand: due %(due)s (%(tz)s).") % {
            "due": due_text,
            "tz": deadline.timezone,
        }
    lines = [deadline.explanation]
    if deadline.is_overridden:
        # The reason is typed by a user and may name someone; the date is enough here.
        lines.append(
            _("Due date overridden by hand: %(due)s (%(tz)s).")
            % {"due": due_text, "tz": deadline.timezone}
        )
    return "\n".join(lines)


def _alarms(deadline: Deadline, summary: str, all_day: bool) -> list[Alarm]:
    """A display alarm at the start of each reminder day, as the in-app reminders
    (cases/deadlines/schedule.py ``alert_schedule``); relative to the event's start."""
    alarms = []
    due = deadline.due_at.astimezone(deadline.tz)
    start_of_due_day = datetime.datetime.combine(due.date(), datetime.time.min, tzinfo=deadline.tz)
    for offset in sorted(set(deadline.reminders), reverse=True):
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        before_start = datetime.timedelta(days=offset)
        if not all_day:
            before_start += due - start_of_due_day
        alarm.add("trigger", -before_start)
        alarms.append(alarm)
    return alarms


def deadline_event(deadline: Deadline, *, host: str) -> Event:
    all_day = is_all_day(deadline)
    summary = event_summary(deadline)
    event = Event()
    event.add("uid", f"{deadline.pk}@{host}")
    # Without METHOD, DTSTAMP is when the information last changed (RFC 5545 §3.8.7.2): an
    # unchanged deadline gives an unchanged event.
    event.add("dtstamp", deadline.updated_at.astimezone(datetime.UTC))
    event.add("last-modified", deadline.updated_at.astimezone(datetime.UTC))
    event.add("summary", summary)
    event.add("description", event_description(deadline))
    if all_day:
        event.add("dtstart", deadline.due_date)
        event.add("dtend", deadline.due_date + datetime.timedelta(days=1))
    else:
        # UTC rather than a TZID: no VTIMEZONE to get wrong, and every app shows local time.
        event.add("dtstart", deadline.due_at.astimezone(datetime.UTC))
    # A deadline does not make anyone busy.
    event.add("transp", "TRANSPARENT")
    for alarm in _alarms(deadline, summary, all_day):
        event.add_component(alarm)
    return event


def deadlines_calendar(deadlines: Iterable[Deadline], *, host: str) -> bytes:
    """The feed's document. ``deadlines`` needs ``case`` and ``rule`` selected."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Casetracker deadlines"))
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    # The older, non-standard name of the same thing (Outlook, Apple Calendar).
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL).to_ical().decode())
    for deadline in deadlines:
        calendar.add_component(deadline_event(deadline, host=host))
    return calendar.to_ical()
