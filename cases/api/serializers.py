"""Serializers of cases' records: they validate and shape; the services write."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers

from cases.models import (
    Case,
    CaseAccess,
    CaseParty,
    Detention,
    Document,
    ExtraditionDecision,
    ExtraditionRequest,
    Note,
)
from casetracker.api.fields import VisibleRelatedField
from organisations.models import Organisation
from people.models import Person

User = get_user_model()

TIMESTAMPS = ("id", "created_at", "updated_at")
TIMESTAMPS_HELP = {
    "id": {"help_text": "The record's public identifier (UUID)."},
    "created_at": {"help_text": "When the record was created."},
    "updated_at": {"help_text": "When the record was last changed."},
}


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
        extra_kwargs = {
            **TIMESTAMPS_HELP,
            "facility": {"help_text": "Where the person is held, e.g. a temporary facility."},
            "location": {"help_text": "The town or address of the facility."},
            "authority": {"help_text": "Who detains the person, e.g. the city police."},
            "basis": {"help_text": "The legal basis of the detention."},
            "started_on": {"help_text": "The first day in detention."},
            "ended_on": {"help_text": "The last day in detention; empty while it lasts."},
            "end_reason": {"help_text": "Why the detention ended; only with ended_on."},
            "notes": {"help_text": "Anything else worth knowing about the detention."},
        }


class DetentionEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(help_text="The last day in detention.")
    end_reason = serializers.ChoiceField(
        choices=Detention._meta.get_field("end_reason").choices,
        help_text="Under an active interim measure, extradited/deported/transferred raise a "
        "critical breach alert at once.",
    )


class _MemberField(serializers.PrimaryKeyRelatedField):
    """A user by id, among the active members of the organisations the requesting user belongs
    to or sees cases of (a case shared with an outside caseworker): the ids of other
    organisations' staff are "does not exist" here."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return User.objects.none()
        user = request.user
        seen = Case.objects.visible_to(user).values("organisation")
        return User.objects.filter(
            Q(memberships__organisation__in=Organisation.objects.visible_to(user))
            | Q(memberships__organisation__in=seen),
            is_active=True,
        ).distinct()


class CaseSerializer(serializers.ModelSerializer):
    organisation = VisibleRelatedField(
        queryset=Organisation.objects.all(),
        help_text="The organisation that owns the case (UUID), one you are a member of. Set "
        "when the case is opened; it cannot move to another organisation.",
    )
    lead = _MemberField(
        allow_null=True,
        required=False,
        help_text="The user who leads the case (user id), a member of its organisation.",
    )
    parties = serializers.PrimaryKeyRelatedField(
        many=True,
        read_only=True,
        help_text="The people party to the case (UUIDs). Add and remove them through "
        "/api/v1/case-parties/.",
    )

    class Meta:
        model = Case
        fields = (
            *TIMESTAMPS,
            "organisation",
            "reference",
            "title",
            "status",
            "opened_on",
            "closed_on",
            "summary",
            "restricted",
            "lead",
            "parties",
        )
        read_only_fields = (*TIMESTAMPS, "status", "closed_on")
        # Uniqueness is the model's rule; it answers with the field to correct (``reference``).
        validators = []
        extra_kwargs = {
            **TIMESTAMPS_HELP,
            "reference": {"help_text": "Unique within the organisation, e.g. ALA-2010-001."},
            "title": {"help_text": "A short title, e.g. the group's or the person's name."},
            "status": {"help_text": "open or closed; changed with the close and reopen verbs."},
            "opened_on": {"help_text": "The day the organisation took the case. Set on opening."},
            "closed_on": {"help_text": "The day the case was closed; set by the close verb."},
            "summary": {"help_text": "What the case is about, in a few paragraphs."},
            "restricted": {
                "help_text": "Visible only to the people it is shared with and to the "
                "organisation's admins. Only admins may change it."
            },
        }


class CaseCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(
        help_text="The day the case closed, not before it opened. Its open deadlines are cancelled."
    )


class CasePartySerializer(serializers.ModelSerializer):
    case = VisibleRelatedField(queryset=Case.objects.all(), help_text="The case (UUID).")
    person = VisibleRelatedField(
        queryset=Person.objects.all(),
        help_text="The person (UUID), of the case's organisation.",
    )

    class Meta:
        model = CaseParty
        fields = (*TIMESTAMPS, "case", "person", "role")
        read_only_fields = TIMESTAMPS
        validators = []
        extra_kwargs = {
            **TIMESTAMPS_HELP,
            "role": {"help_text": "principal (a person the case defends), family or witness."},
        }


class CaseAccessSerializer(serializers.ModelSerializer):
    case = VisibleRelatedField(
        queryset=Case.objects.all(),
        help_text="The case shared (UUID). A share cannot move to another case.",
    )
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        help_text="The user the case is shared with (user id), e.g. an outside lawyer. A share "
        "cannot move to another user.",
        error_messages={"does_not_exist": "No active user has the id {pk_value}."},
    )

    class Meta:
        model = CaseAccess
        fields = (*TIMESTAMPS, "case", "user", "role", "granted_by")
        read_only_fields = (*TIMESTAMPS, "granted_by")
        validators = []
        extra_kwargs = {
            **TIMESTAMPS_HELP,
            "role": {
                "help_text": "lawyer (read, file notes and documents, record decisions), "
                "caseworker (as an organisation's caseworker) or viewer (read only)."
            },
            "granted_by": {"help_text": "Who shared the case (user id)."},
        }

    def validate(self, attrs):
        if self.instance is None:
            if CaseAccess.objects.filter(case=attrs["case"], user=attrs["user"]).exists():
                raise serializers.ValidationError(
                    {
                        "user": "The case is already shared with this user: change the role of "
                        "that share with PATCH instead."
                    }
                )
            return attrs
        for name in ("case", "user"):
            if name in attrs and attrs[name] != getattr(self.instance, name):
                raise serializers.ValidationError(
                    {name: "A share cannot move: revoke it and share the case again."}
                )
        return attrs


class ExtraditionRequestSerializer(CountryFieldMixin, serializers.ModelSerializer):
    case = VisibleRelatedField(queryset=Case.objects.all(), help_text="The case (UUID).")
    person = VisibleRelatedField(
        queryset=Person.objects.all(),
        help_text="The person whose surrender is requested, a party to the case (UUID).",
    )

    class Meta:
        model = ExtraditionRequest
        fields = (
            *TIMESTAMPS,
            "case",
            "person",
            "requesting_state",
            "requested_state",
            "reference",
            "received_on",
            "charges",
            "treaty",
            "diplomatic_assurances",
            "status",
            "surrendered_on",
        )
        read_only_fields = (*TIMESTAMPS, "surrendered_on")
        extra_kwargs = {
            **TIMESTAMPS_HELP,
            "requesting_state": {"help_text": "The State asking for the person (ISO 3166 code)."},
            "requested_state": {"help_text": "The State asked to surrender (ISO 3166 code)."},
            "reference": {"help_text": "The requesting State's reference, if known."},
            "received_on": {"help_text": "The day the requested State received the request."},
            "charges": {"help_text": "What the person is charged with, as the request says."},
            "treaty": {"help_text": "The treaty the request relies on."},
            "diplomatic_assurances": {
                "help_text": "Assurances the requesting State gave, e.g. against torture."
            },
            "status": {
                "help_text": "pending, granted, refused or withdrawn; a surrender is recorded "
                "with the surrender verb."
            },
            "surrendered_on": {"help_text": "The day of surrender; set by the surrender verb."},
        }


class ExtraditionSurrenderSerializer(serializers.Serializer):
    surrendered_on = serializers.DateField(
        help_text="The day the person was handed over. Under an active interim measure this "
        "raises a critical breach alert at once."
    )


class ExtraditionDecisionSerializer(serializers.ModelSerializer):
    request = VisibleRelatedField(
        queryset=ExtraditionRequest.objects.all(),
        help_text="The extradition request ruled on (UUID).",
    )
    case = serializers.UUIDField(
        source="request.case_id", read_only=True, help_text="The request's case (UUID)."
    )

    class Meta:
        model = ExtraditionDecision
        fields = (
            *TIMESTAMPS,
            "request",
            "case",
            "stage",
            "body",
            "decided_on",
            "served_on",
            "outcome",
            "notes",
        )
        read_only_fields = TIMESTAMPS
        extra_kwargs = {
            **TIMESTAMPS_HELP,
            "stage": {
                "help_text": "prosecutor, first_instance, appeal, cassation or supreme: a stage "
                "cannot be dated before the earlier stage it reviews."
            },
            "body": {"help_text": "The deciding body, e.g. the city court of Almaty."},
            "decided_on": {"help_text": "The day of the decision."},
            "outcome": {"help_text": "What was decided."},
            "notes": {"help_text": "Anything else worth knowing about the decision."},
        }


class NoteSerializer(serializers.ModelSerializer):
    case = VisibleRelatedField(queryset=Case.objects.all(), help_text="The case (UUID).")
    documents = VisibleRelatedField(
        queryset=Document.objects.all(),
        many=True,
        required=False,
        help_text="Documents of the same case attached to the note (UUIDs).",
    )

    class Meta:
        model = Note
        fields = (*TIMESTAMPS, "case", "author", "occurred_on", "body", "documents")
        read_only_fields = (*TIMESTAMPS, "author")
        extra_kwargs = {
            **TIMESTAMPS_HELP,
            "author": {"help_text": "Who filed the note (user id)."},
            "occurred_on": {"help_text": "The day of what the note reports, e.g. a hearing."},
            "body": {"help_text": "The update, e.g. what happened at the hearing."},
        }
