"""Filters shared by the API and the browser UI (DESIGN §3): relations are filters, not nested
URLs (``/api/v1/detentions/?person=<uuid>``)."""

import django_filters

from cases.models import Detention


class DetentionFilterSet(django_filters.FilterSet):
    started_after = django_filters.DateFilter(field_name="started_on", lookup_expr="gte")
    started_before = django_filters.DateFilter(field_name="started_on", lookup_expr="lte")
    ongoing = django_filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull")

    class Meta:
        model = Detention
        fields = ["case", "person", "basis", "end_reason"]
