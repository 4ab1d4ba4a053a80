"""Who may do what on a case (DESIGN §4), decided in one place.

Reads go through ``visible_to(user)``; this module answers the next question, what a user who
can see a case may do with it. Services call ``case_require`` before every write, so the
admin, the API, the browser and the demo loader all obey the same rules.
"""

import enum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cases.choices import AccessRole
from cases.models import Case, CaseAccess
from casetracker.selectors import visible_get
from organisations.choices import Role
from organisations.models import Membership


class CaseAction(enum.StrEnum):
    VIEW = "view"
    FILE = "file"  # file notes and documents, record decisions (what outside lawyers do)
    EDIT = "edit"  # create and change the case's records
    DELETE = "delete"
    SHARE = "share"  # share the case with a user, revoke sharing
    RESTRICT = "restrict"  # make a case restricted or unrestricted


_ALLOWED: dict[str, frozenset[CaseAction]] = {
    Role.ADMIN: frozenset(CaseAction),
    Role.CASEWORKER: frozenset(CaseAction) - {CaseAction.RESTRICT},
    AccessRole.LAWYER: frozenset({CaseAction.VIEW, CaseAction.FILE}),
    Role.VIEWER: frozenset({CaseAction.VIEW}),
}
# When a user holds two roles on one case (a member who also has it shared), the stronger wins.
_STRENGTH = [Role.VIEWER, AccessRole.LAWYER, Role.CASEWORKER, Role.ADMIN]


def role_allows(role: str, action: CaseAction) -> bool:
    """Whether a user holding ``role`` (on a case or in its organisation) may do ``action``."""
    return action in _ALLOWED.get(role, frozenset())


def case_role(*, user, case: Case) -> str | None:
    """The user's effective role on the case, or None if they may not see it."""
    if not user.is_authenticated or not user.is_active:
        return None
    roles = []
    membership = Membership.objects.filter(user=user, organisation_id=case.organisation_id).first()
    if membership and (membership.role == Role.ADMIN or not case.restricted):
        roles.append(membership.role)
    access = CaseAccess.objects.filter(user=user, case=case).first()
    if access:
        roles.append(access.role)
    return max(roles, key=_STRENGTH.index) if roles else None


def case_can(*, user, case: Case, action: CaseAction) -> bool:
    role = case_role(user=user, case=case)
    return role is not None and role_allows(role, action)


def case_require(*, user, case: Case, action: CaseAction) -> None:
    """Raise PermissionDenied unless ``user`` may do ``action`` on ``case``."""
    if not case_can(user=user, case=case, action=action):
        raise PermissionDenied(
            _("Case %(reference)s: you may not %(action)s.")
            % {"action": _action_label(action), "reference": case.reference}
        )


def _action_label(action: CaseAction) -> str:
    return {
        CaseAction.VIEW: _("view this case"),
        CaseAction.FILE: _("file updates"),
        CaseAction.EDIT: _("change records"),
        CaseAction.DELETE: _("delete records"),
        CaseAction.SHARE: _("share the case"),
        CaseAction.RESTRICT: _("change who may see the case"),
    }[action]


def case_get(*, user, case_id) -> Case:
    """The case with ``case_id`` if ``user`` may see it; 404 alike for missing and hidden."""
    return visible_get(user=user, queryset=Case.objects, pk=case_id, message=_("No such case."))
