"""Event alerts that do not wait for the sweep (DESIGN §6), raised in the transaction of the
write that causes them and notified after commit.

* ``interim_measure_breach``: a surrender, or a detention ending in extradition, deportation or
  transfer, of a person an active interim measure protects on that day.
* ``high_risk``: a person recognised by UNHCR, rejected nationally, with an extradition request
  pending (rulings/selectors.py), after a write that may have made them so.

The services of detentions and extradition requests run ``person_endangered`` through
cases/safety.py (``RulingsConfig.ready`` registers it); rulings' own services name
``measure_breaches_check`` and ``high_risk_check`` at their call sites.
"""

import datetime

from django.utils import translation

from cases.choices import (
    REMOVAL_END_REASONS,
    AlertKind,
    AlertLevel,
    DetentionEndReason,
    RequestStatus,
)
from cases.models import Alert, Detention, ExtraditionRequest
from cases.services.alerts import alert_raise
from casetracker.i18n import stored_text
from rulings.models import InterimMeasure
from rulings.selectors import person_is_high_risk, person_protecting_measures


def _removal_day(record) -> datetime.date | None:
    """The day ``record`` took its person out of the State's reach, if it did."""
    if isinstance(record, ExtraditionRequest) and record.status == RequestStatus.SURRENDERED:
        return record.surrendered_on
    if isinstance(record, Detention) and record.end_reason in REMOVAL_END_REASONS:
        return record.ended_on
    return None


def _removals_during(measure: InterimMeasure) -> list:
    """Removals of the measure's complainants on days it was in force, whenever recorded: a
    measure entered after the surrender it covered (the Committee's letter arrives late) still
    reveals the breach."""
    if measure.granted_on is None:
        return []
    people = measure.complaint.complainants.all()
    removals = [
        *ExtraditionRequest.objects.filter(person__in=people, status=RequestStatus.SURRENDERED),
        *Detention.objects.filter(person__in=people, end_reason__in=REMOVAL_END_REASONS),
    ]
    return [r for r in removals if (day := _removal_day(r)) and measure.is_active_on(day)]


def breach_check(record) -> Alert | None:
    """Raise a critical alert if ``record`` removed a person protected by an interim measure."""
    day = _removal_day(record)
    if day is None:
        return None
    measures = list(
        person_protecting_measures(person=record.person, on=day).select_related("complaint")
    )
    already = Alert.objects.unacknowledged().filter(
        kind=AlertKind.INTERIM_MEASURE_BREACH, person=record.person, case=record.case
    )
    if not measures or already.exists():
        # One removal is often recorded twice (the surrender, then the detention's end): an
        # alert nobody has acknowledged yet already says it.
        return None
    with translation.override(None):
        # The catalogue ids (English) of the country's name and the reason's label: each
        # reader's page translates them (django-countries and cases.choices are in the catalogue).
        state = record.requesting_state.name if isinstance(record, ExtraditionRequest) else ""
        reason = str(DetentionEndReason(record.end_reason).label) if not state else ""
    what = (
        stored_text(
            "Surrender to %(state)s recorded on %(day)s",
            state=stored_text(state),
            day=day.isoformat(),
        )
        if isinstance(record, ExtraditionRequest)
        else stored_text(
            "Detention ended (%(reason)s) on %(day)s",
            reason=stored_text(reason),
            day=day.isoformat(),
        )
    )
    complaints = ", ".join(
        f"{m.complaint.body} {m.complaint.number}" if m.complaint.number else str(m.complaint.body)
        for m in measures
    )
    return alert_raise(
        case=record.case,
        person=record.person,
        subject=record,
        kind=AlertKind.INTERIM_MEASURE_BREACH,
        level=AlertLevel.CRITICAL,
        message=stored_text(
            "%(what)s while an interim measure of %(complaints)s protects this person: the "
            "State is in breach. Inform the Committee at once.",
            what=what,
            complaints=complaints,
        ),
    )


def high_risk_check(record) -> Alert | None:
    """Raise a high-risk alert when a person becomes high risk, once until acknowledged."""
    person = record.person
    if not person_is_high_risk(person=person):
        return None
    unacknowledged = Alert.objects.unacknowledged().filter(
        kind=AlertKind.HIGH_RISK, person=person, case=record.case
    )
    if unacknowledged.exists():
        return None
    return alert_raise(
        case=record.case,
        person=person,
        subject=record,
        kind=AlertKind.HIGH_RISK,
        level=AlertLevel.CRITICAL,
        message=stored_text(
            "Recognised as a refugee by UNHCR but not protected nationally, with an "
            "extradition request pending: high risk of refoulement."
        ),
    )


def person_endangered(record) -> None:
    """The check ``cases`` runs after a write of a detention or an extradition request
    (cases/safety.py; registered by ``RulingsConfig.ready``)."""
    if isinstance(record, ExtraditionRequest | Detention):
        breach_check(record)
    if isinstance(record, ExtraditionRequest):
        high_risk_check(record)


def measure_breaches_check(measure: InterimMeasure) -> None:
    """After a measure is recorded or changed: a removal on a day it covers is a breach, even
    when the removal was recorded first (the Committee's letter arrives late)."""
    for removal in _removals_during(measure):
        breach_check(removal)
