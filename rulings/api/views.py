"""Viewsets of rulings: a few declarative lines each on casetracker's ScopedViewSet, and the
case timeline, which merges every forum's events of one case."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.models import Case
from cases.services import record_delete
from casetracker.api.base import ScopedViewSet, etag_of
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
from rulings.selectors import TIMELINE_FORUMS, case_timeline


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


class TimelineEntrySerializer(serializers.Serializer):
    date = serializers.DateField(help_text=_("The day of the event."))
    forum = serializers.ChoiceField(
        choices=TIMELINE_FORUMS, help_text=_("Where the event happened.")
    )
    kind = serializers.CharField(
        help_text=_(
            "What happened, within the forum: e.g. started/ended (detention), "
            "request_received/surrendered/decision/decision_served (extradition), "
            "applied/decided/notified (refugee_status), submitted/registered/transmitted/"
            "state_reply/comments_due (complaint), requested/granted/reaffirmed/lifted "
            "(interim_measure), adopted/transmitted/follow_up_reply (committee), note, due "
            "(deadline)."
        )
    )
    title = serializers.CharField(help_text=_("The event in words, for a person to read."))
    record_type = serializers.CharField(
        help_text=_("The record the event comes from, as app.model, e.g. cases.detention.")
    )
    record_id = serializers.UUIDField(help_text=_("The record's UUID."))
    person_id = serializers.UUIDField(
        allow_null=True, help_text=_("The person the event concerns (UUID); null for the case.")
    )


class TimelineSerializer(serializers.Serializer):
    case = serializers.UUIDField(help_text=_("The case (UUID)."))
    count = serializers.IntegerField(help_text=_("The number of entries."))
    results = TimelineEntrySerializer(
        many=True, help_text=_("Every entry of the case, oldest first, in one answer.")
    )


class CaseTimelineView(generics.GenericAPIView):
    """Every dated event of one case across all forums, oldest first, in one answer (not
    paginated: a case has at most some hundreds). 404 for a case you may not see."""

    serializer_class = TimelineSerializer
    # The path's ``pk`` is the case's; the filters of the case list do not apply here.
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return Case.objects.visible_to(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description=_("The case (UUID).")
            )
        ],
    )
    def get(self, request, pk):
        case = get_object_or_404(self.get_queryset(), pk=pk)
        entries = case_timeline(case=case)
        data = self.get_serializer({"case": case.pk, "count": len(entries), "results": entries})
        return Response(data.data, headers={"ETag": etag_of(data.data)})
