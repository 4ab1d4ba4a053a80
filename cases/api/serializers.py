"""Serializers of cases' records: they validate and shape; the services write."""

from rest_framework import serializers

from cases.models import Case, Detention
from casetracker.api.fields import VisibleRelatedField
from people.models import Person

TIMESTAMPS = ("id", "created_at", "updated_at")


class DetentionSerializer(serializers.ModelSerializer):
    case = VisibleRelatedField(queryset=Case.objects.all(), help_text="The case (UUID).")
    person = VisibleRelatedField(
        queryset=Person.objects.all(), help_text="The detained person, a party to the case (UUID)."
    )

    class Meta:
        model = Detention
        fields = (
            *TIMESTAMPS,
            "case",
            "person",
            "facility",
            "location",
            "authority",
            "basis",
            "started_on",
            "ended_on",
            "end_reason",
            "notes",
        )
        read_only_fields = TIMESTAMPS


class DetentionEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(help_text="The last day in detention.")
    end_reason = serializers.ChoiceField(
        choices=Detention._meta.get_field("end_reason").choices,
        help_text="Under an active interim measure, extradited/deported/transferred raise a "
        "critical breach alert at once.",
    )
