"""API tokens in the admin (DESIGN §4, issue #4 item 4): each user creates and revokes their own.

A token's key is shown once, in the message after it is created; only its SHA-256 is stored and
the hash is never shown. A token is revoked, not deleted, so that the list keeps what existed.
Superusers see and revoke every user's tokens. The admin's base classes are in
casetracker/admin_base.py, which the apps' admins share.
"""

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from casetracker.account import ApiTokenForm
from casetracker.admin_base import ServiceAdmin, ServiceModelForm
from casetracker.api.tokens import api_token_create, api_token_revoke
from casetracker.models import ApiToken


def _signed_in(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.is_active


class ApiTokenAddForm(ServiceModelForm):
    # The account page's field (casetracker/account.py): one definition of a token's lifetime.
    expires_days = ApiTokenForm.base_fields["expires_days"]

    class Meta:
        model = ApiToken
        fields = ("name",)


@admin.register(ApiToken)
class ApiTokenAdmin(ServiceAdmin):
    add_fields = ("name", "expires_days")
    change_fields = (
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    can_update = can_delete = False
    list_display = ("name", "user", "prefix", "state", "expires_at", "last_used_at", "created_at")
    list_select_related = ("user",)
    actions = ("revoke",)

    def scoped_queryset(self, request):
        # Not case data: a token belongs to its user; superusers look after everyone's.
        tokens = ApiToken.objects.all()
        return tokens if request.user.is_superuser else tokens.filter(user=request.user)

    def may_view(self, request):
        return True

    def may_add(self, request):
        return True

    def has_revoke_permission(self, request) -> bool:
        return _signed_in(request)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ApiTokenAddForm if obj is None else ServiceModelForm
        return super().get_form(request, obj, change=change, **kwargs)

    def service_create(self, request, data):
        token, key = api_token_create(
            acting_user=request.user,
            user=request.user,
            name=data["name"],
            expires_days=data["expires_days"],
        )
        self.message_user(
            request,
            _(
                "Your new API token is %(key)s. Copy it now: it is shown only this once. Send it "
                "as the header “Authorization: Bearer <token>”."
            )
            % {"key": key},
            messages.SUCCESS,
        )
        return token

    @admin.display(description=gettext_lazy("state"))
    def state(self, token: ApiToken) -> str:
        return token.get_state_display()

    @admin.action(permissions=["revoke"], description=gettext_lazy("Revoke selected API tokens"))
    def revoke(self, request, queryset):
        tokens = [t for t in queryset.select_related("user") if t.revoked_at is None]
        for token in tokens:
            api_token_revoke(acting_user=request.user, token=token)
            self.log_change(request, token, _("Revoked."))
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens))
            % {"count": len(tokens)},
            messages.SUCCESS,
        )
