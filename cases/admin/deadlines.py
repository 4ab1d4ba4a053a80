"""Admin for deadline rules, deadlines and alerts (DESIGN §6).

Rules are shared by every organisation: members read them; only a platform operator changes
one, through ``deadline_rule_update``, which bumps its version. Deadlines are created by the
engine or by hand; an override needs its reason. Alerts are the ledger: read and acknowledge.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cases.access import CaseAction
from cases.admin.base import CaseRecordAdmin, standing
from cases.choices import DeadlineStatus
from cases.models import Alert, Deadline, DeadlineRule
from cases.services.alerts import alert_acknowledge
from cases.services.deadlines import (
    RULE_FIELDS,
    deadline_create,
    deadline_mark_met,
    deadline_override,
    deadline_rule_update,
)
from casetracker.admin_base import TIMESTAMPS, ServiceAdmin, ServiceModelForm


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(ServiceAdmin):
    change_fields = ("code", "trigger_model", "trigger_field", *RULE_FIELDS, "rule_version")
    update_fields = RULE_FIELDS
    can_create = can_delete = False
    list_display = ("code", "title", "period", "unit", "roll_forward", "rule_version", "active")
    list_filter = ("active", "unit", "trigger_model")
    search_fields = ("code", "title", "source")

    def scoped_queryset(self, request):
        # Not case data: the rules are public law, the same for every organisation.
        return DeadlineRule.objects.all()

    def may_view(self, request):
        return request.user.is_superuser or standing(request).participates

    def may_change(self, request, obj=None):
        return request.user.is_superuser

    def service_update(self, request, obj, changes):
        return deadline_rule_update(acting_user=request.user, rule=obj, **changes)


class ManualDeadlineForm(ServiceModelForm):
    due_on = forms.DateField(label=gettext_lazy("due on"))

    class Meta:
        model = Deadline
        fields = ("case", "title", "timezone", "responsible")


class DeadlineChangeForm(ServiceModelForm):
    override_due_on = forms.DateField(
        label=gettext_lazy("move the due date to"),
        required=False,
        help_text=gettext_lazy("E.g. the date the Committee's letter names. Give the reason."),
    )

    class Meta:
        model = Deadline
        fields = ("override_reason",)


@admin.register(Deadline)
class DeadlineAdmin(CaseRecordAdmin):
    """Manual deadlines are added here; computed ones come from their records. On a change
    page the due date can be overridden, with a reason; the list marks deadlines met."""

    add_fields = ("case", "title", "due_on", "timezone", "responsible")
    change_fields = (
        "case",
        "title",
        "rule",
        "rule_version",
        "basis_date",
        "due_at",
        "computed_due_at",
        "explanation",
        "status",
        "met_on",
        "override_due_on",
        "override_reason",
        "overridden_by",
        "responsible",
        *TIMESTAMPS,
    )
    update_fields = ("override_due_on", "override_reason")
    write_action = CaseAction.FILE
    can_delete = False
    list_display = ("due_at", "title", "case", "status", "rule", "responsible")
    list_filter = ("status", "rule", "due_at")
    list_select_related = ("case", "rule", "responsible")
    search_fields = ("title", "case__reference")
    date_hierarchy = "due_at"
    actions = ("mark_met_today",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = DeadlineChangeForm if obj is not None else ManualDeadlineForm
        return super().get_form(request, obj, change=change, **kwargs)

    def service_create(self, request, data):
        return deadline_create(acting_user=request.user, **data)

    def service_update(self, request, obj, changes):
        if changes.get("override_due_on") is None:
            raise ValidationError(
                {"override_due_on": _("Give the new due date, or leave the page unchanged.")}
            )
        return deadline_override(
            acting_user=request.user,
            deadline=obj,
            due_on=changes["override_due_on"],
            reason=changes.get("override_reason", obj.override_reason) or "",
        )

    @admin.action(description=gettext_lazy("Mark the selected deadlines met today"))
    def mark_met_today(self, request, queryset):
        done = 0
        for deadline in queryset.filter(status=DeadlineStatus.OPEN):
            deadline_mark_met(
                acting_user=request.user, deadline=deadline, met_on=timezone.localdate()
            )
            done += 1
        self.message_user(
            request,
            ngettext("%d deadline marked met.", "%d deadlines marked met.", done) % done,
            messages.SUCCESS,
        )


@admin.register(Alert)
class AlertAdmin(CaseRecordAdmin):
    change_fields = (
        "created_at",
        "level",
        "kind",
        "message",
        "case",
        "deadline",
        "offset_days",
        "notified_at",
        "acknowledged_by",
        "acknowledged_at",
    )
    can_create = can_update = can_delete = False
    list_display = ("created_at", "level", "kind", "case", "message", "acknowledged_at")
    list_filter = ("level", "kind", "created_at")
    list_select_related = ("case",)
    search_fields = ("message", "case__reference")
    date_hierarchy = "created_at"
    actions = ("acknowledge",)

    @admin.action(description=gettext_lazy("Acknowledge the selected alerts"))
    def acknowledge(self, request, queryset):
        count = 0
        for alert in queryset.filter(acknowledged_at__isnull=True).select_related("case"):
            alert_acknowledge(acting_user=request.user, alert=alert)
            count += 1
        self.message_user(
            request,
            ngettext("%d alert acknowledged.", "%d alerts acknowledged.", count) % count,
            messages.SUCCESS,
        )
