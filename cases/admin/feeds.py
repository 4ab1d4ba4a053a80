"""Admin for calendar feeds: see who has one, and revoke it (a lost phone, a leaked address).

Feeds are created on the user's own page (/calendar/feed/), the only place the address can be
shown, once. No token is shown here: only its hash is stored.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from cases.models import CalendarFeed
from cases.services import calendar_feed_revoke
from casetracker.admin_base import TIMESTAMPS, ServiceAdmin


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ServiceAdmin):
    change_fields = ("user", "revoked_at", "revoked_by", "last_used_at", *TIMESTAMPS)
    can_create = can_update = can_delete = False
    actions = ("revoke_selected",)
    list_display = ("user", "created_at", "last_used_at", "revoked_at", "revoked_by")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "created_at")
    list_select_related = ("user", "revoked_by")
    search_fields = ("user__username",)
    date_hierarchy = "created_at"

    def may_view(self, request: HttpRequest) -> bool:
        # Everyone may see (and revoke) their own feed; visible_to scopes the rows.
        return True

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        # The rows listed are the user's own and, for an organisation admin, their members':
        # calendar_feed_revoke decides each one.
        return True

    @admin.action(permissions=["revoke"], description=gettext_lazy("Revoke selected feeds"))
    def revoke_selected(self, request: HttpRequest, queryset) -> None:
        try:
            with transaction.atomic():
                feeds = [calendar_feed_revoke(acting_user=request.user, feed=f) for f in queryset]
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(
                request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR
            )
            return
        self.message_user(
            request,
            ngettext("Revoked %(count)d feed.", "Revoked %(count)d feeds.", len(feeds))
            % {"count": len(feeds)},
            messages.SUCCESS,
        )
