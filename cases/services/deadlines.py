"""Deadlines people set or correct: manual deadlines, overrides with a reason, marking met,
and changes to the rules themselves. Computed deadlines come from cases/deadlines.py."""

import datetime
import zoneinfo
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.access import CaseAction, case_can, case_require
from cases.choices import DeadlineStatus
from cases.deadlines.arithmetic import END_OF_DAY
from cases.deadlines.schedule import first_alert_at
from cases.deadlines.sync import deadline_set_status
from cases.models import Case, Deadline, DeadlineRule
from casetracker.audit import Verb, changed, event_record, snapshot
from casetracker.services import model_update

MANUAL_REMINDERS = [7, 1, 0]


def _end_of(day: datetime.date, tz_name: str) -> datetime.datetime:
    return datetime.datetime.combine(day, END_OF_DAY, tzinfo=zoneinfo.ZoneInfo(tz_name))


@transaction.atomic
def deadline_create(
    *,
    acting_user,
    case: Case,
    title: str,
    due_on: datetime.date,
    timezone: str = "Asia/Almaty",
    responsible=None,
    person=None,
    reminders: list[int] | None = None,
    explanation: str = "",
) -> Deadline:
    """A deadline no rule computes, e.g. a date a court set at a hearing."""
    case_require(user=acting_user, case=case, action=CaseAction.FILE)
    if responsible is not None and not case_can(
        user=responsible, case=case, action=CaseAction.VIEW
    ):
        # Reminders go only to users who can see the case: this one would never hear of it.
        raise ValidationError(
            {"responsible": _("Choose someone who can see case %(ref)s.") % {"ref": case.reference}}
        )
    try:
        due_at = _end_of(due_on, timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            {"timezone": _("“%(tz)s” is not a time zone.") % {"tz": timezone}}
        ) from exc
    deadline = Deadline(
        case=case,
        title=title,
        due_at=due_at,
        timezone=timezone,
        responsible=responsible or case.lead,
        person=person,
        reminders=MANUAL_REMINDERS if reminders is None else reminders,
        explanation=explanation or _("Entered by hand."),
    )
    deadline.next_alert_at = first_alert_at(deadline)
    deadline.full_clean()
    deadline.save(force_insert=True)
    event_record(
        verb=Verb.CREATED,
        actor=acting_user,
        subject=deadline,
        case=case,
        person=person,
        after=snapshot(deadline),
    )
    return deadline


@transaction.atomic
def deadline_override(
    *, acting_user, deadline: Deadline, due_on: datetime.date, reason: str
) -> Deadline:
    """Replace a computed due date, e.g. with the date the Committee's letter names. The
    computed date is kept beside it, and who overrode it, why, is on the timeline."""
    case_require(user=acting_user, case=deadline.case, action=CaseAction.FILE)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the computed date is overridden.")})
    if deadline.status != DeadlineStatus.OPEN:
        raise ValidationError({"due_on": _("Only an open deadline can be moved.")})
    before = snapshot(deadline, ["due_at", "override_reason"])
    if deadline.computed_due_at is None and deadline.rule_id is None:
        deadline.computed_due_at = deadline.due_at
    deadline.due_at = _end_of(due_on, deadline.timezone)
    deadline.override_reason = reason.strip()
    deadline.overridden_by = acting_user
    deadline.next_alert_at = first_alert_at(deadline)
    deadline.full_clean()
    deadline.save()
    old, new = changed(before, snapshot(deadline, ["due_at", "override_reason"]))
    event_record(
        verb=Verb.OVERRIDDEN,
        actor=acting_user,
        subject=deadline,
        case=deadline.case,
        person=deadline.person,
        before=old,
        after=new,
    )
    return deadline


@transaction.atomic
def deadline_mark_met(*, acting_user, deadline: Deadline, met_on: datetime.date) -> Deadline:
    case_require(user=acting_user, case=deadline.case, action=CaseAction.FILE)
    if deadline.status != DeadlineStatus.OPEN:
        raise ValidationError({"status": _("Only an open deadline can be marked met.")})
    return deadline_set_status(deadline, DeadlineStatus.MET, actor=acting_user, met_on=met_on)


@transaction.atomic
def deadline_mark_missed(*, acting_user, deadline: Deadline) -> Deadline:
    case_require(user=acting_user, case=deadline.case, action=CaseAction.EDIT)
    if deadline.status != DeadlineStatus.OPEN:
        raise ValidationError({"status": _("Only an open deadline can be marked missed.")})
    return deadline_set_status(deadline, DeadlineStatus.MISSED, actor=acting_user)


@transaction.atomic
def deadline_reopen(*, acting_user, deadline: Deadline) -> Deadline:
    case_require(user=acting_user, case=deadline.case, action=CaseAction.EDIT)
    if deadline.status == DeadlineStatus.OPEN:
        raise ValidationError({"status": _("This deadline is already open.")})
    return deadline_set_status(deadline, DeadlineStatus.OPEN, actor=acting_user)


RULE_FIELDS = (
    "title",
    "body",
    "trigger_condition",
    "trigger_label",
    "met_field",
    "period",
    "unit",
    "roll_forward",
    "calendar_country",
    "timezone",
    "reminders",
    "source",
    "active",
)


@transaction.atomic
def deadline_rule_update(*, acting_user, rule: DeadlineRule, **changes: Any) -> DeadlineRule:
    """Change a rule. Its version goes up; existing deadlines keep the version and arithmetic
    they were computed with, and only deadlines computed from now on use the change.

    Rules are shared by every organisation, so only a platform operator may change them.
    """
    if not acting_user.is_superuser:
        raise PermissionDenied(_("Only a platform operator may change deadline rules."))
    changes_made = model_update(instance=rule, data=changes, allowed=RULE_FIELDS)[1]
    if changes_made:
        rule.rule_version += 1
        rule.save(update_fields=["rule_version", "updated_at"])
    return rule
