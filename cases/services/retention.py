"""Retention of closed cases (issue #11): an organisation may set how many years it keeps a
closed case (``Organisation.retention_years``). Once a case is past it, the organisation's
admins (and the case's lead) get one alert asking them to review it: anonymise its people
(workspace.services.person_anonymise) or keep it. Nothing is deleted by itself: a case may
have to outlive its period (a pending complaint elsewhere, a court's order), and only a person
can know.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from cases.choices import AlertKind, AlertLevel, CaseStatus
from cases.models import Case
from cases.services.alerts import alert_raise
from casetracker.i18n import stored_text
from organisations.models import Organisation


def cases_past_retention(*, today: datetime.date | None = None):
    """The closed cases of every organisation with a retention period that are past it."""
    today = today or timezone.localdate()
    due = Case.objects.none()
    for organisation in Organisation.objects.filter(retention_years__isnull=False):
        limit = today - relativedelta(years=organisation.retention_years)
        due |= Case.objects.filter(
            organisation=organisation, status=CaseStatus.CLOSED, closed_on__lte=limit
        )
    return due.select_related("organisation").order_by("closed_on", "reference")


@transaction.atomic
def retention_review(*, today: datetime.date | None = None) -> int:
    """Alert once for every closed case past its organisation's retention period (run daily
    by beat); returns how many alerts were new."""
    raised = 0
    for case in cases_past_retention(today=today):
        alert = alert_raise(
            case=case,
            kind=AlertKind.RETENTION_DUE,
            level=AlertLevel.INFO,
            subject=case,
            message=stored_text(
                "Case %(reference)s was closed on %(closed_on)s and %(organisation)s keeps closed "
                "cases %(years)s years: review it (anonymise its people, or keep it).",
                reference=case.reference,
                closed_on=case.closed_on.isoformat(),
                organisation=case.organisation.name,
                years=case.organisation.retention_years,
            ),
        )
        raised += alert is not None
    return raised
