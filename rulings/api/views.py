"""Viewsets of rulings: a few declarative lines each on casetracker's ScopedViewSet."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from cases.services import record_delete
from casetracker.api.base import ScopedViewSet
from rulings import services
from rulings.api.serializers import (
    CommitteeDecisionSerializer,
    ComplaintSerializer,
    InterimMeasureLiftSerializer,
    InterimMeasureSerializer,
    StatusDecisionSerializer,
)
from rulings.filtersets import (
    CommitteeDecisionFilterSet,
    ComplaintFilterSet,
    InterimMeasureFilterSet,
    StatusDecisionFilterSet,
)
from rulings.models import CommitteeDecision, Complaint, InterimMeasure, RefugeeStatusDecision


class _DeleteThroughCases:
    """A mistaken entry is deleted by the cases service: it checks the right and keeps the
    record's content on the audit timeline."""

    def delete_record(self, instance):
        record_delete(acting_user=self.request.user, record=instance)


class StatusDecisionViewSet(_DeleteThroughCases, ScopedViewSet):
    """A decision on a person's refugee status by UNHCR, the national authority or a court, or
    a pending application (outcome `pending`). Outside lawyers may record them."""

    queryset = RefugeeStatusDecision.objects.select_related("person", "case")
    serializer_class = StatusDecisionSerializer
    filterset_class = StatusDecisionFilterSet

    def create_record(self, data):
        return services.status_decision_record(acting_user=self.request.user, **data)

    def update_record(self, instance, data):
        return services.status_decision_update(
            acting_user=self.request.user, decision=instance, **data
        )


class ComplaintViewSet(_DeleteThroughCases, ScopedViewSet):
    """A communication to a UN treaty body on behalf of one or more parties to the case."""

    queryset = Complaint.objects.select_related("case").prefetch_related("complainants")
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilterSet

    def create_record(self, data):
        return services.complaint_submit(acting_user=self.request.user, **data)

    def update_record(self, instance, data):
        return services.complaint_update(acting_user=self.request.user, complaint=instance, **data)


class InterimMeasureViewSet(_DeleteThroughCases, ScopedViewSet):
    """A Committee's request to the State, by default not to extradite or deport the
    complainants. In force from `granted_on` until it is lifted. Outside lawyers may record
    them."""

    queryset = InterimMeasure.objects.select_related("complaint__case")
    serializer_class = InterimMeasureSerializer
    filterset_class = InterimMeasureFilterSet

    def create_record(self, data):
        return services.interim_measure_record(acting_user=self.request.user, **data)

    def update_record(self, instance, data):
        return services.interim_measure_update(
            acting_user=self.request.user, measure=instance, **data
        )

    @extend_schema(request=InterimMeasureLiftSerializer, responses=InterimMeasureSerializer)
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        """Record that the Committee lifted the measure (once; not before it was granted)."""
        return self.verb(
            InterimMeasureLiftSerializer,
            lambda instance, data: services.interim_measure_lift(
                acting_user=request.user, measure=instance, **data
            ),
        )


class CommitteeDecisionViewSet(_DeleteThroughCases, ScopedViewSet):
    """A treaty body's decision on a complaint: admissibility, merits or discontinuance.
    Outside lawyers may record them."""

    queryset = CommitteeDecision.objects.select_related("complaint__case")
    serializer_class = CommitteeDecisionSerializer
    filterset_class = CommitteeDecisionFilterSet

    def create_record(self, data):
        return services.committee_decision_record(acting_user=self.request.user, **data)

    def update_record(self, instance, data):
        return services.committee_decision_update(
            acting_user=self.request.user, decision=instance, **data
        )
