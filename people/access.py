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


# Contact details and addresses: what a viewer never sees (DESIGN §4). Serializers, templates
# and the admin all hide exactly these fields, asking ``contact_details_visible``.
CONTACT_FIELDS: dict[str, tuple[str, ...]] = {
    "person": ("phone", "address"),
    "relationship": ("phone", "email", "address"),
}
VIEWER_ROLE = "viewer"


def contact_details_visible(*, user, organisation) -> bool:
    """Whether ``user`` may see the phone numbers and addresses of ``organisation``'s people:
    yes for its caseworkers and admins and for lawyers a case is shared with; never for a
    viewer, whether a member or a user any of its cases is shared with as viewer."""
    if not user.is_authenticated or not user.is_active:
        return False
    membership = apps.get_model("cases", "Membership")
    role = (
        membership.objects.filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )
    if role is not None:
        return role != VIEWER_ROLE
    # Someone outside the organisation sees contact details only when no case of it is shared
    # with them as a viewer. Access is per case but this answer is per organisation (so a list
    # is decided once, not per row): a user with one case as lawyer and another as viewer gets
    # none, rather than a viewer getting the phone numbers of the second case's people.
    case_access = apps.get_model("cases", "CaseAccess")
    roles = set(
        case_access.objects.filter(user=user, case__organisation=organisation).values_list(
            "role", flat=True
        )
    )
    return bool(roles) and VIEWER_ROLE not in roles
