"""``/api/v1/deadline-rules/``, ``/deadlines/`` and ``/alerts/`` (DESIGN §6, §7).

Rules are public law, the same for every organisation: every signed-in user reads them, and
only a platform operator changes one (its version goes up). Deadlines and alerts are case data,
scoped like every record. A deadline's computed fields never change by PATCH: the verbs say
what happened (met, missed, overridden with a reason, reopened), each through its service.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.decorators import action

from cases.filtersets import AlertFilterSet, DeadlineFilterSet, DeadlineRuleFilterSet
from cases.models import Alert, Case, Deadline, DeadlineRule
from cases.services.alerts import alert_acknowledge
from cases.services.deadlines import (
    RULE_FIELDS,
    deadline_create,
    deadline_mark_met,
    deadline_mark_missed,
    deadline_override,
    deadline_reopen,
    deadline_rule_update,
)
from casetracker.api.base import ReadOnlyScopedViewSet, ScopedViewSet
from casetracker.api.fields import VisibleRelatedField
from casetracker.api.pagination import CursorPage
from organisations.models import Membership

TIMESTAMPS = {
    "id": {"help_text": "The record's public identifier."},
    "created_at": {"help_text": "When the record was created."},
    "updated_at": {"help_text": "When the record last changed."},
}


class ColleagueField(serializers.PrimaryKeyRelatedField):
    """A user by id, among the requesting user's colleagues: members of their organisations and
    of the organisations whose cases they see, and whoever those cases are shared with. Any
    other id is "does not exist", so other organisations' staff cannot be probed. The service
    then checks that the user can see the deadline's case."""

    def get_queryset(self):
        users = get_user_model().objects.filter(is_active=True)
        request = self.context.get("request")
        if request is None:
            return users.none()
        cases = Case.objects.visible_to(request.user)
        organisations = Membership.objects.filter(user=request.user).values("organisation_id")
        return users.filter(
            Q(memberships__organisation__in=organisations)
            | Q(memberships__organisation__in=cases.values("organisation_id"))
            | Q(case_access__case__in=cases)
        ).distinct()


# --- deadline rules ---------------------------------------------------------------------


class DeadlineRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeadlineRule
        fields = (
            "id",
            "created_at",
            "updated_at",
            "code",
            "title",
            "body",
            "trigger_model",
            "trigger_field",
            "trigger_condition",
            "trigger_label",
            "met_field",
            "period",
            "unit",
            "roll_forward",
            "calendar_country",
            "timezone",
            "reminders",
            "source",
            "rule_version",
            "active",
        )
        read_only_fields = tuple(f for f in fields if f not in RULE_FIELDS)
        extra_kwargs = {
            **TIMESTAMPS,
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


class OperatorWrites(permissions.BasePermission):
    """Rules are shared by every organisation: only a platform operator changes them."""

    message = _("Only a platform operator may change deadline rules.")

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or request.user.is_superuser


class RulePage(CursorPage):
    ordering = "code"


class DeadlineRuleViewSet(ScopedViewSet):
    """How each legal deadline is computed, with its source. Change one with PATCH (platform
    operators only); its version goes up and existing deadlines keep theirs."""

    queryset = DeadlineRule.objects.all()
    serializer_class = DeadlineRuleSerializer
    filterset_class = DeadlineRuleFilterSet
    pagination_class = RulePage
    permission_classes = [permissions.IsAuthenticated, OperatorWrites]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        # Not case data: the rules are public law, the same for every organisation.
        return DeadlineRule.objects.all()

    def update_record(self, instance, data):
        return deadline_rule_update(acting_user=self.request.user, rule=instance, **data)


# --- deadlines --------------------------------------------------------------------------


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
            **TIMESTAMPS,
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


class DeadlineViewSet(ScopedViewSet):
    """Deadlines of the cases you can see, computed from rules or entered by hand. POST enters
    one by hand; the verbs record what happened. Nothing is edited or deleted directly: a
    computed deadline follows its record (cancelled when the record is deleted)."""

    queryset = Deadline.objects.select_related("rule")
    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def create_record(self, data):
        return deadline_create(acting_user=self.request.user, **data)

    @extend_schema(request=DeadlineMetSerializer, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def met(self, request, pk=None):
        """Mark an open deadline met (needs the right to file on the case)."""
        return self.verb(
            DeadlineMetSerializer,
            lambda deadline, data: deadline_mark_met(
                acting_user=request.user, deadline=deadline, **data
            ),
        )

    @extend_schema(request=DeadlineOverrideSerializer, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def override(self, request, pk=None):
        """Move an open deadline's due date, with the reason (the computed date is kept)."""
        return self.verb(
            DeadlineOverrideSerializer,
            lambda deadline, data: deadline_override(
                acting_user=request.user, deadline=deadline, **data
            ),
        )

    @extend_schema(request=None, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def missed(self, request, pk=None):
        """Mark an open deadline missed (needs the right to change the case's records)."""
        return self.verb(
            NoBody,
            lambda deadline, data: deadline_mark_missed(
                acting_user=request.user, deadline=deadline
            ),
        )

    @extend_schema(request=None, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen a met, missed or cancelled deadline (e.g. marked met by mistake)."""
        return self.verb(
            NoBody,
            lambda deadline, data: deadline_reopen(acting_user=request.user, deadline=deadline),
        )


# --- alerts -----------------------------------------------------------------------------


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


class AlertViewSet(ReadOnlyScopedViewSet):
    """The alerts raised on the cases you can see, newest first. Acknowledge one when it is
    handled."""

    queryset = Alert.objects.all()
    serializer_class = AlertSerializer
    filterset_class = AlertFilterSet

    @extend_schema(request=None, responses=AlertSerializer)
    @action(detail=True, methods=["post"], http_method_names=["post", "options"])
    def acknowledge(self, request, pk=None):
        """Mark the alert seen and handled; anyone who can see its case may. Acknowledging
        twice changes nothing."""
        return self.verb(
            NoBody, lambda alert, data: alert_acknowledge(acting_user=request.user, alert=alert)
        )
