"""Reads of organisations and their members: the user pickers start here.

A picker offers only the users its reader may know of (DESIGN §4: organisations never
discover each other's staff). The pickers that also follow cases are in ``cases.selectors``.
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from organisations.choices import Role
from organisations.models import Membership, Organisation


def staff_organisations(user) -> QuerySet[Organisation]:
    """The organisations where ``user`` is a caseworker or admin: where they may open cases."""
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=Membership.STAFF_ROLES
    ).order_by("name")


def members_of(organisations) -> QuerySet:
    """The active members of ``organisations`` (ids, or a queryset of organisations or of their
    ids), by username: e.g. who may lead a case."""
    return (
        get_user_model()
        .objects.filter(memberships__organisation__in=organisations, is_active=True)
        .distinct()
        .order_by("username")
    )


def administered_organisations(user) -> QuerySet:
    """The ids of the organisations where ``user`` is an admin: whose access log they read."""
    return Membership.objects.filter(user=user, role=Role.ADMIN).values("organisation_id")


def reads_access_log(user) -> bool:
    """Whether ``user`` may open the access log: a platform operator, or an organisation's
    admin (who reads only their organisations' part of it)."""
    return user.is_superuser or administered_organisations(user).exists()
