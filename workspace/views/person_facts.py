"""What the case page and the person page say about people, for a whole list in a few queries.

A person's status is read from the decisions the user may see (``visible_to``): a decision
recorded in a restricted case must not reach, through a status column, a user who may not
open that case. The two flags, protected by an interim measure and high risk, are safety
facts: they come from ``rulings.selectors``, the one place that defines them, as on the
dashboard.
"""

import uuid
from collections.abc import Iterable, Sequence

from django.db.models import F
from django.utils import timezone

from cases.models import Detention
from people.models import Person
from rulings.choices import Authority, StatusOutcome
from rulings.models import InterimMeasure, RefugeeStatusDecision
from rulings.selectors import people_high_risk

# The authorities the page shows a current status for, in this order (issue #5: "UNHCR
# mandate, national, court").
PAGE_AUTHORITIES = (Authority.UNHCR_MANDATE, Authority.NATIONAL, Authority.COURT)


def visible_decisions(*, user, people: Iterable[Person]):
    """Refugee-status decisions about ``people`` in cases ``user`` may see, oldest first."""
    return (
        RefugeeStatusDecision.objects.visible_to(user)
        .filter(person__in=[p.pk for p in people])
        .select_related("case", "appeal_of")
        .order_by(F("decided_on").asc(nulls_last=True), "created_at", "id")
    )


def latest_by_authority(
    decisions: Sequence[RefugeeStatusDecision],
) -> dict[uuid.UUID, dict[str, RefugeeStatusDecision | None]]:
    """Each person's latest decision per authority among ``decisions`` (oldest first), pending
    applications left out: an application changes no one's status."""
    latest: dict[uuid.UUID, dict[str, RefugeeStatusDecision | None]] = {}
    for decision in decisions:
        statuses = latest.setdefault(decision.person_id, dict.fromkeys(PAGE_AUTHORITIES))
        if decision.outcome != StatusOutcome.PENDING:
            statuses[decision.authority] = decision  # later ones overwrite earlier ones
    return latest


def protected_ids(people: Iterable[Person]) -> set[uuid.UUID]:
    """Those of ``people`` whom an interim measure in force today protects (one query)."""
    measures = InterimMeasure.objects.active_on(timezone.localdate()).filter(
        complaint__complainants__in=[p.pk for p in people]
    )
    return set(measures.values_list("complaint__complainants", flat=True))


def high_risk_ids(people: Iterable[Person]) -> set[uuid.UUID]:
    """Those of ``people`` flagged high risk (one query)."""
    queryset = Person.objects.filter(pk__in=[p.pk for p in people])
    return set(people_high_risk(queryset).values_list("pk", flat=True))


def detained_ids(*, user, people: Iterable[Person]) -> set[uuid.UUID]:
    """Those of ``people`` held in a detention the user may see that has not ended."""
    detentions = Detention.objects.visible_to(user).filter(
        person__in=[p.pk for p in people], ended_on__isnull=True
    )
    return set(detentions.values_list("person_id", flat=True))
