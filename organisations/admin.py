"""Admin for organisations and their members, and the user pickers the other apps' admins
share (``known_users``)."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casetracker.admin_base import TIMESTAMPS, ServiceAdmin, ServiceInline, per_request
from organisations.choices import Role
from organisations.models import Membership, Organisation
from organisations.services import (
    ORGANISATION_SETTINGS,
    membership_add,
    membership_change_role,
    membership_mfa_reset,
    membership_remove,
    organisation_create,
    organisation_update,
)


def org_roles(request: HttpRequest) -> dict[Any, str]:
    """The user's role in each of their organisations: {organisation id: role}."""
    return per_request(
        request,
        "org_roles",
        lambda: dict(
            Membership.objects.filter(user=request.user).values_list("organisation_id", "role")
        ),
    )


def _org_ids(request: HttpRequest, roles: tuple[str, ...]) -> list:
    return [org for org, role in org_roles(request).items() if role in roles]


def known_users(request: HttpRequest) -> QuerySet:
    """Users one may add to an organisation or share a case with: members of one's own
    organisations and users of no organisation (outside lawyers). Other organisations' staff
    stay unlisted; a platform operator sees every active user."""
    users = get_user_model().objects.filter(is_active=True)
    if request.user.is_superuser:
        return users
    own = _org_ids(request, (Role.ADMIN, Role.CASEWORKER, Role.VIEWER))
    return users.filter(
        Q(memberships__isnull=True) | Q(memberships__organisation__in=own)
    ).distinct()


class OrganisationScoped:
    """Organisations and memberships: a platform operator (superuser) manages all of them, an
    organisation's admins their own; members see their own organisations' members. None of
    this is case data, so the superuser is not bound by need-to-know here."""

    def scoped_queryset(self, request):
        if request.user.is_superuser:
            return self.model._default_manager.all()
        return super().scoped_queryset(request)

    def may_view(self, request) -> bool:
        return request.user.is_superuser or bool(org_roles(request))

    def manages(self, request, organisation_id=None) -> bool:
        admin_orgs = _org_ids(request, (Role.ADMIN,))
        if organisation_id is None:
            return request.user.is_superuser or bool(admin_orgs)
        return request.user.is_superuser or organisation_id in admin_orgs

    def choices_for(self, db_field, request):
        if db_field.name == "user":
            return known_users(request)
        if db_field.name == "organisation":
            if request.user.is_superuser:
                return Organisation.objects.all()
            admin_orgs = _org_ids(request, (Role.ADMIN,))
            return Organisation.objects.visible_to(request.user).filter(pk__in=admin_orgs)
        return super().choices_for(db_field, request)


def _change_role(request: HttpRequest, membership: Membership, changes: dict[str, Any]):
    if set(changes) - {"role"}:
        raise ValidationError(
            {"user": _("To change who is a member, remove this membership and add a new one.")}
        )
    return membership_change_role(acting_user=request.user, membership=membership, **changes)


class MembershipInline(OrganisationScoped, ServiceInline):
    model = Membership
    fields = ("user", "role")

    def may_write(self, request, parent):
        return self.manages(request, None if parent is None else parent.pk)

    def service_create(self, request, parent, data):
        return membership_add(acting_user=request.user, organisation=parent, **data)

    def service_update(self, request, obj, changes):
        return _change_role(request, obj, changes)

    def service_delete(self, request, obj):
        membership_remove(acting_user=request.user, membership=obj)


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScoped, ServiceAdmin):
    add_fields = ("name", "code")
    change_fields = ("name", "code", *ORGANISATION_SETTINGS, "created_at")
    # No service renames an organisation; its admins change its settings and members.
    update_fields = ORGANISATION_SETTINGS
    can_delete = False
    inlines = (MembershipInline,)
    list_display = ("name", "code", "created_at")
    search_fields = ("name", "code")

    def may_add(self, request):
        return request.user.is_superuser

    def may_change(self, request, obj=None):
        return self.manages(request, None if obj is None else obj.pk)

    def service_create(self, request, data):
        return organisation_create(acting_user=request.user, **data)

    def service_update(self, request, obj, changes):
        return organisation_update(acting_user=request.user, organisation=obj, **changes)


@admin.register(Membership)
class MembershipAdmin(OrganisationScoped, ServiceAdmin):
    add_fields = ("organisation", "user", "role")
    change_fields = (*add_fields, *TIMESTAMPS)
    update_fields = ("role",)
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role", "organisation")
    list_select_related = ("user", "organisation")
    search_fields = ("user__username", "organisation__name")
    actions = ("reset_mfa",)

    def may_add(self, request):
        return self.manages(request)

    @admin.action(description=gettext_lazy("Reset two-factor sign-in of the selected members"))
    def reset_mfa(self, request, queryset):
        """A member lost their phone and their recovery codes: they enrol again."""
        done = 0
        for membership in queryset.select_related("user", "organisation"):
            try:
                membership_mfa_reset(acting_user=request.user, membership=membership)
            except PermissionDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return
            done += 1
        self.message_user(
            request,
            _("Two-factor sign-in reset for %(count)s members: they set it up again.")
            % {"count": done},
        )

    def may_change(self, request, obj=None):
        return self.manages(request, None if obj is None else obj.organisation_id)

    def may_delete(self, request, obj=None):
        return self.may_change(request, obj)

    def service_create(self, request, data):
        return membership_add(acting_user=request.user, **data)

    def service_update(self, request, obj, changes):
        return _change_role(request, obj, changes)

    def service_delete(self, request, obj):
        membership_remove(acting_user=request.user, membership=obj)
