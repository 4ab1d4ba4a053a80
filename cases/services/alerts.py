"""Raising alerts into the ledger, the periodic sweep, notifications and acknowledgement.

The ledger's unique constraints decide: of two sweeps (or a sweep and a retried task) trying
to raise the same alert, one insert wins and only that one notifies, after commit.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import CaseAction, case_require
from cases.choices import AlertKind, Role
from cases.deadlines import alert_level, alert_schedule, next_alert_at
from cases.models import Alert, Case, Deadline
from casetracker.audit import Verb, event_record

logger = logging.getLogger(__name__)

# An alert whose notification has not gone out this long after it was raised is sent again by
# the sweep: a lost broker message or a crashed worker must not silence it.
RENOTIFY_AFTER = datetime.timedelta(minutes=10)


def alert_raise(
    *,
    case: Case,
    kind: str,
    level: str,
    message: str,
    deadline: Deadline | None = None,
    offset_days: int = 0,
    person=None,
    subject: models.Model | None = None,
) -> Alert | None:
    """Insert an alert into the ledger; None if it was raised before. Notifies after commit."""
    alert = Alert(
        case=case,
        deadline=deadline,
        kind=kind,
        offset_days=offset_days,
        level=level,
        message=message,
        person=person,
        subject=subject,
    )
    try:
        with transaction.atomic():
            alert.save(force_insert=True)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _enqueue_notification(alert.pk))
    return alert


def _enqueue_notification(alert_id) -> None:
    from cases.tasks import alert_notify_task

    try:
        alert_notify_task.delay(str(alert_id))
    except Exception as exc:
        # The broker is down: the sweep resends notifications that never went out.
        logger.warning("Alert %s raised; its notification waits for the sweep: %s", alert_id, exc)


def _deadline_message(deadline: Deadline, kind: str, offset_days: int) -> str:
    due = deadline.due_date.isoformat()
    if kind == AlertKind.OVERDUE:
        return _("%(title)s was due on %(due)s and is overdue.") % {
            "title": deadline.title,
            "due": due,
        }
    if kind == AlertKind.DUE:
        return _("%(title)s is due today, %(due)s.") % {"title": deadline.title, "due": due}
    return _("%(title)s is due on %(due)s, in %(days)s days.") % {
        "title": deadline.title,
        "due": due,
        "days": offset_days,
    }


def _raise_due(deadline: Deadline, now: datetime.datetime) -> int:
    """Raise what has come due for one deadline: the latest passed reminder (older, missed
    reminders are superseded by it) and the due or overdue alert; then move its clock on."""
    schedule = [item for item in alert_schedule(deadline) if item.at <= now]
    raised_keys = set(deadline.alerts.values_list("kind", "offset_days"))
    wanted = []
    if overdue := [i for i in schedule if i.kind == AlertKind.OVERDUE]:
        wanted.append(overdue[-1])
    elif schedule:
        wanted.append(schedule[-1])
    raised = 0
    for item in wanted:
        if item.key in raised_keys:
            continue
        alert = alert_raise(
            case=deadline.case,
            deadline=deadline,
            person=deadline.person,
            kind=item.kind,
            offset_days=item.offset_days,
            level=alert_level(item.kind, item.offset_days),
            message=_deadline_message(deadline, item.kind, item.offset_days),
        )
        raised += alert is not None
    deadline.next_alert_at = next_alert_at(deadline, after=now)
    return raised


def deadlines_sweep(*, now: datetime.datetime | None = None, batch_size: int = 500) -> int:
    """Raise every alert that has come due; return how many were raised.

    Finds work through the partial index on ``next_alert_at``: the cost follows the number of
    deadlines with something due, not the number of deadlines. Each batch is one transaction;
    on PostgreSQL concurrent sweeps skip each other's locked rows, and the ledger's unique
    constraints keep even an overlapping sweep from raising anything twice.
    """
    now = now or timezone.now()
    raised = 0
    while True:
        with transaction.atomic():
            batch = list(
                Deadline.objects.alerts_pending(now=now)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("case", "person")
                .order_by("next_alert_at")[:batch_size]
            )
            if not batch:
                break
            for deadline in batch:
                raised += _raise_due(deadline, now)
            Deadline.objects.bulk_update(batch, ["next_alert_at"])
    for alert_id in Alert.objects.filter(
        notified_at__isnull=True, created_at__lt=now - RENOTIFY_AFTER
    ).values_list("id", flat=True):
        _enqueue_notification(alert_id)
    return raised


def _recipients(alert: Alert) -> list:
    """Who is told: the deadline's responsible user and the case lead; for an event alert,
    the lead and the organisation's admins. Only users who may still see the case."""
    user_model = get_user_model()
    ids = {alert.case.lead_id}
    if alert.deadline_id:
        ids.add(alert.deadline.responsible_id)
    else:
        ids |= set(
            alert.case.organisation.memberships.filter(role=Role.ADMIN).values_list(
                "user_id", flat=True
            )
        )
    users = user_model.objects.filter(pk__in=ids - {None}, is_active=True).exclude(email="")
    return [u for u in users if Case.objects.visible_to(u).filter(pk=alert.case_id).exists()]


def alert_subject(alert: Alert) -> str:
    """An email subject that says what is due when, and never names a person: subjects show
    on lock screens and in mail logs."""
    reference = alert.case.reference
    if alert.deadline_id:
        deadline = alert.deadline
        what = deadline.rule.title if deadline.rule_id else _("Deadline")
        due = deadline.due_date.isoformat()
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
