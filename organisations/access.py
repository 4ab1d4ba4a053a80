"""What a user's membership lets them do: their role in an organisation, and whether they may
use the admin at all."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from organisations.choices import Role
from organisations.models import Membership


def organisation_role(*, user, organisation) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return (
        Membership.objects.filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )


def organisation_require(*, user, organisation, roles: tuple[str, ...]) -> None:
    """Raise PermissionDenied unless ``user`` holds one of ``roles`` in ``organisation``."""
    if organisation_role(user=user, organisation=organisation) not in roles:
        raise PermissionDenied(
            _("Only an organisation's %(roles)s may do this.")
            % {"roles": _(" or ").join(str(Role(r).label) for r in roles)}
        )


def admin_entry_allowed(user) -> bool:
    """Who may use the Django admin (issue #17): the caseworkers and admins of an organisation,
    and platform operators (superusers, who see no case data there without a membership).
    Viewers and outside lawyers are refused: the pages give them all they may read and file."""
    return (
        user.is_superuser
        or Membership.objects.filter(user=user, role__in=Membership.STAFF_ROLES).exists()
    )


def mfa_obliged(user) -> bool:
    """Whether an organisation ``user`` belongs to requires two-factor sign-in."""
    return Membership.objects.filter(user=user, organisation__require_mfa=True).exists()
