"""Viewsets of cases' records: a few declarative lines each on casetracker's ScopedViewSet."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from cases import services
from cases.api.serializers import DetentionEndSerializer, DetentionSerializer
from cases.filtersets import DetentionFilterSet
from cases.models import Detention
from casetracker.api.base import ScopedViewSet


class DetentionViewSet(ScopedViewSet):
    queryset = Detention.objects.select_related("person", "case")
    serializer_class = DetentionSerializer
    filterset_class = DetentionFilterSet

    def create_record(self, data):
        return services.detention_create(acting_user=self.request.user, **data)

    def update_record(self, instance, data):
        return services.detention_update(acting_user=self.request.user, detention=instance, **data)

    def delete_record(self, instance):
        services.record_delete(acting_user=self.request.user, record=instance)

    @extend_schema(request=DetentionEndSerializer, responses=DetentionSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End a detention: released, extradited, deported, transferred or other."""
        return self.verb(
            DetentionEndSerializer,
            lambda instance, data: services.detention_end(
                acting_user=request.user, detention=instance, **data
            ),
        )
