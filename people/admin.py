"""Admin for people, their other spellings and their relatives (DESIGN §4–§5).

Reads through ``visible_to``, writes through people/services.py, and who may write is
people/access.py's ``person_can_edit``. ``people`` may not import ``cases``, so memberships
are looked up by name, as in people/access.py.
"""

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from casetracker.admin_base import ServiceAdmin, ServiceInline, per_request
from organisations.admin import org_roles
from organisations.models import Membership
from people.access import FieldRules, case_reach, person_can_edit
from people.models import Person, PersonName, Relationship
from people.selectors import person_search
from people.services import (
    PERSON_FIELDS,
    RELATIONSHIP_FIELDS,
    person_create,
    person_name_add,
    person_name_remove,
    person_update,
    relationship_create,
    relationship_remove,
    relationship_update,
)

# person_search ranks and caps its answer; the changelist shows this many best matches.
SEARCH_LIMIT = 200


def _participates(request: HttpRequest) -> bool:
    """A member of an organisation, or a user some case is shared with, may look."""
    return bool(org_roles(request)) or per_request(
        request, "has_shared_cases", lambda: case_reach().has_shares(request.user)
    )


def _edits_somewhere(request: HttpRequest) -> bool:
    return any(role in Membership.STAFF_ROLES for role in org_roles(request).values())


def _may_edit(request: HttpRequest, person: Person) -> bool:
    org_id = person.organisation_id
    return per_request(
        request,
        ("person_can_edit", org_id),
        lambda: person_can_edit(user=request.user, organisation=org_id),
    )


def _hide_contacts(
    request: HttpRequest, fields: list[str], *, model: type[models.Model], person: Person | None
) -> list[str]:
    """DESIGN §4: viewers never see contact details or addresses; people/access.py's
    ``FieldRules`` decides which fields of ``model`` a user may see, for every channel."""
    if person is None:  # an add form: only those who may edit people reach it
        return fields
    rules = FieldRules.for_request(request)
    return rules.visible_fields(model._meta.label, person.organisation_id, fields)


class PeopleAdmin(ServiceAdmin):
    """Permissions of people's records: anyone who may see the person reads, the owning
    organisation's caseworkers and admins write."""

    def person_of(self, obj: models.Model) -> Person:
        return obj.person

    def may_view(self, request: HttpRequest) -> bool:
        return _participates(request)

    def may_add(self, request: HttpRequest) -> bool:
        return _edits_somewhere(request)

    def may_change(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return _edits_somewhere(request)
        return _may_edit(request, self.person_of(obj))

    def may_delete(self, request: HttpRequest, obj=None) -> bool:
        return self.may_change(request, obj)


class PeopleInline(ServiceInline):
    def may_view(self, request: HttpRequest) -> bool:
        return _participates(request)

    def may_write(self, request: HttpRequest, parent) -> bool:
        return _edits_somewhere(request) if parent is None else _may_edit(request, parent)


class PersonNameInline(PeopleInline):
    model = PersonName
    fields = ("name", "script", "kind")
    # No service changes a spelling: remove the wrong one and add the right one.
    can_update = False

    def service_create(self, request, parent, data):
        return person_name_add(acting_user=request.user, person=parent, **data)

    def service_delete(self, request, obj):
        person_name_remove(acting_user=request.user, person_name=obj)


class RelationshipInline(PeopleInline):
    model = Relationship
    fk_name = "person"
    template = "admin/edit_inline/stacked.html"
    fields = ("kind", "relative", "relative_name", "phone", "email", "address", "notes")
    autocomplete_fields = ("relative",)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return _hide_contacts(request, fields, model=self.model, person=obj)

    def service_create(self, request, parent, data):
        return relationship_create(acting_user=request.user, person=parent, **data)

    def service_update(self, request, obj, changes):
        return relationship_update(acting_user=request.user, relationship=obj, **changes)

    def service_delete(self, request, obj):
        relationship_remove(acting_user=request.user, relationship=obj)


@admin.register(Person)
class PersonAdmin(PeopleAdmin):
    add_fields = ("organisation", *PERSON_FIELDS)
    change_fields = (*add_fields, "created_at", "updated_at")
    update_fields = PERSON_FIELDS
    # No service deletes a person: cases, decisions and the timeline refer to them.
    can_delete = False
    inlines = (PersonNameInline, RelationshipInline)
    list_display = ("full_name", "name_native", "organisation", "sex", "birth_date", "countries")
    list_filter = ("organisation", "sex")
    list_select_related = ("organisation",)
    # Required by the autocomplete of person fields elsewhere; the search itself is
    # people.selectors.person_search (get_search_results below), which matches every spelling.
    search_fields = ("family_name", "given_name")

    def person_of(self, obj):
        return obj

    @admin.display(description=_("name"), ordering="family_name")
    def full_name(self, obj: Person) -> str:
        return obj.full_name

    @admin.display(description=_("citizenships"))
    def countries(self, obj: Person) -> str:
        return ", ".join(country.code for country in obj.citizenships)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return _hide_contacts(request, fields, model=Person, person=obj)

    def choices_for(self, db_field, request):
        if db_field.name == "organisation":
            org_ids = [
                org for org, role in org_roles(request).items() if role in Membership.STAFF_ROLES
            ]
            return db_field.related_model.objects.visible_to(request.user).filter(pk__in=org_ids)
        return super().choices_for(db_field, request)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        found = person_search(user=request.user, query=search_term, limit=SEARCH_LIMIT)
        return queryset.filter(pk__in=[person.pk for person in found]), False

    def service_create(self, request, data):
        return person_create(acting_user=request.user, **data)

    def service_update(self, request, obj, changes):
        return person_update(acting_user=request.user, person=obj, **changes)


@admin.register(PersonName)
class PersonNameAdmin(PeopleAdmin):
    add_fields = ("person", "name", "script", "kind")
    change_fields = (*add_fields, "created_at")
    can_update = False
    list_display = ("name", "person", "script", "kind")
    list_filter = ("script", "kind")
    list_select_related = ("person",)
    search_fields = ("name", "person__family_name", "person__given_name")
    autocomplete_fields = ("person",)

    def service_create(self, request, data):
        return person_name_add(acting_user=request.user, **data)

    def service_delete(self, request, obj):
        person_name_remove(acting_user=request.user, person_name=obj)


@admin.register(Relationship)
class RelationshipAdmin(PeopleAdmin):
    add_fields = (
        "person",
        "kind",
        "relative",
        "relative_name",
        "phone",
        "email",
        "address",
        "notes",
    )
    change_fields = (*add_fields, "created_at", "updated_at")
    update_fields = RELATIONSHIP_FIELDS
    list_display = ("person", "kind", "relative", "relative_name")
    list_filter = ("kind",)
    list_select_related = ("person", "relative")
    search_fields = ("relative_name", "person__family_name", "relative__family_name")
    autocomplete_fields = ("person", "relative")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        person = None if obj is None else obj.person
        return _hide_contacts(request, fields, model=Relationship, person=person)

    def service_create(self, request, data):
        return relationship_create(acting_user=request.user, **data)

    def service_update(self, request, obj, changes):
        return relationship_update(acting_user=request.user, relationship=obj, **changes)

    def service_delete(self, request, obj):
        relationship_remove(acting_user=request.user, relationship=obj)
