"""Detentions and extradition proceedings.

Surrender and the end of a detention are verbs of their own: under an active interim measure
they are breaches, and the deadline engine (issue #3) hangs its alerts on these services.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.access import CaseAction
from cases.choices import RequestStatus
from cases.models import Case, Detention, ExtraditionDecision, ExtraditionRequest
from cases.safety import person_safety_check
from cases.services.records import record_create, record_update
from casetracker.audit import Verb

DETENTION_FIELDS = (
    "basis",
    "started_on",
    "facility",
    "location",
    "authority",
    "ended_on",
    "end_reason",
    "notes",
)
REQUEST_FIELDS = (
    "requesting_state",
    "requested_state",
    "reference",
    "received_on",
    "charges",
    "treaty",
    "diplomatic_assurances",
    "status",
)
DECISION_FIELDS = ("stage", "body", "decided_on", "served_on", "outcome", "notes")


@transaction.atomic
def detention_create(
    *, acting_user, case: Case, person: Any, basis: str, started_on: datetime.date, **fields: Any
) -> Detention:
    """Record a detention. Give ``ended_on`` and ``end_reason`` for one already over."""
    return record_create(
        acting_user=acting_user,
        case=case,
        action=CaseAction.EDIT,
        model=Detention,
        data={"basis": basis, "started_on": started_on, **fields},
        allowed=DETENTION_FIELDS,
        person=person,
        then=person_safety_check,
    )


@transaction.atomic
def detention_update(*, acting_user, detention: Detention, **changes: Any) -> Detention:
    return record_update(
        acting_user=acting_user,
        record=detention,
        action=CaseAction.EDIT,
        data=changes,
        allowed=DETENTION_FIELDS,
        then=person_safety_check,
    )


@transaction.atomic
def detention_end(
    *, acting_user, detention: Detention, ended_on: datetime.date, end_reason: str
) -> Detention:
    if detention.ended_on is not None:
        raise ValidationError({"ended_on": _("This detention has already ended.")})
    return record_update(
        acting_user=acting_user,
        record=detention,
        action=CaseAction.EDIT,
        data={"ended_on": ended_on, "end_reason": end_reason},
        allowed=("ended_on", "end_reason"),
        verb=Verb.ENDED,
        then=person_safety_check,
    )


@transaction.atomic
def extradition_request_create(
    *,
    acting_user,
    case: Case,
    person: Any,
    requesting_state: str,
    requested_state: str,
    received_on: datetime.date,
    **fields: Any,
) -> ExtraditionRequest:
    return record_create(
        acting_user=acting_user,
        case=case,
        action=CaseAction.EDIT,
        model=ExtraditionRequest,
        data={
            "requesting_state": requesting_state,
            "requested_state": requested_state,
            "received_on": received_on,
            **fields,
        },
        allowed=REQUEST_FIELDS,
        person=person,
        then=person_safety_check,
    )


@transaction.atomic
def extradition_request_update(
    *, acting_user, request: ExtraditionRequest, **changes: Any
) -> ExtraditionRequest:
    """Change a request. A surrender is recorded with ``extradition_request_surrender``."""
    if changes.get("status") == RequestStatus.SURRENDERED:
        raise ValidationError(
            {
                "status": _(
                    "Record a surrender with its date through “Record the surrender” "
                    "(API: POST …/surrender/)."
                )
            }
        )
    return record_update(
        acting_user=acting_user,
        record=request,
        action=CaseAction.EDIT,
        data=changes,
        allowed=REQUEST_FIELDS,
        then=person_safety_check,
    )


@transaction.atomic
def extradition_request_surrender(
    *, acting_user, request: ExtraditionRequest, surrendered_on: datetime.date
) -> ExtraditionRequest:
    """Record that the person was handed over to the requesting State."""
    if request.status == RequestStatus.SURRENDERED:
        raise ValidationError({"status": _("This surrender is already recorded.")})
    return record_update(
        acting_user=acting_user,
        record=request,
        action=CaseAction.EDIT,
        data={"status": RequestStatus.SURRENDERED, "surrendered_on": surrendered_on},
        allowed=("status", "surrendered_on"),
        verb=Verb.SURRENDERED,
        then=person_safety_check,
    )


@transaction.atomic
def extradition_decision_record(
    *,
    acting_user,
    request: ExtraditionRequest,
    stage: str,
    decided_on: datetime.date,
    outcome: str,
    **fields: Any,
) -> ExtraditionDecision:
    """Record one stage's decision; outside lawyers may do this on cases shared with them."""
    return record_create(
        acting_user=acting_user,
        case=request.case,
        action=CaseAction.FILE,
        model=ExtraditionDecision,
        data={"stage": stage, "decided_on": decided_on, "outcome": outcome, **fields},
        allowed=DECISION_FIELDS,
        request=request,
    )


@transaction.atomic
def extradition_decision_update(
    *, acting_user, decision: ExtraditionDecision, **changes: Any
) -> ExtraditionDecision:
    return record_update(
        acting_user=acting_user,
        record=decision,
        action=CaseAction.FILE,
        data=changes,
        allowed=DECISION_FIELDS,
    )
