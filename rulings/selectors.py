"""Facts derived from rulings, computed here and nowhere else (DESIGN §5).

"Current status", "protected by an interim measure" and "high risk" appear on the person page,
in lists, on the dashboard and in alerts; each has one definition in this module so the screens
cannot disagree. Callers pass people they already fetched through ``visible_to(user)``.
"""

import datetime
import uuid
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from cases.choices import RequestStatus
from cases.models import (
    ExtraditionRequest,
)
from people.models import Person
from rulings.choices import Authority, StatusOutcome
from rulings.models import InterimMeasure, RefugeeStatusDecision

# The authorities whose latest decision is a person's status (DESIGN §5: "the latest decision of
# that authority"). Courts are not among them: a court upholds or annuls the authority's decision,
# and the status changes when the authority decides again.
STATUS_AUTHORITIES = (Authority.UNHCR_MANDATE, Authority.NATIONAL)

# Latest first. ``id`` only breaks exact ties so that every query picks the same decision.
_LATEST_FIRST = ("-decided_on", "-created_at", "-id")

# High risk (DESIGN §5): UNHCR recognises the person as a refugee under its mandate …
HIGH_RISK_UNHCR_OUTCOMES = (StatusOutcome.RECOGNISED,)
# … while the State does not protect them. Revocation is counted with rejection and withdrawal:
# it takes back a status the State had granted, so the person is as exposed to refoulement as
# after a refusal. Cessation is not: it finds that protection is no longer needed (1951
# Convention art. 1C), e.g. after naturalisation, which is not the conflict this flag is for.
HIGH_RISK_NATIONAL_OUTCOMES = (
    StatusOutcome.REJECTED,
    StatusOutcome.WITHDRAWN,
    StatusOutcome.REVOKED,
)
# … and a State wants them surrendered. A granted request still threatens: extradition has been
# authorised and the person can be handed over any day until the surrender is recorded, the
# moment when interim measures are most urgent. A surrendered person is no longer at this risk.
THREATENING_REQUEST_STATUSES = (RequestStatus.PENDING, RequestStatus.GRANTED)

StatusMap = dict[str, RefugeeStatusDecision | None]


def _decided() -> QuerySet[RefugeeStatusDecision]:
    """Decisions, not pending applications: an application changes no one's status."""
    return RefugeeStatusDecision.objects.exclude(outcome=StatusOutcome.PENDING)


def latest_decisions(
    decisions: Iterable[RefugeeStatusDecision], *, authorities=STATUS_AUTHORITIES
) -> dict[uuid.UUID, StatusMap]:
    """What "current status" means, for decisions already fetched: per person and authority,
    the latest decision (by date decided, then date recorded; ``id`` breaks exact ties),
    pending applications left out. Returns ``{person_id: {authority: decision or None}}`` for
    the people some decision is about."""
    decided = [d for d in decisions if d.outcome != StatusOutcome.PENDING]
    latest: dict[uuid.UUID, StatusMap] = {}
    for decision in sorted(decided, key=lambda d: (d.decided_on, d.created_at, d.id)):
        statuses = latest.setdefault(decision.person_id, dict.fromkeys(authorities))
        if decision.authority in authorities:
            statuses[decision.authority] = decision  # later ones overwrite earlier ones
    return latest


def person_status_map(*, people: Iterable[Person]) -> dict[uuid.UUID, StatusMap]:
    """Each person's current status under each of ``STATUS_AUTHORITIES``, in one query.

    Returns ``{person_id: {authority: decision or None}}`` with an entry for every person given.
    For lists of people: the query count does not grow with the number of people.
    """
    person_ids = [person.pk for person in people]
    if not person_ids:
        return {}
    decisions = _decided().filter(person_id__in=person_ids, authority__in=STATUS_AUTHORITIES)
    latest = latest_decisions(decisions)
    return {pk: latest.get(pk, dict.fromkeys(STATUS_AUTHORITIES)) for pk in person_ids}


def person_current_status(*, person: Person) -> StatusMap:
    """The person's current status under each authority: its latest decision (by date decided,
    then by date recorded), or None where that authority has not decided."""
    return person_status_map(people=[person])[person.pk]


def person_protecting_measures(
    *, person: Person, on: datetime.date | None = None
) -> QuerySet[InterimMeasure]:
    """Interim measures in force on ``on`` (default today) in complaints naming the person as a
    complainant: a measure protects the complainants, not everyone in the case."""
    day = on or timezone.localdate()
    return InterimMeasure.objects.active_on(day).filter(complaint__complainants=person)


def person_is_protected(*, person: Person, on: datetime.date | None = None) -> bool:
    """Whether a Committee has asked the State not to remove the person, as of ``on``."""
    return person_protecting_measures(person=person, on=on).exists()


def is_high_risk(status: StatusMap, *, threatened: bool) -> bool:
    """What "high risk" means (DESIGN §5), given a person's current status and whether a State
    seeks them: recognised by UNHCR, not protected by the State, and wanted.
    ``people_high_risk`` is the same test in SQL; tests hold the two to the same answers."""
    unhcr, national = status[Authority.UNHCR_MANDATE], status[Authority.NATIONAL]
    return bool(
        threatened
        and unhcr is not None
        and unhcr.outcome in HIGH_RISK_UNHCR_OUTCOMES
        and national is not None
        and national.outcome in HIGH_RISK_NATIONAL_OUTCOMES
    )


def person_is_high_risk(*, person: Person) -> bool:
    """Recognised by UNHCR, unprotected by the State, and wanted by a State (DESIGN §5).

    ``people_high_risk`` asks the same question of a whole queryset in SQL; tests hold the two
    to the same answers.
    """
    threatened = ExtraditionRequest.objects.filter(
        person=person, status__in=THREATENING_REQUEST_STATUSES
    ).exists()
    return is_high_risk(person_current_status(person=person), threatened=threatened)


def people_high_risk(queryset: QuerySet[Person]) -> QuerySet[Person]:
    """The high-risk people of ``queryset``, filtered in the same single SQL query.

    Meant for the dashboard: pass ``Person.objects.visible_to(user)``.
    """

    def latest_outcome(authority: str) -> Subquery:
        latest = _decided().filter(person=OuterRef("pk"), authority=authority)
        return Subquery(latest.order_by(*_LATEST_FIRST).values("outcome")[:1])

    threatening = ExtraditionRequest.objects.filter(
        person=OuterRef("pk"), status__in=THREATENING_REQUEST_STATUSES
    )
    return queryset.alias(
        unhcr_outcome=latest_outcome(Authority.UNHCR_MANDATE),
        national_outcome=latest_outcome(Authority.NATIONAL),
    ).filter(
        Exists(threatening),
        unhcr_outcome__in=HIGH_RISK_UNHCR_OUTCOMES,
        national_outcome__in=HIGH_RISK_NATIONAL_OUTCOMES,
    )


# --- the case timeline ----------------------------------------------------------------------
