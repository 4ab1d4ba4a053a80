"""Serializers of cases' records: they validate and shape; the services write."""

from django.contrib.auth import get_user_model
from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers

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
from cases.selectors import colleagues
from cases.services.cases import CASE_FIELDS
from cases.services.deadlines import (
    RULE_FIELDS,
)
from cases.services.proceedings import DECISION_FIELDS, DETENTION_FIELDS, REQUEST_FIELDS
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
        fields = (*TIMESTAMPS, "case", "person", *DETENTION_FIELDS)
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
        return colleagues(request.user, shares=False)


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
            "status",
            "opened_on",
            "closed_on",
            *CASE_FIELDS,
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
        fields = (*TIMESTAMPS, "case", "person", *REQUEST_FIELDS, "surrendered_on")
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
        fields = (*TIMESTAMPS, "request", "case", *DECISION_FIELDS)
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


# --- deadlines, alerts and documents -----------------------------------------------------


class ColleagueField(serializers.PrimaryKeyRelatedField):
    """A user by id, among the requesting user's colleagues: members of their organisations and
    of the organisations whose cases they see, and whoever those cases are shared with. Any
    other id is "does not exist", so other organisations' staff cannot be probed. The service
    then checks that the user can see the deadline's case."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return get_user_model().objects.none()
        return colleagues(request.user, shares=True)


class DeadlineRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeadlineRule
        fields = (
            *TIMESTAMPS,
            "code",
            "trigger_model",
            "trigger_field",
            *RULE_FIELDS,
            "rule_version",
        )
        read_only_fields = tuple(f for f in fields if f not in RULE_FIELDS)
        extra_kwargs = {
            **TIMESTAMPS_HELP,
            "code": {"help_text": "Stable name of the rule, e.g. “cat.follow_up”."},
            "title": {"help_text": "What falls due, in words."},
            "trigger_model": {"help_text": "The kind of record whose date starts the period."},
            "period": {"help_text": "How long the period runs, in ``unit``."},
            "unit": {
                "help_text": "Hours, days or months. Months are calendar months, clamped to "
                "the month's end (31 Aug + 6 months = 28/29 Feb)."
            },
            "timezone": {"help_text": "Deadlines end at the end of the due day in this zone."},
            "rule_version": {
                "help_text": "Goes up with every change; a deadline keeps the version it was "
                "computed with."
            },
            "active": {"help_text": "Inactive rules compute no new deadlines."},
        }


class DeadlineSerializer(serializers.ModelSerializer):
    case = VisibleRelatedField(queryset=Case.objects.all(), help_text="The case (UUID).")
    rule = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Code of the rule that computed it (see /deadline-rules/); null if entered "
        "by hand.",
    )
    due_on = serializers.DateField(
        write_only=True, help_text="The due day; the deadline ends at the end of it."
    )
    due_date = serializers.DateField(
        read_only=True, help_text="The due day, in the deadline's time zone."
    )
    is_overdue = serializers.BooleanField(
        read_only=True, help_text="Open and its due moment has passed."
    )
    is_overridden = serializers.BooleanField(
        read_only=True, help_text="Someone moved the computed due date (see override_reason)."
    )
    responsible = ColleagueField(
        required=False,
        allow_null=True,
        help_text="Who answers for it and is reminded (user id); someone who can see the case. "
        "Default: the case's lead.",
    )

    class Meta:
        model = Deadline
        fields = (
            "id",
            "created_at",
            "updated_at",
            "case",
            "person",
            "rule",
            "rule_version",
            "title",
            "basis_date",
            "due_on",
            "due_at",
            "due_date",
            "computed_due_at",
            "timezone",
            "explanation",
            "reminders",
            "status",
            "is_overdue",
            "is_overridden",
            "responsible",
            "met_on",
            "override_reason",
            "overridden_by",
        )
        read_only_fields = (
            "id",
            "created_at",
            "updated_at",
            "person",
            "rule_version",
            "basis_date",
            "due_at",
            "computed_due_at",
            "explanation",
            "reminders",
            "status",
            "met_on",
            "override_reason",
            "overridden_by",
        )
        extra_kwargs = {
            **TIMESTAMPS_HELP,
            "person": {"help_text": "The person it concerns (UUID); null for the whole case."},
            "rule_version": {"help_text": "The rule's version it was computed with."},
            "title": {"help_text": "What must happen, e.g. “State's reply to the complaint”."},
            "basis_date": {"help_text": "The date the period was counted from."},
            "due_at": {"help_text": "The due moment: end of the due day in its time zone."},
            "timezone": {
                "help_text": "Time zone of the due day, e.g. “Asia/Almaty” (the default)."
            },
            "explanation": {"help_text": "How the due date was computed, in words."},
            "reminders": {"help_text": "Days before the due date that raise a reminder."},
            "status": {"help_text": "Open, met, missed or cancelled (its record was deleted)."},
            "met_on": {"help_text": "When it was met; only for a met deadline."},
            "override_reason": {"help_text": "Why the computed due date was moved."},
            "overridden_by": {"help_text": "Who last moved the due date (user id)."},
        }


class DeadlineMetSerializer(serializers.Serializer):
    met_on = serializers.DateField(help_text="The day the awaited step was done.")


class DeadlineOverrideSerializer(serializers.Serializer):
    due_on = serializers.DateField(help_text="The new due day, e.g. the one a letter names.")
    reason = serializers.CharField(
        allow_blank=True,  # the service says what a reason is for, better than "blank"
        help_text="Why the computed date is replaced; required, shown on the timeline.",
    )


class NoBody(serializers.Serializer):
    """A verb that takes no arguments."""


class AlertSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alert
        fields = (
            "id",
            "created_at",
            "case",
            "deadline",
            "person",
            "kind",
            "level",
            "offset_days",
            "due_at",
            "message",
            "acknowledged_by",
            "acknowledged_at",
        )
        read_only_fields = fields
        extra_kwargs = {
            "id": {"help_text": "The alert's public identifier."},
            "created_at": {"help_text": "When it was raised."},
            "case": {"help_text": "The case (UUID)."},
            "deadline": {"help_text": "The deadline it is about (UUID); null for an event."},
            "person": {"help_text": "The person it concerns (UUID), if one."},
            "kind": {
                "help_text": "Reminder, due, overdue; or an event: an interim measure "
                "breached, a person at high risk."
            },
            "level": {"help_text": "Info, warning or critical."},
            "offset_days": {"help_text": "For a reminder: days before the due date."},
            "due_at": {"help_text": "The deadline's due moment when the alert was raised."},
            "message": {"help_text": "What happened, in words."},
            "acknowledged_by": {"help_text": "Who acknowledged it (user id)."},
            "acknowledged_at": {"help_text": "When it was acknowledged; null while new."},
        }


class DocumentSerializer(serializers.ModelSerializer):
    case = VisibleRelatedField(
        queryset=Case.objects.all(), help_text="The case the document is kept on (UUID)."
    )
    file = serializers.FileField(
        write_only=True,
        help_text="The file (multipart upload). Accepted by its content, not its name: PDF, "
        "PNG, JPEG, TIFF, Word (.docx), OpenDocument text or plain text. Larger than the "
        "server's limit (20 MB by default) answers 413.",
    )
    download_url = serializers.HyperlinkedIdentityField(
        view_name="document-download",
        help_text="Where to download the file; answers only to users who can see the case.",
    )

    class Meta:
        model = Document
        fields = (
            "id",
            "created_at",
            "updated_at",
            "case",
            "file",
            "title",
            "kind",
            "filename",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "download_url",
        )
        read_only_fields = (
            "id",
            "created_at",
            "updated_at",
            "filename",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
        )
        extra_kwargs = {
            "id": {"help_text": "The document's public identifier."},
            "created_at": {"help_text": "When it was uploaded."},
            "updated_at": {"help_text": "When the record last changed."},
            "title": {"help_text": "What the document is, e.g. “Prosecutor's decision”."},
            "kind": {"help_text": "Decision, submission, correspondence, evidence, identity…"},
            "filename": {"help_text": "The name the file was uploaded with."},
            "content_type": {"help_text": "The type found in the file's content."},
            "size": {"help_text": "Size in bytes."},
            "sha256": {"help_text": "SHA-256 of the content, to check a copy against."},
            "uploaded_by": {"help_text": "Who uploaded it (user id); null once that user is gone."},
        }
