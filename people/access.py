"""Who may change a person's record: the caseworkers and admins of the owning organisation.

``people`` may not import ``cases`` (dependencies point people ← cases), so the Membership
model is looked up by name, as in ``PersonQuerySet.visible_to``.
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def person_can_edit(*, user, organisation) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    membership = apps.get_model("cases", "Membership")
    return membership.objects.filter(
        user=user, organisation=organisation, role__in=membership.STAFF_ROLES
    ).exists()


def person_require_edit(*, user, organisation) -> None:
    if not person_can_edit(user=user, organisation=organisation):
        raise PermissionDenied(
            _("Only the organisation's caseworkers and admins may change people's records.")
        )
