"""Filters shared by the API and the browser UI (DESIGN §3): relations are filters, not nested
URLs (``/api/v1/detentions/?person=<uuid>``)."""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from cases.models import (
    Alert,
    Case,
    CaseAccess,
    CaseParty,
    Deadline,
    DeadlineRule,
    Detention,
    Document,
    ExtraditionDecision,
    ExtraditionRequest,
    Note,
)
from people.search import name_key
from people.selectors import person_search

# How many of the best-matching people a case search looks among: enough for a group case's
# every principal, few enough that the search stays one bounded query.
CASE_SEARCH_PEOPLE = 200


class DetentionFilterSet(django_filters.FilterSet):
    case = django_filters.UUIDFilter(help_text="Detentions in this case (UUID).")
    person = django_filters.UUIDFilter(help_text="Detentions of this person (UUID).")
    started_after = django_filters.DateFilter(
        field_name="started_on", lookup_expr="gte", help_text="Begun on or after this day."
    )
    started_before = django_filters.DateFilter(
        field_name="started_on", lookup_expr="lte", help_text="Begun on or before this day."
    )
    ongoing = django_filters.BooleanFilter(
        field_name="ended_on",
        lookup_expr="isnull",
        help_text="true: detentions not yet ended; false: ended ones.",
    )

    class Meta:
        model = Detention
        fields = ["basis", "end_reason"]


# Relations by UUID without a lookup: a well-formed UUID of a record the user may not see
# filters to nothing, exactly like one that does not exist.
def _uuid(field_name: str, help_text: str) -> django_filters.UUIDFilter:
    return django_filters.UUIDFilter(field_name=field_name, help_text=help_text)


def _date(field_name: str, lookup_expr: str, help_text: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name=field_name, lookup_expr=lookup_expr, help_text=help_text
    )


class CaseFilterSet(django_filters.FilterSet):
    opened_after = _date("opened_on", "gte", "Cases opened on or after this day.")
    opened_before = _date("opened_on", "lte", "Cases opened on or before this day.")
    lead = django_filters.NumberFilter(field_name="lead", help_text="Cases led by this user (id).")
    person = _uuid("parties", "Cases this person (UUID) is party to.")
    restricted = django_filters.BooleanFilter(
        help_text="true: restricted cases only; false: unrestricted ones."
    )
    organisation = _uuid("organisation", "Cases of this organisation (UUID).")
    q = django_filters.CharFilter(
        method="filter_search",
        help_text=(
            "Cases whose reference or title contains this text, or with a party whose name "
            "resembles it in any spelling or script (Cyrillic or Latin)."
        ),
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        help_text="true: cases with an open deadline past due; false: cases without one.",
    )

    class Meta:
        model = Case
        fields = ["status"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        matches = Q(reference__icontains=text) | Q(title__icontains=text)
        user = getattr(self.request, "user", None)
        # A query without a letter ("2010-001") names no one: only the reference can match.
        if user is not None and name_key(text):
            # The name search folds spellings and scripts (people/search.py), and sees only the
            # people the user may see: it never reveals another organisation's clients.
            people = [p.pk for p in person_search(user=user, query=text, limit=CASE_SEARCH_PEOPLE)]
            if people:
                parties = CaseParty.objects.filter(person__in=people).values("case_id")
                matches |= Q(pk__in=parties)
        return queryset.filter(matches)

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = Exists(Deadline.objects.overdue().filter(case=OuterRef("pk")))
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class CasePartyFilterSet(django_filters.FilterSet):
    case = _uuid("case", "Parties to this case (UUID).")
    person = _uuid("person", "This person's parts in cases (UUID).")

    class Meta:
        model = CaseParty
        fields = ["role"]


class CaseAccessFilterSet(django_filters.FilterSet):
    case = _uuid("case", "Shares of this case (UUID).")
    user = django_filters.NumberFilter(field_name="user", help_text="Shares with this user (id).")

    class Meta:
        model = CaseAccess
        fields = ["role"]


class ExtraditionRequestFilterSet(django_filters.FilterSet):
    case = _uuid("case", "Requests in this case (UUID).")
    person = _uuid("person", "Requests for this person (UUID).")
    received_after = _date("received_on", "gte", "Requests received on or after this day.")
    received_before = _date("received_on", "lte", "Requests received on or before this day.")

    class Meta:
        model = ExtraditionRequest
        fields = ["status", "requesting_state"]


class ExtraditionDecisionFilterSet(django_filters.FilterSet):
    request = _uuid("request", "Decisions on this extradition request (UUID).")
    case = _uuid("request__case", "Decisions in this case (UUID).")
    decided_after = _date("decided_on", "gte", "Decisions made on or after this day.")
    decided_before = _date("decided_on", "lte", "Decisions made on or before this day.")

    class Meta:
        model = ExtraditionDecision
        fields = ["stage", "outcome"]


class NoteFilterSet(django_filters.FilterSet):
    case = _uuid("case", "Notes on this case (UUID).")
    occurred_after = _date("occurred_on", "gte", "Notes about days on or after this one.")
    occurred_before = _date("occurred_on", "lte", "Notes about days on or before this one.")

    class Meta:
        model = Note
        fields = []


class DocumentFilterSet(django_filters.FilterSet):
    case = _uuid("case", "Documents kept on this case (UUID).")
    uploaded_after = django_filters.IsoDateTimeFilter(
        field_name="created_at",
        lookup_expr="gte",
        help_text="Documents uploaded at or after this moment (ISO 8601).",
    )

    class Meta:
        model = Document
        fields = ["kind"]


class DeadlineRuleFilterSet(django_filters.FilterSet):
    active = django_filters.BooleanFilter(
        help_text="true: rules that compute new deadlines; false: those switched off."
    )

    class Meta:
        model = DeadlineRule
        fields = ["active", "trigger_model", "unit"]


class DeadlineFilterSet(django_filters.FilterSet):
    case = _uuid("case", "Deadlines of this case (UUID).")
    rule = django_filters.CharFilter(
        field_name="rule__code",
        help_text="Deadlines computed by this rule: its code, e.g. cat.state_reply.",
    )
    responsible = django_filters.NumberFilter(
        field_name="responsible", help_text="Deadlines this user (id) answers for."
    )
    # By the day of the due moment in the server's time zone (UTC unless TIME_ZONE says
    # otherwise): the deadlines' own zones differ, and a day filter must be one comparison.
    due_before = _date("due_at", "date__lte", "Deadlines due on or before this day.")
    due_after = _date("due_at", "date__gte", "Deadlines due on or after this day.")

    class Meta:
        model = Deadline
        fields = ["status"]


class AlertFilterSet(django_filters.FilterSet):
    case = _uuid("case", "Alerts on this case (UUID).")
    deadline = _uuid("deadline", "Alerts about this deadline (UUID).")
    acknowledged = django_filters.BooleanFilter(
        field_name="acknowledged_at",
        lookup_expr="isnull",
        exclude=True,
        help_text="true: only acknowledged alerts; false: only those still new.",
    )
    raised_after = django_filters.IsoDateTimeFilter(
        field_name="created_at",
        lookup_expr="gte",
        help_text="Alerts raised at or after this moment (ISO 8601).",
    )

    class Meta:
        model = Alert
        fields = ["kind", "level"]
