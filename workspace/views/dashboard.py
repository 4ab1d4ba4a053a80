"""The dashboard: what needs the signed-in user's attention, from the cases they can see only.

Four lists (DESIGN §8): deadlines overdue or due within a week, new alerts (interim-measure
breaches first), high-risk people and why, and the latest activity. It lives in workspace, the
top of the dependency chain, because "high risk" is a rulings fact (``rulings.selectors``).

Each list is one query (two for the high-risk people: their statuses and the requests that
threaten them), so the page costs the same for one row or a thousand.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from cases.models import Alert, Case, CaseEvent, Deadline, DeadlineRule, ExtraditionRequest
from cases.models.deadlines import DUE_SOON_DAYS
from cases.views.alerts import alerts_by_priority
from casetracker.audit import Verb
from casetracker.pages import private
from organisations.selectors import reads_access_log
from people.models import Person
from rulings.choices import Authority
from rulings.selectors import THREATENING_REQUEST_STATUSES, people_high_risk
from workspace.selectors import latest_by_authority, visible_decisions

# The dashboard shows the first of each list; the inbox and the case list hold the rest.
NEW_ALERTS_SHOWN = 20
HIGH_RISK_SHOWN = 50
ACTIVITY_SHOWN = 20

# What an event's verb says happened (casetracker.audit.Verb), in words a reader understands.
VERB_LABELS = {
    Verb.CREATED: _("added"),
    Verb.UPDATED: _("changed"),
    Verb.DELETED: _("deleted"),
    Verb.CLOSED: _("closed"),
    Verb.REOPENED: _("reopened"),
    Verb.ENDED: _("ended"),
    Verb.SURRENDERED: _("surrendered"),
    Verb.LIFTED: _("lifted"),
    Verb.MET: _("met"),
    Verb.CANCELLED: _("cancelled"),
    Verb.OVERRIDDEN: _("overridden"),
    Verb.RECOMPUTED: _("recomputed"),
    Verb.ACKNOWLEDGED: _("acknowledged"),
    Verb.ANONYMISED: _("anonymised"),
    Verb.MERGED: _("merged"),
}


@dataclass
class DeadlineRow:
    deadline: Deadline
    overdue: bool
    #: Whole days past the due day (overdue) or until it (not yet due); 0 on the day itself.
    days: int


def _deadline_rows(user, now: datetime.datetime) -> list[DeadlineRow]:
    """Open deadlines past due or due within ``DUE_SOON_DAYS``, overdue first (the earliest due
    is the most overdue)."""
    deadlines = (
        Deadline.objects.visible_to(user)
        # A day more, then counted in days below: "due within 7 days" means by the end of the
        # seventh day in the deadline's own time zone, not 7 × 24 hours from this minute.
        .due_within(DUE_SOON_DAYS + 1, now=now)
        .select_related("case", "person", "rule", "responsible")
        .order_by("due_at", "pk")
    )
    rows = []
    for deadline in deadlines:
        # Days are counted in the deadline's own time zone, where its due day is a day.
        overdue, days = deadline.is_overdue_at(now), deadline.days_until_due(now)
        if overdue or days <= DUE_SOON_DAYS:
            rows.append(DeadlineRow(deadline=deadline, overdue=overdue, days=abs(days)))
    return rows


def _new_alerts(user) -> QuerySet[Alert]:
    alerts = Alert.objects.visible_to(user).unacknowledged().select_related("case")
    return alerts_by_priority(alerts)[:NEW_ALERTS_SHOWN]


@dataclass
class HighRiskRow:
    person: Person
    unhcr: object  # the RefugeeStatusDecision that recognised them, if the user may see it
    national: object  # the national decision that did not, if the user may see it
    requests: list[ExtraditionRequest]


def _high_risk_rows(user) -> list[HighRiskRow]:
    """High-risk people (rulings.selectors.people_high_risk) and the facts that make them so.

    The requests shown are those in cases the user can see; a person is flagged whatever case
    the request sits in, and the page then says only that one is pending.
    """
    threatening = (
        ExtraditionRequest.objects.visible_to(user)
        .filter(status__in=THREATENING_REQUEST_STATUSES)
        .order_by("received_on", "pk")
    )
    people = list(
        people_high_risk(Person.objects.visible_to(user))
        .prefetch_related(Prefetch("extradition_requests", threatening, to_attr="threats"))
        .order_by("family_name", "given_name", "pk")[:HIGH_RISK_SHOWN]
    )
    # The decisions shown are those in cases the user can see, like the person page: a decision
    # kept in a restricted case must not reach a reader who cannot open that case.
    latest = latest_by_authority(list(visible_decisions(user=user, people=people)))
    return [
        HighRiskRow(
            person=person,
            unhcr=latest.get(person.pk, {}).get(Authority.UNHCR_MANDATE),
            national=latest.get(person.pk, {}).get(Authority.NATIONAL),
            requests=person.threats,
        )
        for person in people
    ]


# Events that only echo another: the engine's deadlines follow the record that triggered them,
# and an acknowledged alert changes no record. Left out, they would bury what people did.
ECHO_KINDS = [f"deadline.{verb}" for verb in (Verb.CREATED, Verb.RECOMPUTED, Verb.CANCELLED)]


def _activity(user) -> list[CaseEvent]:
    """The latest changes to records of the cases the user can see, each with a ``what`` in
    words."""
    events = list(
        CaseEvent.objects.filter(case__in=Case.objects.visible_to(user))
        .exclude(kind__in=ECHO_KINDS)
        .exclude(kind__startswith="alert.")
        .select_related("case", "actor", "subject_type")
        .order_by("-at", "pk")[:ACTIVITY_SHOWN]
    )
    # A deadline's description starts with its rule's title, kept in English: the reader gets
    # the title from the catalogue (cases/migrations/0006), one query for all the rules.
    rule_titles = list(DeadlineRule.objects.values_list("title", flat=True))
    for event in events:
        model = event.subject_type.model_class()
        record = model._meta.verbose_name if model else event.subject_type.model
        verb = event.kind.rpartition(".")[2]
        event.what = {"record": record, "verb": VERB_LABELS.get(verb, verb)}
        event.subject_text = event.subject_repr
        if model is Deadline:
            title = next((t for t in rule_titles if event.subject_repr.startswith(t)), None)
            if title:
                event.subject_text = gettext(title) + event.subject_repr[len(title) :]
    return events


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    deadlines = _deadline_rows(user, now)
    context = {
        "now": now,
        "overdue": [row for row in deadlines if row.overdue],
        "due_soon": [row for row in deadlines if not row.overdue],
        "due_soon_days": DUE_SOON_DAYS,
        "new_alerts": list(_new_alerts(user)),
        "new_alerts_shown": NEW_ALERTS_SHOWN,
        "high_risk": _high_risk_rows(user),
        "activity": _activity(user),
        "reads_access_log": reads_access_log(user),
    }
    return private(render(request, "workspace/dashboard.html", context))
