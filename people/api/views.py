"""Viewsets of people's records: a few declarative lines each on casetracker's ScopedViewSet.

People are never deleted through the API (their records anchor cases and the audit trail):
``DELETE /people/{id}/`` answers 405. Other spellings are added and removed, never edited.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response

from casetracker.api.base import ScopedViewSet
from people import services
from people.api.serializers import (
    PersonNameSerializer,
    PersonSerializer,
    RelationshipSerializer,
)
from people.filtersets import (
    SEARCH_LIMIT,
    PersonFilterSet,
    PersonNameFilterSet,
    RelationshipFilterSet,
)
from people.models import Person, PersonName, Relationship


@extend_schema_view(
    list=extend_schema(
        description=(
            "People you can see: every person of an organisation where you are a caseworker or "
            "admin, and the parties to the cases you can see. Paginated by cursor, newest "
            f"first.\n\nWith `?search=`, the answer is instead the {SEARCH_LIMIT} best matches "
            "for the name in any spelling and any script, best first, in one page of the same "
            "shape (`next` and `previous` are null); the other filters narrow those matches."
        )
    )
)
class PersonViewSet(ScopedViewSet):
    """A person an organisation defends or whose case it follows. Viewers never receive
    `phone` or `address`. People cannot be deleted (405)."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def list(self, request, *args, **kwargs):
        if not request.query_params.get("search", "").strip():
            return super().list(request, *args, **kwargs)
        # Ranked best first: cursor pagination would impose its own fixed order.
        people = self.filter_queryset(self.get_queryset())
        results = self.get_serializer(people, many=True).data
        return self._with_etag(Response({"next": None, "previous": None, "results": results}))

    def create_record(self, data):
        return services.person_create(acting_user=self.request.user, **data)

    def update_record(self, instance, data):
        return services.person_update(acting_user=self.request.user, person=instance, **data)


class PersonNameViewSet(ScopedViewSet):
    """Another spelling of a person's name: added or removed, never edited."""

    queryset = PersonName.objects.all()
    serializer_class = PersonNameSerializer
    filterset_class = PersonNameFilterSet
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create_record(self, data):
        return services.person_name_add(acting_user=self.request.user, **data)

    def delete_record(self, instance):
        services.person_name_remove(acting_user=self.request.user, person_name=instance)


class RelationshipViewSet(ScopedViewSet):
    """A relative or contact of a person. Viewers never receive `phone`, `email` or
    `address`."""

    queryset = Relationship.objects.select_related("person")
    serializer_class = RelationshipSerializer
    filterset_class = RelationshipFilterSet

    def create_record(self, data):
        return services.relationship_create(acting_user=self.request.user, **data)

    def update_record(self, instance, data):
        return services.relationship_update(
            acting_user=self.request.user, relationship=instance, **data
        )

    def delete_record(self, instance):
        services.relationship_remove(acting_user=self.request.user, relationship=instance)
