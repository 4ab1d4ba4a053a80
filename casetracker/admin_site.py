"""The admin site: who may enter it at all (issue #17).

The browser pages give viewers everything they may read and outside lawyers everything they
may file, so the admin is refused to them (403): it is a tool for the organisations'
caseworkers and admins and for platform operators, and every channel less is a channel that
cannot leak. Who counts as such is the access model's business, which lives in an app above
this package: that app registers its rule at start-up (``allow_entry``). With no rule
registered nobody enters (fail closed).
"""

from collections.abc import Callable
from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

EntryRule = Callable[[object], bool]

NOT_FOR_YOU = _(
    "The administration is for the organisation's caseworkers and admins. Viewers and outside "
    "lawyers use the case pages: everything you may see and file is there."
)


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's sign-in: a right password of a user who may not enter is told so (they
    proved who they are; a wrong password still gets the one message that names no user)."""

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not admin.site.user_may_enter(user):
            raise ValidationError(NOT_FOR_YOU, code="not_for_you")


class AdminSite(admin.AdminSite):
    site_header = _("Casetracker administration")
    site_title = _("Casetracker")
    index_title = _("Records")
    login_form = AdminLoginForm

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._entry_rules: list[EntryRule] = []

    def allow_entry(self, rule: EntryRule) -> None:
        """Register ``rule(user) -> bool``: a user enters when any registered rule says yes."""
        if rule not in self._entry_rules:
            self._entry_rules.append(rule)

    def user_may_enter(self, user) -> bool:
        return (
            user.is_authenticated
            and user.is_active
            and user.is_staff
            and any(rule(user) for rule in self._entry_rules)
        )

    def has_permission(self, request) -> bool:
        cached = getattr(request, "_casetracker_admin_entry", None)
        if cached is None:
            cached = request._casetracker_admin_entry = self.user_may_enter(request.user)
        return cached

    def admin_view(self, view, cacheable: bool = False):
        """Django's wrapper sends a signed-in user who may not enter back to the sign-in page;
        here they get a 403 that says why. Anonymous visitors still go to sign in, and anyone
        may sign out."""
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if (
                request.user.is_authenticated
                and not self.has_permission(request)
                and request.path != reverse("admin:logout", current_app=self.name)
            ):
                raise PermissionDenied(NOT_FOR_YOU)
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)
