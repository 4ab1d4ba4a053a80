"""The case page: everything about one case, every forum on one time axis (issue #5).

It lives in workspace, the top of the dependency chain, because it shows refugee-status
decisions and complaints beside detentions and extradition.

The case is fetched through ``case_get`` (404 alike for a missing and a hidden case); every
other read is of that case's own records. The number of queries does not depend on the number
of records: each section is one query (two or three with its prefetches), and the timeline is
``case_timeline``'s one query per model.
"""

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cases.access import CaseAction, case_get, case_role, role_allows
from cases.choices import (
    DeadlineStatus,
    DecisionOutcome,
    PartyRole,
    RequestStatus,
)
from cases.models import (
    Alert,
    Case,
    CaseAccess,
    CaseParty,
    Deadline,
    Detention,
    ExtraditionDecision,
    ExtraditionRequest,
)
from cases.models.deadlines import DUE_SOON_DAYS
from cases.views.notes import NoteForm, documents_of, notes_of
from casetracker.pages import private
from rulings.choices import PROTECTED_OUTCOMES, Authority, CommitteeOutcome, StatusOutcome
from rulings.models import Complaint, RefugeeStatusDecision
from workspace.selectors import (
    PAGE_AUTHORITIES,
    TimelineEntry,
    case_timeline,
    detained_ids,
    high_risk_ids,
    latest_by_authority,
    protected_ids,
    visible_decisions,
    who_has_seen,
)
from workspace.timeline_chart import FORUM_LABELS, anchor, chart_build

# The timeline's list is shown open up to this many entries; a group case's hundreds start
# folded, under the chart, so that the rest of the page can be reached.
TIMELINE_LIST_OPEN_UP_TO = 40
PARTY_ORDER = list(PartyRole.values)  # principals, then family, then witnesses

# Outcomes that put the person in danger, and those that protect them: the timeline tells them
# apart by colour and by shape.
DANGER_OUTCOMES = {
    "extraditiondecision": {DecisionOutcome.GRANTED},
    "refugeestatusdecision": {
        StatusOutcome.REJECTED,
        StatusOutcome.WITHDRAWN,
        StatusOutcome.REVOKED,
    },
}
SAFE_OUTCOMES = {
    "extraditiondecision": {DecisionOutcome.REFUSED},
    "refugeestatusdecision": set(PROTECTED_OUTCOMES),
    "committeedecision": {CommitteeOutcome.VIOLATION},
}
# Requests whose period is over without a surrender: no bar runs on to today.
CLOSED_REQUEST_STATUSES = (RequestStatus.REFUSED, RequestStatus.WITHDRAWN)


@dataclass
class PartyRow:
    party: CaseParty
    statuses: list[tuple[str, RefugeeStatusDecision | None]]
    detained: bool
    protected: bool
    high_risk: bool
    #: The day the person was handed over to the requesting State, if they were.
    surrendered_on: datetime.date | None = None


@dataclass
class DeadlineRow:
    deadline: Deadline
    badge: str  # the badge's modifier: overdue, soon, open, met, missed, cancelled
    days: int  # whole days overdue, or until due
    computed_due: datetime.date | None  # what the rule gave, shown when overridden


@dataclass
class TimelineDay:
    day: datetime.date
    entries: list[dict[str, Any]]


def _permissions(user, case: Case) -> dict[str, bool]:
    """What the user may do on the case, keyed by action (``can.file`` in templates): the
    user's role is read once (two queries), not once per link."""
    role = case_role(user=user, case=case)
    return {action.value: role is not None and role_allows(role, action) for action in CaseAction}


def _party_rows(user, case: Case) -> list[PartyRow]:
    parties = sorted(
        CaseParty.objects.filter(case=case).select_related("person"),
        key=lambda p: (PARTY_ORDER.index(p.role), p.person.family_name, p.person.given_name),
    )
    people = [p.person for p in parties]
    if not people:
        return []
    latest = latest_by_authority(list(visible_decisions(user=user, people=people)))
    detained = detained_ids(user=user, people=people)
    protected, high_risk = protected_ids(people), high_risk_ids(people)
    # A surrendered person is no longer "protected" in any sense a caseworker means: the page
    # says they were handed over, and in breach of the measure when one was in force.
    surrendered = dict(
        ExtraditionRequest.objects.visible_to(user)
        .filter(person__in=people, status=RequestStatus.SURRENDERED)
        .order_by("surrendered_on")
        .values_list("person_id", "surrendered_on")
    )
    rows = []
    for party in parties:
        statuses = latest.get(party.person_id, dict.fromkeys(PAGE_AUTHORITIES))
        rows.append(
            PartyRow(
                party=party,
                statuses=[(authority, statuses[authority]) for authority in PAGE_AUTHORITIES],
                detained=party.person_id in detained,
                protected=party.person_id in protected,
                high_risk=party.person_id in high_risk,
                surrendered_on=surrendered.get(party.person_id),
            )
        )
    return rows


def _deadline_rows(case: Case, now: datetime.datetime) -> list[DeadlineRow]:
    """Open deadlines first, the soonest due first; then the others, the latest first."""
    deadlines = Deadline.objects.filter(case=case).select_related(
        "rule", "responsible", "overridden_by", "person"
    )
    rows = []
    for deadline in deadlines:
        days_until = deadline.days_until_due(now)
        days = abs(days_until)
        if deadline.is_overdue_at(now):
            badge = "overdue"
        elif deadline.status != DeadlineStatus.OPEN:
            badge = deadline.status
        elif days_until <= DUE_SOON_DAYS:
            badge = "soon"
        else:
            badge = "open"
        computed = deadline.computed_due_at
        rows.append(
            DeadlineRow(
                deadline=deadline,
                badge=badge,
                days=days,
                computed_due=computed.astimezone(deadline.tz).date() if computed else None,
            )
        )
    open_rows = sorted(
        (r for r in rows if r.deadline.status == DeadlineStatus.OPEN),
        key=lambda r: (r.deadline.due_at, str(r.deadline.pk)),
    )
    other_rows = sorted(
        (r for r in rows if r.deadline.status != DeadlineStatus.OPEN),
        key=lambda r: (r.deadline.due_at, str(r.deadline.pk)),
        reverse=True,
    )
    return open_rows + other_rows


def _timeline_days(entries: list[TimelineEntry]) -> list[TimelineDay]:
    """The entries grouped by day, oldest first, each with its anchor and its forum's name."""
    days = []
    for day, group in itertools.groupby(entries, key=lambda e: e["date"]):
        days.append(
            TimelineDay(
                day=day,
                entries=[
                    {
                        **entry,
                        "href": anchor(entry),
                        "forum_label": FORUM_LABELS[entry["forum"]],
                    }
                    for entry in group
                ],
            )
        )
    return days


def _tones(sections: dict[str, Any], deadline_rows: list[DeadlineRow]) -> dict:
    """Which records the timeline marks as danger or as protection, from what the page loaded."""
    tones: dict = {}
    decisions = [
        ("extraditiondecision", d)
        for request in sections["requests"]
        for d in request.decisions.all()
    ]
    decisions += [("refugeestatusdecision", d) for d in sections["status_decisions"]]
    decisions += [
        ("committeedecision", d)
        for complaint in sections["complaints"]
        for d in complaint.decisions.all()
    ]
    for model_name, decision in decisions:
        if decision.outcome in DANGER_OUTCOMES.get(model_name, ()):
            tones[decision.pk] = "danger"
        elif decision.outcome in SAFE_OUTCOMES.get(model_name, ()):
            tones[decision.pk] = "ok"
    for row in deadline_rows:
        if row.badge in ("overdue", "missed"):
            tones[row.deadline.pk] = "danger"
        elif row.badge == "met":
            tones[row.deadline.pk] = "ok"
    return tones


def _sections(case: Case) -> dict[str, Any]:
    """The case's records, each section in one query with its prefetches."""
    return {
        "detentions": sorted(
            Detention.objects.filter(case=case).select_related("person"),
            key=lambda d: (d.ended_on is not None, -d.started_on.toordinal()),
        ),
        "requests": list(
            ExtraditionRequest.objects.filter(case=case)
            .select_related("person")
            .prefetch_related(
                Prefetch(
                    "decisions", ExtraditionDecision.objects.order_by("decided_on", "created_at")
                )
            )
            .order_by("received_on", "created_at")
        ),
        "status_decisions": list(
            RefugeeStatusDecision.objects.filter(case=case)
            .select_related("person", "appeal_of")
            .order_by(F("decided_on").asc(nulls_last=True), "created_at")
        ),
        "complaints": list(
            Complaint.objects.filter(case=case)
            .prefetch_related("complainants", "interim_measures", "decisions")
            .order_by("submitted_on", "created_at")
        ),
        "alerts": list(
            Alert.objects.filter(case=case)
            .select_related("deadline", "person", "acknowledged_by")
            .order_by(F("acknowledged_at").desc(nulls_first=True), "-created_at")
        ),
        "documents": list(documents_of(case)),
        "notes": list(notes_of(case)),
    }


def case_page_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    today = timezone.localdate()
    can = _permissions(user, case)
    sections = _sections(case)
    deadline_rows = _deadline_rows(case, now)
    entries = case_timeline(case=case)
    chart = chart_build(
        entries,
        today=today,
        tones=_tones(sections, deadline_rows),
        closed_spans={r.pk for r in sections["requests"] if r.status in CLOSED_REQUEST_STATUSES},
    )
    return {
        "case": case,
        "can": can,
        # The read audit, for the organisation's admins (those who may restrict the case).
        "seen_by": who_has_seen(case_id=case.pk) if can[CaseAction.RESTRICT] else None,
        # The names the notes and documents fragments share with cases/views/notes.py.
        "can_file": can[CaseAction.FILE],
        "can_edit": can[CaseAction.EDIT],
        "can_delete": can[CaseAction.DELETE],
        "parties": _party_rows(user, case),
        "authority_labels": [(a, Authority(a).label) for a in PAGE_AUTHORITIES],
        "chart": chart,
        "timeline_days": _timeline_days(entries),
        "timeline_count": len(entries),
        "timeline_list_open": len(entries) <= TIMELINE_LIST_OPEN_UP_TO,
        "open_deadline_rows": [
            r for r in deadline_rows if r.deadline.status == DeadlineStatus.OPEN
        ],
        "closed_deadline_rows": [
            r for r in deadline_rows if r.deadline.status != DeadlineStatus.OPEN
        ],
        "open_deadlines": sum(r.deadline.status == DeadlineStatus.OPEN for r in deadline_rows),
        "shared_with": (
            list(CaseAccess.objects.filter(case=case).select_related("user"))
            if can[CaseAction.SHARE]
            else []
        ),
        "form": NoteForm(initial={"occurred_on": today}) if can[CaseAction.FILE] else None,
        "today": today,
        **sections,
    }


@login_required
@require_safe
def case_detail(request: HttpRequest, case_id) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    context = case_page_context(request, case)
    return private(render(request, "workspace/case/detail.html", context))
