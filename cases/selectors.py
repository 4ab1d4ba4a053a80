"""Reads of cases that other apps and the user pickers share.

``PeopleReach`` is what ``people`` learns of cases (``people.access.CaseReach``), registered in
``CasesConfig.ready``. ``colleagues`` and ``case_colleagues`` are the user pickers that follow
cases; ``organisations.selectors.members_of`` is the one that follows membership only.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from cases.access import CaseAction, case_can
from cases.models import Case, CaseAccess, CaseParty
from organisations.choices import Role
from organisations.models import Membership


class PeopleReach:
    """A person is visible through the cases they are party to (DESIGN §4)."""

    def cases(self, user) -> QuerySet[Case]:
        return Case.objects.visible_to(user)

    def parties(self, user) -> QuerySet[CaseParty]:
        return (
            CaseParty.objects.filter(case__in=Case.objects.visible_to(user))
            .select_related("case")
            .order_by("-case__opened_on", "case__reference")
        )

    def share_roles(self, user, organisation) -> set[str]:
        return set(
            CaseAccess.objects.filter(user=user, case__organisation=organisation).values_list(
                "role", flat=True
            )
        )

    def has_shares(self, user) -> bool:
        return CaseAccess.objects.filter(user=user).exists()


def colleagues(user, *, shares: bool) -> QuerySet:
    """The active users ``user`` may name: members of their organisations and of the
    organisations whose cases they see, and (``shares``) whoever those cases are shared with.
    Anyone else is unknown to them, so other organisations' staff cannot be probed."""
    cases = Case.objects.visible_to(user)
    known = Q(
        memberships__organisation__in=Membership.objects.filter(user=user).values("organisation_id")
    ) | Q(memberships__organisation__in=cases.values("organisation_id"))
    if shares:
        known |= Q(case_access__case__in=cases)
    return get_user_model().objects.filter(known, is_active=True).distinct().order_by("username")


def case_colleagues(case: Case, *, user) -> QuerySet:
    """Users who may answer for a deadline of ``case``: those who can see it (its organisation's
    admins; its members unless it is restricted; those it is shared with). Someone who may only
    file on the case (an outside lawyer) chooses between themselves and the case's lead: the
    organisation's staff list is not theirs to read."""
    users = get_user_model().objects.filter(is_active=True)
    if not case_can(user=user, case=case, action=CaseAction.EDIT):
        return users.filter(Q(pk=user.pk) | Q(pk=case.lead_id)).order_by("username")
    members = Q(memberships__organisation_id=case.organisation_id)
    if case.restricted:
        members &= Q(memberships__role=Role.ADMIN)
    return users.filter(members | Q(case_access__case=case)).distinct().order_by("username")
