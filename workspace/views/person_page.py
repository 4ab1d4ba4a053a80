"""The person page: names in every spelling, personal and contact details, relatives, status
under each authority, detentions, extradition requests, complaints, and the cases the user may
see them in (issue #5). It lives in workspace because it shows statuses and complaints.

The person is fetched through ``Person.objects.visible_to`` (404 alike for missing and hidden);
every record shown is read through its own ``visible_to``, so a record kept in a restricted
case never reaches a user who may not open that case. Contact details (the person's and their
relatives') are left out of the HTML entirely unless people/access.py's ``FieldRules`` shows
them: a viewer never receives them.
"""

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cases.models import Case, CaseParty, Detention, ExtraditionDecision, ExtraditionRequest
from casetracker.pages import private
from casetracker.selectors import visible_get
from organisations.access import organisation_role
from organisations.choices import Role
from organisations.models import Membership
from people.access import FieldRules
from people.models import Person
from people.selectors import duplicate_candidates
from rulings.choices import Authority
from rulings.models import Complaint, InterimMeasure
from rulings.selectors import (
    THREATENING_REQUEST_STATUSES,
    is_high_risk,
    person_is_high_risk,
)
from workspace.selectors import (
    PAGE_AUTHORITIES,
    latest_by_authority,
    merged_target,
    protected_ids,
    visible_decisions,
    who_has_seen,
)


def _language_name(code: str) -> str:
    """A language's name in the interface language, or its code when Django does not know it."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _high_risk_reason(
    person: Person, statuses: dict[str, Any], requests: list[ExtraditionRequest]
) -> str:
    """Why the person is flagged, from what the user can see; a general account otherwise."""
    national = statuses[Authority.NATIONAL]
    threatening = [r for r in requests if r.status in THREATENING_REQUEST_STATUSES]
    if is_high_risk(statuses, threatened=bool(threatening)):
        return _(
            "UNHCR recognised %(name)s as a refugee, the national authority's latest decision "
            "is “%(national)s”, and %(states)s still seeks extradition: a State may hand over "
            "a person it does not protect."
        ) % {
            "name": person.full_name,
            "national": national.get_outcome_display(),
            "states": ", ".join(sorted({str(r.requesting_state.name) for r in threatening})),
        }
    return _(
        "Recognised as a refugee by UNHCR, not protected by the State, and sought for "
        "extradition; some of the records behind this flag are in cases you cannot open."
    )


def _records(user, person: Person) -> dict[str, Any]:
    """The person's records in the cases the user may see, one query per kind."""
    today = timezone.localdate()
    detentions = sorted(
        Detention.objects.visible_to(user).filter(person=person).select_related("case"),
        key=lambda d: (d.ended_on is not None, -d.started_on.toordinal()),
    )
    requests = list(
        ExtraditionRequest.objects.visible_to(user)
        .filter(person=person)
        .select_related("case")
        .prefetch_related(
            Prefetch("decisions", ExtraditionDecision.objects.order_by("decided_on", "created_at"))
        )
        .order_by("-received_on", "-created_at")
    )
    complaints = list(
        Complaint.objects.visible_to(user)
        .filter(complainants=person)
        .select_related("case")
        .prefetch_related(
            Prefetch(
                "interim_measures",
                InterimMeasure.objects.order_by(F("granted_on").asc(nulls_last=True)),
            ),
            "decisions",
        )
        .order_by("-submitted_on", "-created_at")
    )
    measures = [
        (complaint, measure)
        for complaint in complaints
        for measure in complaint.interim_measures.all()
    ]
    parties = (
        CaseParty.objects.filter(person=person, case__in=Case.objects.visible_to(user))
        .select_related("case")
        .order_by("-case__opened_on", "case__reference")
    )
    return {
        "detentions": detentions,
        "requests": requests,
        "complaints": complaints,
        "measures": measures,
        "active_measures": [m for _c, m in measures if m.is_active_on(today)],
        "parties": list(parties),
    }


def _relationships(user, person: Person) -> list:
    relationships = list(
        person.relationships.select_related("relative").order_by("kind", "relative_name")
    )
    relative_ids = [r.relative_id for r in relationships if r.relative_id]
    visible = set(
        Person.objects.visible_to(user).filter(pk__in=relative_ids).values_list("pk", flat=True)
        if relative_ids
        else []
    )
    for relationship in relationships:
        relationship.relative_visible = relationship.relative_id in visible
    return relationships


@login_required
@require_safe
def person_detail(request: HttpRequest, person_id) -> HttpResponse:
    user = request.user
    try:
        person = visible_get(
            user=user,
            queryset=Person.objects.prefetch_related("names"),
            pk=person_id,
            message=_("No such person."),
        )
    except Http404:
        # A record merged into another (issue #12): its old address leads to the kept one,
        # for whoever may see that.
        if (kept := merged_target(user=user, person_id=person_id)) is not None:
            return redirect(kept)
        raise
    decisions = list(visible_decisions(user=user, people=[person]))
    statuses = latest_by_authority(decisions).get(person.pk, dict.fromkeys(PAGE_AUTHORITIES))
    records = _records(user, person)
    high_risk = person_is_high_risk(person=person)
    role = organisation_role(user=user, organisation=person.organisation_id)
    context = {
        "person": person,
        "names": person.names.all(),
        "languages": [_language_name(code) for code in person.languages or []],
        "show_contacts": FieldRules.for_request(request).contacts_visible(person.organisation_id),
        "can_edit": role in Membership.STAFF_ROLES,
        "seen_by": who_has_seen(person_id=person.pk) if role == Role.ADMIN else None,
        "can_anonymise": role == Role.ADMIN and person.anonymised_at is None,
        # Possible duplicates, for those who can act on them (people/selectors.py).
        "duplicates": (
            duplicate_candidates(user=user, person=person)
            if role in Membership.STAFF_ROLES and person.anonymised_at is None
            else []
        ),
        "relationships": _relationships(user, person),
        "statuses": [
            (Authority(authority).label, statuses[authority]) for authority in PAGE_AUTHORITIES
        ],
        "decisions": sorted(
            decisions,
            key=lambda d: d.decided_on or d.applied_on or datetime.date.min,
            reverse=True,
        ),
        "high_risk": high_risk,
        "high_risk_reason": (
            _high_risk_reason(person, statuses, records["requests"]) if high_risk else ""
        ),
        "protected": person.pk in protected_ids([person]),
        "today": timezone.localdate(),
        **records,
    }
    return private(render(request, "workspace/person_detail.html", context))
