"""Every write to rulings: refugee-status decisions, complaints to treaty bodies, interim
measures and committee decisions. Recording what a body decided is ``FILE`` (outside lawyers
may); submitting or reshaping a complaint is ``EDIT``."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.access import CaseAction
from cases.models import Case
from cases.services.records import record_create, record_update
from casetracker.audit import Verb
from rulings.alerts import high_risk_check, measure_breaches_check
from rulings.models import CommitteeDecision, Complaint, InterimMeasure, RefugeeStatusDecision

# Who decided what, then the dates in the order they happen (the forms' order too).
STATUS_DECISION_FIELDS = (
    "authority",
    "body",
    "outcome",
    "applied_on",
    "decided_on",
    "notified_on",
    "appeal_of",
    "grounds",
)
COMPLAINT_FIELDS = (
    "body",
    "state_party",
    "counsel",
    "number",
    "submitted_on",
    "registered_on",
    "transmitted_on",
    "state_reply_on",
    "comments_due_on",
    "status",
)
MEASURE_FIELDS = ("requested_on", "granted_on", "reaffirmed_on", "scope")
COMMITTEE_DECISION_FIELDS = (
    "kind",
    "symbol",
    "adopted_on",
    "transmitted_on",
    "outcome",
    "articles",
    "remedies",
    "follow_up_reply_on",
    "follow_up_assessment",
)


@transaction.atomic
def status_decision_record(
    *,
    acting_user,
    case: Case,
    person: Any,
    authority: str,
    outcome: str,
    decided_on: datetime.date | None = None,
    **fields: Any,
) -> RefugeeStatusDecision:
    """Record a decision, or a pending application (outcome ``pending``, with ``applied_on``)."""
    return record_create(
        acting_user=acting_user,
        case=case,
        action=CaseAction.FILE,
        model=RefugeeStatusDecision,
        data={"authority": authority, "outcome": outcome, "decided_on": decided_on, **fields},
        allowed=STATUS_DECISION_FIELDS,
        person=person,
        then=high_risk_check,
    )


@transaction.atomic
def status_decision_update(
    *, acting_user, decision: RefugeeStatusDecision, **changes: Any
) -> RefugeeStatusDecision:
    return record_update(
        acting_user=acting_user,
        record=decision,
        action=CaseAction.FILE,
        data=changes,
        allowed=STATUS_DECISION_FIELDS,
        then=high_risk_check,
    )


def _checked_complainants(case: Case, complainants: Iterable[Any]) -> list[Any]:
    complainants = list(complainants)
    if not complainants:
        raise ValidationError({"complainants": _("Name at least one complainant.")})
    outsiders = [p for p in complainants if not case.has_party(p.pk)]
    if outsiders:
        raise ValidationError(
            {
                "complainants": _("Only parties to the case can be complainants: %(names)s.")
                % {"names": ", ".join(str(p) for p in outsiders)}
            }
        )
    return complainants


@transaction.atomic
def complaint_submit(
    *,
    acting_user,
    case: Case,
    body: str,
    state_party: str,
    submitted_on: datetime.date,
    complainants: Iterable[Any],
    **fields: Any,
) -> Complaint:
    """Record a communication submitted to a UN treaty body on behalf of ``complainants``."""
    return record_create(
        acting_user=acting_user,
        case=case,
        action=CaseAction.EDIT,
        model=Complaint,
        data={"body": body, "state_party": state_party, "submitted_on": submitted_on, **fields},
        allowed=COMPLAINT_FIELDS,
        many={"complainants": _checked_complainants(case, complainants)},
    )


@transaction.atomic
def complaint_update(
    *,
    acting_user,
    complaint: Complaint,
    complainants: Iterable[Any] | None = None,
    **changes: Any,
) -> Complaint:
    """Change a complaint: dates of registration and transmission, the State's reply, status."""
    return record_update(
        acting_user=acting_user,
        record=complaint,
        action=CaseAction.EDIT,
        data=changes,
        allowed=COMPLAINT_FIELDS,
        many=None
        if complainants is None
        else {"complainants": _checked_complainants(complaint.case, complainants)},
    )


@transaction.atomic
def interim_measure_record(*, acting_user, complaint: Complaint, **fields: Any) -> InterimMeasure:
    """Record a Committee's interim measure (by default: do not extradite or deport)."""
    return record_create(
        acting_user=acting_user,
        case=complaint.case,
        action=CaseAction.FILE,
        model=InterimMeasure,
        data=fields,
        allowed=MEASURE_FIELDS,
        complaint=complaint,
        then=measure_breaches_check,
    )


@transaction.atomic
def interim_measure_update(
    *, acting_user, measure: InterimMeasure, **changes: Any
) -> InterimMeasure:
    """Change a measure, e.g. record the Committee reaffirming it."""
    return record_update(
        acting_user=acting_user,
        record=measure,
        action=CaseAction.FILE,
        data=changes,
        allowed=MEASURE_FIELDS,
        then=measure_breaches_check,
    )


@transaction.atomic
def interim_measure_lift(
    *, acting_user, measure: InterimMeasure, lifted_on: datetime.date
) -> InterimMeasure:
    if measure.lifted_on is not None:
        raise ValidationError({"lifted_on": _("This measure is already lifted.")})
    return record_update(
        acting_user=acting_user,
        record=measure,
        action=CaseAction.FILE,
        data={"lifted_on": lifted_on},
        allowed=("lifted_on",),
        verb=Verb.LIFTED,
        then=measure_breaches_check,
    )


@transaction.atomic
def committee_decision_record(
    *,
    acting_user,
    complaint: Complaint,
    kind: str,
    adopted_on: datetime.date,
    outcome: str,
    **fields: Any,
) -> CommitteeDecision:
    return record_create(
        acting_user=acting_user,
        case=complaint.case,
        action=CaseAction.FILE,
        model=CommitteeDecision,
        data={"kind": kind, "adopted_on": adopted_on, "outcome": outcome, **fields},
        allowed=COMMITTEE_DECISION_FIELDS,
        complaint=complaint,
    )


@transaction.atomic
def committee_decision_update(
    *, acting_user, decision: CommitteeDecision, **changes: Any
) -> CommitteeDecision:
    return record_update(
        acting_user=acting_user,
        record=decision,
        action=CaseAction.FILE,
        data=changes,
        allowed=COMMITTEE_DECISION_FIELDS,
    )
