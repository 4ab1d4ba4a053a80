"""Filters shared by the API and the browser UI (DESIGN §3): relations are filters, not nested
URLs (``/api/v1/complaints/?case=<uuid>``).

Relations are filtered by UUID value (``UUIDFilter``), not by a choice among existing records:
a choice filter would answer 400 for an unknown id and 200 for another organisation's, telling
the two apart. Here both simply match nothing.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from rulings.models import CommitteeDecision, Complaint, InterimMeasure, RefugeeStatusDecision


class StatusDecisionFilterSet(django_filters.FilterSet):
    case = django_filters.UUIDFilter(field_name="case", help_text=_("Decisions in this case."))
    person = django_filters.UUIDFilter(
        field_name="person", help_text=_("Decisions on this person's status.")
    )
    decided_after = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="gte", help_text=_("Decided on or after this date.")
    )
    decided_before = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="lte", help_text=_("Decided on or before this date.")
    )

    class Meta:
        model = RefugeeStatusDecision
        fields = ["case", "person", "authority", "outcome"]


class ComplaintFilterSet(django_filters.FilterSet):
    case = django_filters.UUIDFilter(field_name="case", help_text=_("Complaints in this case."))
    complainant = django_filters.UUIDFilter(
        field_name="complainants",
        help_text=_("Complaints naming this person as a complainant."),
    )

    class Meta:
        model = Complaint
        fields = ["case", "body", "status", "state_party", "complainant"]


class InterimMeasureFilterSet(django_filters.FilterSet):
    complaint = django_filters.UUIDFilter(
        field_name="complaint", help_text=_("Measures granted in this complaint.")
    )
    case = django_filters.UUIDFilter(
        field_name="complaint__case", help_text=_("Measures in this case's complaints.")
    )
    active_on = django_filters.DateFilter(
        method="filter_active_on",
        help_text=_("Measures in force on this date: granted by then and not lifted by then."),
    )

    class Meta:
        model = InterimMeasure
        fields = ["complaint", "case", "active_on"]

    def filter_active_on(self, queryset, name, value):
        return queryset.active_on(value)


class CommitteeDecisionFilterSet(django_filters.FilterSet):
    complaint = django_filters.UUIDFilter(
        field_name="complaint", help_text=_("Decisions on this complaint.")
    )
    case = django_filters.UUIDFilter(
        field_name="complaint__case", help_text=_("Decisions on this case's complaints.")
    )

    class Meta:
        model = CommitteeDecision
        fields = ["complaint", "case", "kind", "outcome"]
