"""The case timeline of the API: it merges every forum's events of one case, so it lives in
workspace, the top of the dependency chain."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response

from cases.models import Case
from casetracker.api.base import etag_of
from workspace.api.serializers import TimelineSerializer
from workspace.selectors import case_timeline


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
        # DRF's get_object over get_queryset: the API's one 'record or 404', as in every viewset.
        case = self.get_object()
        entries = case_timeline(case=case)
        data = self.get_serializer({"case": case.pk, "count": len(entries), "results": entries})
        return Response(data.data, headers={"ETag": etag_of(data.data)})
