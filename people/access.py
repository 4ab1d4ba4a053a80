"""Who may change a person's record (the caseworkers and admins of the owning organisation),
and which of its fields a reader may see (``FieldRules``: contact details never reach a viewer).

``people`` may not import ``cases`` (dependencies point people ← cases), yet a person's
visibility follows the cases they are party to. ``cases`` therefore registers, at start-up, a
``CaseReach``: the one thing people learn from the cases above them (``case_reach()``).
"""

from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from organisations.models import Membership


class CaseReach(Protocol):
    """What ``people`` needs to know of the cases a user reaches (filled by ``cases``)."""

    def cases(self, user) -> QuerySet:
        """The cases ``user`` may see."""

    def parties(self, user) -> QuerySet:
        """The case parties (with their case) of the cases ``user`` may see."""

    def share_roles(self, user, organisation) -> set[str]:
        """The roles of the cases of ``organisation`` shared with ``user``."""

    def has_shares(self, user) -> bool:
        """Whether any case is shared with ``user``."""


_reach: list[CaseReach] = []


def case_reach_register(reach: CaseReach) -> None:
    """Called once by the cases app's ``ready()``."""
    _reach[:] = [reach]


def case_reach() -> CaseReach:
    if not _reach:
        raise ImproperlyConfigured("No app registered a CaseReach; install the cases app.")
    return _reach[0]


def person_can_edit(*, user, organisation) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.filter(
        user=user, organisation=organisation, role__in=Membership.STAFF_ROLES
    ).exists()


def person_require_edit(*, user, organisation) -> None:
    if not person_can_edit(user=user, organisation=organisation):
        raise PermissionDenied(
            _("Only the organisation's caseworkers and admins may change people's records.")
        )


# Contact details and addresses: what a viewer never sees (DESIGN §4), by model label. Every
# channel that shows a person's record (API serializers, pages, the admin, the timeline's stored
# before/after values) asks ``FieldRules`` below, so this is the one list to extend.
CONTACT_FIELDS: dict[str, tuple[str, ...]] = {
    "people.person": ("phone", "address"),
    "people.relationship": ("phone", "email", "address"),
}
VIEWER_ROLE = "viewer"


def contact_details_visible(*, user, organisation) -> bool:
    """Whether ``user`` may see the phone numbers and addresses of ``organisation``'s people:
    yes for its caseworkers and admins and for lawyers a case is shared with; never for a
    viewer, whether a member or a user any of its cases is shared with as viewer."""
    if not user.is_authenticated or not user.is_active:
        return False
    role = (
        Membership.objects.filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )
    if role is not None:
        return role != VIEWER_ROLE
    # Someone outside the organisation sees contact details only when no case of it is shared
    # with them as a viewer. Access is per case but this answer is per organisation (so a list
    # is decided once, not per row): a user with one case as lawyer and another as viewer gets
    # none, rather than a viewer getting the phone numbers of the second case's people.
    roles = case_reach().share_roles(user, organisation)
    return bool(roles) and VIEWER_ROLE not in roles


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


class FieldRules:
    """Which fields of people's records one user may see: the one place every channel asks.

    A record's contact fields (``CONTACT_FIELDS``) are left out, as if the record had no such
    field, for a user ``contact_details_visible`` refuses for the record's organisation. The
    answer is decided once per organisation and kept, so a list of fifty rows asks once.
    ``for_request`` keeps one instance per request for pages, the API and the admin alike.
    """

    def __init__(self, user) -> None:
        self.user = user
        self._visible: dict[Any, bool] = {}

    @classmethod
    def for_request(cls, request) -> "FieldRules":
        # A DRF Request wraps the HttpRequest: keep the answer on the one both share.
        http_request = getattr(request, "_request", request)
        rules = getattr(http_request, "_casetracker_field_rules", None)
        if rules is None or rules.user != request.user:
            rules = cls(request.user)
            http_request._casetracker_field_rules = rules
        return rules

    def contacts_visible(self, organisation) -> bool:
        organisation_id = _pk(organisation)
        if organisation_id not in self._visible:
            self._visible[organisation_id] = contact_details_visible(
                user=self.user, organisation=organisation_id
            )
        return self._visible[organisation_id]

    def hidden_fields(self, model_label: str, organisation) -> frozenset[str]:
        """The fields of ``model_label`` (``"people.person"``) records of ``organisation`` that
        this user may not see."""
        fields = CONTACT_FIELDS.get(model_label.lower(), ())
        if not fields or self.contacts_visible(organisation):
            return frozenset()
        return frozenset(fields)

    def visible_fields(self, model_label: str, organisation, fields) -> list[str]:
        hidden = self.hidden_fields(model_label, organisation)
        return [name for name in fields if name not in hidden]

    def event_changes(self, model_label: str, organisation, data: dict) -> dict:
        """A timeline event's stored ``{"before": {...}, "after": {...}}`` values of a
        ``model_label`` record, with the fields this user may not see left out of both sides,
        exactly as the record's own serializer leaves them out."""
        hidden = self.hidden_fields(model_label, organisation)
        if not hidden:
            return data
        return {
            side: (
                {name: value for name, value in values.items() if name not in hidden}
                if isinstance(values, dict)
                else values
            )
            for side, values in data.items()
        }


def sensitive_fields(model_label: str) -> tuple[str, ...]:
    """Fields of ``model_label`` that some users may not see: never searchable or filterable in
    a channel that spans organisations and roles (the admin's changelists)."""
    return CONTACT_FIELDS.get(model_label.lower(), ())
