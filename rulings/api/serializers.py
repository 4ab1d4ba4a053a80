"""Serializers of rulings: they validate and shape; the services write.

Every field carries a description for the OpenAPI schema (issue #4: "every field described").
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Case
from casetracker.api.fields import VisibleRelatedField
from people.models import Person
from rulings.models import CommitteeDecision, Complaint, InterimMeasure, RefugeeStatusDecision
from rulings.services import (
    COMMITTEE_DECISION_FIELDS,
    COMPLAINT_FIELDS,
    MEASURE_FIELDS,
    STATUS_DECISION_FIELDS,
)

TIMESTAMPS = ("id", "created_at", "updated_at")
TIMESTAMP_HELP = {
    "id": {"help_text": _("The record's UUID.")},
    "created_at": {"help_text": _("When the record was created.")},
    "updated_at": {"help_text": _("When the record last changed.")},
}


def _case_field(text) -> VisibleRelatedField:
    return VisibleRelatedField(queryset=Case.objects.all(), help_text=text)


class StatusDecisionSerializer(serializers.ModelSerializer):
    case = _case_field(
        _("The case (UUID). Set when the decision is recorded; it cannot be changed.")
    )
    person = VisibleRelatedField(
        queryset=Person.objects.all(),
        help_text=_(
            "The person whose status is decided (UUID), a party to the case. Set when the "
            "decision is recorded; it cannot be changed."
        ),
    )
    appeal_of = VisibleRelatedField(
        queryset=RefugeeStatusDecision.objects.all(),
        allow_null=True,
        required=False,
        help_text=_(
            "The decision this one rules on, on appeal (UUID): a decision on the same person, "
            "dated no later than this one."
        ),
    )

    class Meta:
        model = RefugeeStatusDecision
        fields = (*TIMESTAMPS, "case", "person", *STATUS_DECISION_FIELDS)
        read_only_fields = TIMESTAMPS
        extra_kwargs = {
            **TIMESTAMP_HELP,
            "authority": {
                "help_text": _(
                    "Who decided: UNHCR under its mandate, the national authority, or a court. "
                    "The latest decision of each authority is the person's status under it."
                )
            },
            "body": {"help_text": _("The deciding body, e.g. “Migration Police, Almaty”.")},
            "outcome": {
                "help_text": _(
                    "What was decided. “pending” records an application not yet decided: give "
                    "applied_on and leave decided_on empty."
                )
            },
            "applied_on": {
                "help_text": _(
                    "When the application (or appeal) was lodged; the authority's time limit "
                    "runs from it."
                )
            },
            "decided_on": {
                "help_text": _(
                    "When the decision was made. Required unless the outcome is “pending”."
                )
            },
            "notified_on": {
                "help_text": _(
                    "When the person was told of the decision: appeal periods run from it."
                )
            },
            "grounds": {"help_text": _("The reasons given in the decision.")},
        }


class ComplaintSerializer(serializers.ModelSerializer):
    case = _case_field(
        _("The case (UUID). Set when the complaint is recorded; it cannot be changed.")
    )
    complainants = VisibleRelatedField(
        queryset=Person.objects.all(),
        many=True,
        help_text=_(
            "The people on whose behalf the complaint is made (UUIDs), each a party to the "
            "case; at least one."
        ),
    )

    class Meta:
        model = Complaint
        fields = (*TIMESTAMPS, "case", "complainants", *COMPLAINT_FIELDS)
        read_only_fields = TIMESTAMPS
        # The model's own uniqueness rule answers, against the field to correct (``number``).
        validators = []
        extra_kwargs = {
            **TIMESTAMP_HELP,
            "body": {"help_text": _("The UN treaty body the complaint is made to, e.g. CAT.")},
            "state_party": {
                "help_text": _("The State complained against (ISO 3166 code, e.g. KZ).")
            },
            "counsel": {"help_text": _("Who represents the complainants before the Committee.")},
            "number": {
                "help_text": _(
                    "The communication number the Committee gave, e.g. “444/2010”; unique per "
                    "case and treaty body."
                )
            },
            "submitted_on": {"help_text": _("When the complaint was sent to the Committee.")},
            "registered_on": {"help_text": _("When the Committee registered it.")},
            "transmitted_on": {
                "help_text": _(
                    "When the Committee transmitted it to the State: the State's reply period "
                    "runs from it."
                )
            },
            "state_reply_on": {
                "help_text": _("When the State replied; needs the date of transmission.")
            },
            "comments_due_on": {
                "help_text": _(
                    "The date for counsel's comments on the State's reply, as set in the "
                    "Committee's letter."
                )
            },
            "status": {"help_text": _("Where the complaint stands before the Committee.")},
        }


class InterimMeasureSerializer(serializers.ModelSerializer):
    complaint = VisibleRelatedField(
        queryset=Complaint.objects.all(),
        help_text=_(
            "The complaint in which the Committee asked for the measure (UUID). Set when the "
            "measure is recorded; it cannot be changed."
        ),
    )
    case = serializers.UUIDField(
        source="complaint.case_id", read_only=True, help_text=_("The complaint's case (UUID).")
    )

    class Meta:
        model = InterimMeasure
        fields = (*TIMESTAMPS, "complaint", "case", *MEASURE_FIELDS, "lifted_on")
        read_only_fields = (*TIMESTAMPS, "lifted_on")
        extra_kwargs = {
            **TIMESTAMP_HELP,
            "requested_on": {"help_text": _("When counsel asked the Committee for the measure.")},
            "granted_on": {
                "help_text": _(
                    "When the Committee asked the State to take the measure; it is in force "
                    "from this date until it is lifted."
                )
            },
            "reaffirmed_on": {"help_text": _("When the Committee repeated its request.")},
            "lifted_on": {
                "help_text": _(
                    "When the Committee lifted the measure; set with POST "
                    "/interim-measures/{id}/lift/."
                )
            },
            "scope": {
                "help_text": _(
                    "What the State is asked to do or not do; by default not to extradite or "
                    "deport the complainants while the complaint is examined."
                )
            },
        }


class InterimMeasureLiftSerializer(serializers.Serializer):
    lifted_on = serializers.DateField(
        help_text=_("The day the Committee lifted the measure, not before it was granted.")
    )


class CommitteeDecisionSerializer(serializers.ModelSerializer):
    complaint = VisibleRelatedField(
        queryset=Complaint.objects.all(),
        help_text=_(
            "The complaint decided (UUID). Set when the decision is recorded; it cannot be changed."
        ),
    )
    case = serializers.UUIDField(
        source="complaint.case_id", read_only=True, help_text=_("The complaint's case (UUID).")
    )

    class Meta:
        model = CommitteeDecision
        fields = (*TIMESTAMPS, "complaint", "case", *COMMITTEE_DECISION_FIELDS)
        read_only_fields = TIMESTAMPS
        extra_kwargs = {
            **TIMESTAMP_HELP,
            "kind": {"help_text": _("A decision on admissibility, on the merits, or to stop.")},
            "symbol": {"help_text": _("The document symbol, e.g. “CAT/C/48/D/444/2010”.")},
            "adopted_on": {
                "help_text": _("When the Committee adopted it; not before the complaint.")
            },
            "transmitted_on": {
                "help_text": _(
                    "When it was transmitted to the State: follow-up periods run from it."
                )
            },
            "outcome": {"help_text": _("What the Committee found.")},
            "articles": {
                "help_text": _("The articles of the treaty concerned, e.g. “3” or “3, 22”.")
            },
            "remedies": {"help_text": _("What the Committee asks the State to do.")},
            "follow_up_reply_on": {"help_text": _("When the State replied on what it has done.")},
            "follow_up_assessment": {
                "help_text": _("The Committee's assessment of the State's follow-up.")
            },
        }
