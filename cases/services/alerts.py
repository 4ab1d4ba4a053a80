"""Raising alerts into the ledger, their notifications and acknowledgement (the periodic sweep
that raises deadlines' alerts is cases/deadlines/sweep.py).

The ledger's unique constraints decide: of two sweeps (or a sweep and a retried task) trying
to raise the same alert, one insert wins and only that one notifies, after commit.
"""

import datetime
import logging

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import CaseAction, case_require
from cases.choices import AlertKind
from cases.deadlines.arithmetic import END_OF_DAY
from cases.models import Alert, Case, Deadline
from casetracker.audit import Verb, event_record
from casetracker.i18n import StoredText
from organisations.choices import Role

logger = logging.getLogger(__name__)

# The task that sends one alert (cases/tasks.py), named rather than imported: the tasks run
# these services, so importing the tasks here would close an import circle (issue #9).
ALERT_NOTIFY_TASK = "cases.tasks.alert_notify_task"


def alert_raise(
    *,
    case: Case,
    kind: str,
    level: str,
    message: StoredText | str,
    deadline: Deadline | None = None,
    offset_days: int = 0,
    due_at: datetime.datetime | None = None,
    person=None,
    subject: models.Model | None = None,
) -> Alert | None:
    """Insert an alert into the ledger; None if it was raised before. Notifies after commit.

    A StoredText ``message`` is kept in the site's language and as catalogue ids, so that each
    reader gets it in theirs (``Alert.display_message``); plain text is kept as it is."""
    if deadline is not None and due_at is None:
        due_at = deadline.due_at  # NULLs never collide in a unique constraint
    alert = Alert(
        case=case,
        deadline=deadline,
        kind=kind,
        offset_days=offset_days,
        due_at=due_at,
        level=level,
        message=message.render_stored() if isinstance(message, StoredText) else message,
        message_text=message.to_json() if isinstance(message, StoredText) else None,
        person=person,
        subject=subject,
    )
    try:
        with transaction.atomic():
            alert.save(force_insert=True)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: alert_notification_enqueue(alert.pk))
    return alert


def alert_notification_enqueue(alert_id) -> None:
    try:
        current_app.signature(ALERT_NOTIFY_TASK, args=[str(alert_id)]).delay()
    except Exception as exc:
        # The broker is down: the sweep resends notifications that never went out.
        logger.warning("Alert %s raised; its notification waits for the sweep: %s", alert_id, exc)


def deadline_due_text(deadline: Deadline) -> str:
    """The due day; with the hour when the deadline ends before the day does: 72 hours from an
    arrest end at 00:00 on the third day, and "due 2010-06-13" alone would give a day too many."""
    local = deadline.due_at.astimezone(deadline.tz)
    if local.time() == END_OF_DAY:
        return local.date().isoformat()
    return f"{local:%Y-%m-%d %H:%M} {deadline.timezone}"


def _recipients(alert: Alert) -> list:
    """Who is told: the deadline's responsible user and the case lead; for an event alert,
    the lead and the organisation's admins. Only users who may still see the case."""
    ids = {alert.case.lead_id}
    if alert.deadline_id:
        ids.add(alert.deadline.responsible_id)
    else:
        ids |= _admin_ids(alert)
    recipients = _who_sees(alert, ids)
    if not recipients:
        # Nobody leads the case or answers for the deadline: its organisation's admins must hear.
        recipients = _who_sees(alert, _admin_ids(alert))
    return recipients


def _admin_ids(alert: Alert) -> set:
    memberships = alert.case.organisation.memberships.filter(role=Role.ADMIN)
    return set(memberships.values_list("user_id", flat=True))


def _who_sees(alert: Alert, ids: set) -> list:
    user_model = get_user_model()
    users = user_model.objects.filter(pk__in=ids - {None}, is_active=True).exclude(email="")
    return [u for u in users if Case.objects.visible_to(u).filter(pk=alert.case_id).exists()]


def alert_subject(alert: Alert) -> str:
    """An email subject that says what is due when, and never names a person: subjects show
    on lock screens and in mail logs."""
    reference = alert.case.reference
    if alert.deadline_id:
        deadline = alert.deadline
        what = deadline.rule.title if deadline.rule_id else _("Deadline")
        due = deadline_due_text(deadline)
        if alert.kind == AlertKind.OVERDUE:
            return _("[Casetracker] %(ref)s: OVERDUE since %(due)s: %(what)s") % {
                "ref": reference,
                "due": due,
                "what": what,
            }
        return _("[Casetracker] %(ref)s: %(what)s due %(due)s") % {
            "ref": reference,
            "what": what,
            "due": due,
        }
    return _("[Casetracker] %(ref)s: %(what)s") % {
        "ref": reference,
        "what": AlertKind(alert.kind).label,
    }


@transaction.atomic
def alert_notify(*, alert_id) -> bool:
    """Email an alert to its recipients once; True if this call sent it."""
    alert = (
        Alert.objects.select_for_update(of=("self",))
        .select_related("case", "case__organisation", "deadline", "deadline__rule")
        .filter(pk=alert_id, notified_at__isnull=True)
        .first()
    )
    if alert is None:
        return False
    recipients = _recipients(alert)
    if recipients:
        send_mail(
            subject=alert_subject(alert),
            message=_("%(message)s\n\nCase %(ref)s. Open Casetracker to see and acknowledge it.")
            % {"message": alert.message, "ref": alert.case.reference},
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[u.email for u in recipients],
        )
    alert.notified_at = timezone.now()
    alert.save(update_fields=["notified_at"])
    return True


@transaction.atomic
def alert_acknowledge(*, acting_user, alert: Alert) -> Alert:
    """Mark an alert seen and handled; anyone who can see its case may."""
    case_require(user=acting_user, case=alert.case, action=CaseAction.VIEW)
    if alert.acknowledged_at is None:
        alert.acknowledged_by, alert.acknowledged_at = acting_user, timezone.now()
        alert.save(update_fields=["acknowledged_by", "acknowledged_at"])
        event_record(
            verb=Verb.ACKNOWLEDGED,
            actor=acting_user,
            subject=alert,
            case=alert.case,
            person=alert.person,
            after={"kind": alert.kind, "acknowledged_at": alert.acknowledged_at.isoformat()},
        )
    return alert
