"""What every admin of case data shares: the user's standing, the per-case permission
answers, and the base classes of records reached through a case."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

# role_allows answers "does any of the user's roles allow this action?" for the buttons of a
# list, where there is no single case to ask about.
from cases.access import CaseAction, case_can, role_allows
from cases.models import Case, CaseAccess
from cases.services import record_delete
from casetracker.admin_base import ServiceAdmin, ServiceInline, per_request
from organisations.admin import org_roles
from organisations.models import Organisation
from organisations.selectors import members_of


@dataclass(frozen=True)
class Standing:
    """The user's roles: in organisations, and on cases shared with them."""

    org_roles: dict[Any, str]
    shared_roles: dict[Any, str]

    @property
    def participates(self) -> bool:
        return bool(self.org_roles or self.shared_roles)

    def may_somewhere(self, action: CaseAction) -> bool:
        roles = {*self.org_roles.values(), *self.shared_roles.values()}
        return any(role_allows(role, action) for role in roles)

    def org_ids(self, roles: tuple[str, ...]) -> list:
        return [org for org, role in self.org_roles.items() if role in roles]


def standing(request: HttpRequest) -> Standing:
    user = request.user
    return per_request(
        request,
        "standing",
        lambda: Standing(
            org_roles=org_roles(request),
            shared_roles=dict(CaseAccess.objects.filter(user=user).values_list("case_id", "role")),
        ),
    )


def case_allows(request: HttpRequest, case: Case, action: CaseAction) -> bool:
    return per_request(
        request,
        ("case_can", case.pk, action),
        lambda: case_can(user=request.user, case=case, action=action),
    )


def colleagues(request: HttpRequest) -> QuerySet:
    """Whom the admin's user pickers offer: the members of the user's organisations."""
    return members_of(Organisation.objects.visible_to(request.user))


class CaseRecordAdmin(ServiceAdmin):
    """A record reached through a case: who may see the case reads, ``case_can`` decides the
    writes (``write_action`` to create and change, ``delete_action`` to delete)."""

    write_action = CaseAction.EDIT
    delete_action = CaseAction.DELETE

    def case_of(self, obj) -> Case:
        return obj.case

    def action_on(self, request: HttpRequest, obj) -> CaseAction:
        return self.write_action

    def may_view(self, request: HttpRequest) -> bool:
        return standing(request).participates

    def may_add(self, request: HttpRequest) -> bool:
        return standing(request).may_somewhere(self.write_action)

    def may_change(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return self.may_add(request)
        return case_allows(request, self.case_of(obj), self.action_on(request, obj))

    def may_delete(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return standing(request).may_somewhere(self.delete_action)
        return case_allows(request, self.case_of(obj), self.delete_action)

    def service_delete(self, request, obj):
        record_delete(acting_user=request.user, record=obj)


class CaseInline(ServiceInline):
    write_action = CaseAction.EDIT

    def may_view(self, request: HttpRequest) -> bool:
        return standing(request).participates

    def may_write(self, request: HttpRequest, parent) -> bool:
        if parent is None:
            return standing(request).may_somewhere(self.write_action)
        return case_allows(request, parent, self.write_action)
