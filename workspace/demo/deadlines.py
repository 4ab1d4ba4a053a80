"""The demo's history is settled: deadlines that came due before today were met (appeals
filed, comments sent), except the State's follow-up report on the CAT decision, which it never
sent (DESIGN §1: "It does not."), and the alerts raised back then were acknowledged. Only the
pending case's deadlines and alerts are live."""

import datetime

from django.utils import timezone

from cases.models import Alert, Case, Deadline
from cases.services.alerts import alert_acknowledge
from cases.services.deadlines import deadline_mark_met, deadline_mark_missed
from workspace.demo.recorder import Recorder

NEVER_MET = frozenset({"cat.follow_up"})


def settle_history(admins: dict[str, Recorder], *, live_case: Case) -> None:
    """Close every open deadline already due and acknowledge the alerts of the past, as the
    organisation's admin."""
    past = Deadline.objects.open().filter(due_at__lt=timezone.now())
    for deadline in past.select_related("case__organisation", "rule").order_by("due_at"):
        admin = admins[deadline.case.organisation.code].user
        if deadline.rule_id and deadline.rule.code in NEVER_MET:
            deadline_mark_missed(acting_user=admin, deadline=deadline)
            continue
        met_on = max(
            deadline.basis_date or deadline.due_date, deadline.due_date - datetime.timedelta(days=2)
        )
        deadline_mark_met(acting_user=admin, deadline=deadline, met_on=met_on)
    for alert in Alert.objects.exclude(case=live_case).select_related("case__organisation"):
        alert_acknowledge(acting_user=admins[alert.case.organisation.code].user, alert=alert)
