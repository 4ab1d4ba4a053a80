"""Facts derived from rulings, computed here and nowhere else (DESIGN §5).

"Current status", "protected by an interim measure" and "high risk" appear on the person page,
in lists, on the dashboard and in alerts; each has one definition in this module so the screens
cannot disagree. Callers pass people they already fetched through ``visible_to(user)``.

``case_timeline`` merges the dated events of every forum of one case. It lives here because
rulings is the top of the dependency chain (people ← cases ← rulings): it sees every forum.
"""

import datetime
import uuid
from collections.abc import Iterable, Iterator
from typing import TypedDict

from django.db.models import Exists, Model, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from cases.choices import DeadlineStatus, RequestStatus
from cases.models import (
    Case,
    Deadline,
    Detention,
    ExtraditionDecision,
    ExtraditionRequest,
    Note,
)
from people.models import Person
from rulings.choices import Authority, StatusOutcome
from rulings.models import CommitteeDecision, Complaint, InterimMeasure, RefugeeStatusDecision

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


def person_status_map(*, people: Iterable[Person]) -> dict[uuid.UUID, StatusMap]:
    """Each person's current status under each of ``STATUS_AUTHORITIES``, in one query.

    Returns ``{person_id: {authority: decision or None}}`` with an entry for every person given.
    For lists of people: the query count does not grow with the number of people.
    """
    person_ids = [person.pk for person in people]
    statuses = {pk: dict.fromkeys(STATUS_AUTHORITIES) for pk in person_ids}
    if not person_ids:
        return statuses
    latest = (
        _decided()
        .filter(person=OuterRef("person"), authority=OuterRef("authority"))
        .order_by(*_LATEST_FIRST)
    )
    decisions = _decided().filter(
        person_id__in=person_ids,
        authority__in=STATUS_AUTHORITIES,
        id=Subquery(latest.values("id")[:1]),
    )
    for decision in decisions:
        statuses[decision.person_id][decision.authority] = decision
    return statuses


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


def _is_high_risk(status: StatusMap, *, threatened: bool) -> bool:
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
    return _is_high_risk(person_current_status(person=person), threatened=threatened)


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


class TimelineEntry(TypedDict):
    date: datetime.date
    forum: str
    kind: str
    title: str
    record_type: str
    record_id: uuid.UUID
    person_id: uuid.UUID | None


# The forums of the timeline, in the order their entries are listed within one day.
TIMELINE_FORUMS = (
    "detention",
    "extradition",
    "refugee_status",
    "complaint",
    "interim_measure",
    "committee",
    "note",
    "deadline",
)


def _entry(
    record: Model, day: datetime.date | None, forum: str, kind: str, title: str
) -> Iterator[TimelineEntry]:
    """One entry when the record has the date, none otherwise."""
    if day is not None:
        yield TimelineEntry(
            date=day,
            forum=forum,
            kind=kind,
            title=title,
            record_type=record._meta.label_lower,
            record_id=record.pk,
            person_id=getattr(record, "person_id", None),
        )


def _detention_entries(case: Case) -> Iterator[TimelineEntry]:
    detentions = Detention.objects.filter(case=case).select_related("person")
    for d in detentions.order_by("started_on", "id"):
        yield from _entry(
            d,
            d.started_on,
            "detention",
            "started",
            _("%(person)s detained: %(place)s")
            % {"person": d.person, "place": d.facility or d.get_basis_display()},
        )
        yield from _entry(
            d,
            d.ended_on,
            "detention",
            "ended",
            _("%(person)s's detention ended: %(reason)s")
            % {"person": d.person, "reason": d.get_end_reason_display()},
        )


def _extradition_entries(case: Case) -> Iterator[TimelineEntry]:
    requests = ExtraditionRequest.objects.filter(case=case).select_related("person")
    for r in requests.order_by("received_on", "id"):
        state = r.requesting_state.name
        yield from _entry(
            r,
            r.received_on,
            "extradition",
            "request_received",
            _("Extradition of %(person)s requested by %(state)s")
            % {"person": r.person, "state": state},
        )
        yield from _entry(
            r,
            r.surrendered_on,
            "extradition",
            "surrendered",
            _("%(person)s surrendered to %(state)s") % {"person": r.person, "state": state},
        )
    decisions = ExtraditionDecision.objects.filter(request__case=case).select_related(
        "request__person"
    )
    for d in decisions.order_by("decided_on", "id"):
        labels = {
            "stage": d.get_stage_display(),
            "outcome": d.get_outcome_display(),
            "person": d.request.person,
        }
        for entry in [
            *_entry(
                d,
                d.decided_on,
                "extradition",
                "decision",
                _("%(stage)s: %(outcome)s (%(person)s)") % labels,
            ),
            *_entry(
                d,
                d.served_on,
                "extradition",
                "decision_served",
                _("%(stage)s decision served on %(person)s") % labels,
            ),
        ]:
            yield {**entry, "person_id": d.request.person_id}


def _refugee_status_entries(case: Case) -> Iterator[TimelineEntry]:
    decisions = RefugeeStatusDecision.objects.filter(case=case).select_related("person")
    for d in decisions.order_by("applied_on", "decided_on", "id"):
        labels = {
            "authority": d.get_authority_display(),
            "outcome": d.get_outcome_display(),
            "person": d.person,
        }
        yield from _entry(
            d,
            d.applied_on,
            "refugee_status",
            "applied",
            _("%(person)s applied for refugee status (%(authority)s)") % labels,
        )
        if d.outcome != StatusOutcome.PENDING:
            yield from _entry(
                d,
                d.decided_on,
                "refugee_status",
                "decided",
                _("%(authority)s: %(outcome)s (%(person)s)") % labels,
            )
        yield from _entry(
            d,
            d.notified_on,
            "refugee_status",
            "notified",
            _("%(authority)s decision notified to %(person)s") % labels,
        )


def _complaint_entries(case: Case) -> Iterator[TimelineEntry]:
    for c in Complaint.objects.filter(case=case).order_by("submitted_on", "id"):
        for kind, day, title in (
            ("submitted", c.submitted_on, _("Complaint submitted to %(body)s")),
            ("registered", c.registered_on, _("%(complaint)s registered")),
            ("transmitted", c.transmitted_on, _("%(complaint)s transmitted to the State")),
            ("state_reply", c.state_reply_on, _("The State replied to %(complaint)s")),
            ("comments_due", c.comments_due_on, _("Comments on %(complaint)s due")),
        ):
            yield from _entry(c, day, "complaint", kind, title % {"body": c.body, "complaint": c})


def _interim_measure_entries(case: Case) -> Iterator[TimelineEntry]:
    measures = InterimMeasure.objects.filter(complaint__case=case).select_related("complaint")
    for m in measures.order_by("requested_on", "granted_on", "id"):
        for kind, day, title in (
            ("requested", m.requested_on, _("Interim measure requested in %(complaint)s")),
            ("granted", m.granted_on, _("Interim measure granted in %(complaint)s")),
            ("reaffirmed", m.reaffirmed_on, _("Interim measure reaffirmed in %(complaint)s")),
            ("lifted", m.lifted_on, _("Interim measure lifted in %(complaint)s")),
        ):
            yield from _entry(m, day, "interim_measure", kind, title % {"complaint": m.complaint})


def _committee_entries(case: Case) -> Iterator[TimelineEntry]:
    decisions = CommitteeDecision.objects.filter(complaint__case=case).select_related("complaint")
    for d in decisions.order_by("adopted_on", "id"):
        labels = {
            "kind": d.get_kind_display(),
            "outcome": d.get_outcome_display(),
            "decision": d.symbol or d.complaint,
        }
        for kind, day, title in (
            ("adopted", d.adopted_on, _("Committee decision on %(kind)s: %(outcome)s")),
            ("transmitted", d.transmitted_on, _("%(decision)s transmitted to the State")),
            (
                "follow_up_reply",
                d.follow_up_reply_on,
                _("The State's follow-up reply on %(decision)s"),
            ),
        ):
            yield from _entry(d, day, "committee", kind, title % labels)


def _note_entries(case: Case) -> Iterator[TimelineEntry]:
    for n in Note.objects.filter(case=case).order_by("occurred_on", "created_at", "id"):
        first_line = n.body.strip().splitlines()[0] if n.body.strip() else ""
        yield from _entry(n, n.occurred_on, "note", "note", Truncator(first_line).chars(120))


def _deadline_entries(case: Case) -> Iterator[TimelineEntry]:
    deadlines = Deadline.objects.filter(case=case).exclude(status=DeadlineStatus.CANCELLED)
    for d in deadlines.order_by("due_at", "id"):
        # A rule's title is in the catalogue (cases/migrations/0006); one typed by hand is not.
        what = _(d.title) if d.rule_id else d.title
        title = _("%(title)s (%(status)s)") % {"title": what, "status": d.get_status_display()}
        yield from _entry(d, d.due_date, "deadline", "due", title)


_TIMELINE_SOURCES = (
    _detention_entries,
    _extradition_entries,
    _refugee_status_entries,
    _complaint_entries,
    _interim_measure_entries,
    _committee_entries,
    _note_entries,
    _deadline_entries,
)


def case_timeline(*, case: Case) -> list[TimelineEntry]:
    """Every dated event of ``case`` across all forums, oldest first.

    Detentions started and ended; extradition requests received and surrendered, and each
    decision in them (decided, served); refugee-status applications, decisions and
    notifications; complaints submitted, registered, transmitted, answered by the State and
    due for comments; interim measures requested, granted, reaffirmed and lifted; committee
    decisions adopted, transmitted and followed up; notes; deadlines (not cancelled ones).

    One query per model (nine), however many records the case has. Within one day, entries
    follow ``TIMELINE_FORUMS``, then each record's own order. Pass a case fetched through
    ``Case.objects.visible_to(user)``: this function does not check access.
    """
    entries: list[TimelineEntry] = [e for source in _TIMELINE_SOURCES for e in source(case)]
    # A stable sort: entries of one day keep the order of the sources above.
    entries.sort(key=lambda e: e["date"])
    return entries
