"""Admin for cases, their parties and who a case is shared with."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.access import CaseAction
from cases.admin.base import (
    CaseInline,
    CaseRecordAdmin,
    case_allows,
    colleagues,
    standing,
)
from cases.choices import CaseStatus
from cases.models import Case, CaseAccess, CaseParty
from cases.services import (
    case_close,
    case_open,
    case_party_add,
    case_party_remove,
    case_reopen,
    case_share,
    case_unshare,
    case_update,
)
from casetracker.admin_base import TIMESTAMPS
from organisations.admin import known_users
from organisations.models import Membership, Organisation


class CasePartyInline(CaseInline):
    model = CaseParty
    fields = ("person", "role")
    autocomplete_fields = ("person",)
    # No service changes a party's role: remove the party and add them again.
    can_update = False

    def service_create(self, request, parent, data):
        return case_party_add(acting_user=request.user, case=parent, **data)

    def service_delete(self, request, obj):
        case_party_remove(acting_user=request.user, party=obj)


def _share(request: HttpRequest, access: CaseAccess, changes: dict[str, Any]) -> CaseAccess:
    if "user" in changes:
        raise ValidationError(
            {"user": _("To give another user access, remove this row and add a new one.")}
        )
    return case_share(
        acting_user=request.user, case=access.case, user=access.user, role=changes["role"]
    )


class CaseAccessInline(CaseInline):
    model = CaseAccess
    fields = ("user", "role", "granted_by")
    readonly_fields = ("granted_by",)
    write_action = CaseAction.SHARE
    verbose_name_plural = gettext_lazy("shared with")

    def choices_for(self, db_field, request):
        return (
            known_users(request)
            if db_field.name == "user"
            else super().choices_for(db_field, request)
        )

    def service_create(self, request, parent, data):
        return case_share(acting_user=request.user, case=parent, **data)

    def service_update(self, request, obj, changes):
        return _share(request, obj, changes)

    def service_delete(self, request, obj):
        case_unshare(acting_user=request.user, access=obj)


@admin.register(Case)
class CaseAdmin(CaseRecordAdmin):
    add_fields = (
        "organisation",
        "reference",
        "title",
        "opened_on",
        "summary",
        "restricted",
        "lead",
    )
    change_fields = (
        "organisation",
        "reference",
        "title",
        "status",
        "opened_on",
        "closed_on",
        "summary",
        "restricted",
        "lead",
        *TIMESTAMPS,
    )
    update_fields = ("reference", "title", "status", "closed_on", "summary", "restricted", "lead")
    # No service deletes a case: close it. Its records and timeline stay.
    can_delete = False
    inlines = (CasePartyInline, CaseAccessInline)
    list_display = (
        "reference",
        "title",
        "organisation",
        "status",
        "opened_on",
        "closed_on",
        "restricted",
        "lead",
    )
    list_filter = ("status", "restricted", "organisation", "opened_on")
    list_select_related = ("organisation", "lead")
    search_fields = ("reference", "title")
    date_hierarchy = "opened_on"

    def case_of(self, obj):
        return obj

    def may_add(self, request):
        return bool(standing(request).org_ids(Membership.STAFF_ROLES))

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and not case_allows(request, obj, CaseAction.RESTRICT):
            readonly.append("restricted")
        return readonly

    def choices_for(self, db_field, request):
        if db_field.name == "organisation":
            staff_orgs = standing(request).org_ids(Membership.STAFF_ROLES)
            return Organisation.objects.visible_to(request.user).filter(pk__in=staff_orgs)
        if db_field.name == "lead":
            return colleagues(request)
        return super().choices_for(db_field, request)

    def service_create(self, request, data):
        return case_open(acting_user=request.user, **data)

    def service_update(self, request, obj, changes):
        user = request.user
        status = changes.pop("status", None)
        if status is None:
            return case_update(acting_user=user, case=obj, **changes)
        closed_on = changes.pop("closed_on", obj.closed_on)
        if changes:
            case_update(acting_user=user, case=obj, **changes)
        if status == CaseStatus.CLOSED:
            return case_close(acting_user=user, case=obj, closed_on=closed_on)
        return case_reopen(acting_user=user, case=obj)


@admin.register(CaseParty)
class CasePartyAdmin(CaseRecordAdmin):
    add_fields = ("case", "person", "role")
    change_fields = (*add_fields, "created_at")
    can_update = False
    delete_action = CaseAction.EDIT  # case_party_remove: removing a party is an edit
    list_display = ("person", "case", "role")
    list_filter = ("role",)
    list_select_related = ("person", "case")
    search_fields = ("person__family_name", "person__given_name", "case__reference")
    autocomplete_fields = ("case", "person")

    def service_create(self, request, data):
        return case_party_add(acting_user=request.user, **data)

    def service_delete(self, request, obj):
        case_party_remove(acting_user=request.user, party=obj)


@admin.register(CaseAccess)
class CaseAccessAdmin(CaseRecordAdmin):
    add_fields = ("case", "user", "role")
    change_fields = (*add_fields, "granted_by", "created_at")
    update_fields = ("role",)
    write_action = delete_action = CaseAction.SHARE
    list_display = ("case", "user", "role", "granted_by", "created_at")
    list_filter = ("role",)
    list_select_related = ("case", "user", "granted_by")
    search_fields = ("case__reference", "user__username")
    autocomplete_fields = ("case",)

    def choices_for(self, db_field, request):
        return (
            known_users(request)
            if db_field.name == "user"
            else super().choices_for(db_field, request)
        )

    def service_create(self, request, data):
        return case_share(acting_user=request.user, **data)

    def service_update(self, request, obj, changes):
        return _share(request, obj, changes)

    def service_delete(self, request, obj):
        case_unshare(acting_user=request.user, access=obj)
