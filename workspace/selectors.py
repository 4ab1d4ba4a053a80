"""The reads that compose every app, for the workspace's pages; they live in workspace, the top
of the dependency chain, because they read every forum.

- The timeline of one case: the dated events of every forum, merged (the case page, its chart
  and ``/api/v1/cases/<id>/timeline/``).
- What the case page, the person page and the dashboard say about people, for a whole list in
  a few queries. A person's status is read from the decisions the user may see
  (``visible_to``): a decision recorded in a restricted case must not reach, through a status
  column, a user who may not open that case. The two flags, protected by an interim measure
  and high risk, are safety facts: they come from ``rulings.selectors``, the one place that
  defines them.
"""

import datetime
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import TypedDict

from django.db.models import Count, F, Max, Model, Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from cases.choices import DeadlineStatus
from cases.models import (
    Case,
    Deadline,
    Detention,
    ExtraditionDecision,
    ExtraditionRequest,
    Note,
)
from casetracker.models import AccessLogEntry
from organisations.models import Membership
from organisations.selectors import administered_organisations
from people.models import Person
from rulings.choices import Authority, StatusOutcome
from rulings.models import CommitteeDecision, Complaint, InterimMeasure, RefugeeStatusDecision
from rulings.selectors import latest_decisions, people_high_risk


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


# --- people on the pages ---------------------------------------------------------------

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
    """Each person's current status under ``PAGE_AUTHORITIES`` among ``decisions``."""
    return latest_decisions(decisions, authorities=PAGE_AUTHORITIES)


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


# --- the read audit --------------------------------------------------------------------------

SEEN_BY_SHOWN = 20


def who_has_seen(*, case_id=None, person_id=None) -> list[dict]:
    """Who read this case's or this person's file, latest first, with how often (one query):
    for the organisation's admins on the case and person pages."""
    entries = AccessLogEntry.objects.filter(denied=False)
    entries = entries.filter(case_id=case_id) if case_id else entries.filter(person_id=person_id)
    return list(
        entries.values("username")
        .annotate(last=Max("at"), reads=Count("id"))
        .order_by("-last")[:SEEN_BY_SHOWN]
    )


def access_log_visible_to(user) -> QuerySet[AccessLogEntry]:
    """The entries an organisation's admin may read: reads of their organisation's cases and
    people, and their members' reads tied to no one's file (lists, searches, the log itself);
    a member's reads of another organisation's files stay with that organisation. A platform
    operator reads them all."""
    if user.is_superuser:
        return AccessLogEntry.objects.all()
    organisations = administered_organisations(user)
    cases = Case.objects.filter(organisation__in=organisations).values("id")
    people = Person.objects.filter(organisation__in=organisations).values("id")
    members = Membership.objects.filter(organisation__in=organisations).values("user_id")
    return AccessLogEntry.objects.filter(
        Q(case_id__in=cases)
        | Q(person_id__in=people)
        | Q(user_id__in=members, case_id__isnull=True, person_id__isnull=True)
    )


def merged_target(*, user, person_id) -> Person | None:
    """The record that the record ``person_id`` was merged into (issue #12), if ``user`` may
    see it: the merged record's old address redirects there. None for a record never merged,
    and for a user who may not see the kept record (who then gets the 404 of a hidden one).
    A merge re-points the records merged earlier into the merged one, so one step suffices."""
    return Person.objects.visible_to(user).filter(merged_records__pk=person_id).first()
