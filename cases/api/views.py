"""Viewsets of cases' records: a few declarative lines each on casetracker's ScopedViewSet."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from cases import services
from cases.api.serializers import (
    CaseAccessSerializer,
    CaseCloseSerializer,
    CasePartySerializer,
    CaseSerializer,
    DetentionEndSerializer,
    DetentionSerializer,
    ExtraditionDecisionSerializer,
    ExtraditionRequestSerializer,
    ExtraditionSurrenderSerializer,
    NoteSerializer,
)
from cases.filtersets import (
    CaseAccessFilterSet,
    CaseFilterSet,
    CasePartyFilterSet,
    DetentionFilterSet,
    ExtraditionDecisionFilterSet,
    ExtraditionRequestFilterSet,
    NoteFilterSet,
)
from cases.models import (
    Case,
    CaseAccess,
    CaseParty,
    Detention,
    ExtraditionDecision,
    ExtraditionRequest,
    Note,
)
from casetracker.api.base import ScopedViewSet
from people.models import Person


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


class CaseViewSet(ScopedViewSet):
    """Cases are closed, never deleted: there is no DELETE."""

    queryset = Case.objects.prefetch_related(
        Prefetch("parties", queryset=Person.objects.only("id"))
    )
    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def create_record(self, data):
        return services.case_open(acting_user=self.request.user, **data)

    def update_record(self, instance, data):
        return services.case_update(acting_user=self.request.user, case=instance, **data)

    @extend_schema(request=CaseCloseSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close a case on a date; its open deadlines are cancelled."""
        return self.verb(
            CaseCloseSerializer,
            lambda case, data: services.case_close(acting_user=request.user, case=case, **data),
        )

    @extend_schema(request=None, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen a closed case; the deadlines its records trigger come back."""
        return self.verb(
            serializers.Serializer,
            lambda case, data: services.case_reopen(acting_user=request.user, case=case),
        )


class CasePartyViewSet(ScopedViewSet):
    """A party is added or removed, never changed: remove it and add it again."""

    queryset = CaseParty.objects.all()
    serializer_class = CasePartySerializer
    filterset_class = CasePartyFilterSet
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create_record(self, data):
        return services.case_party_add(acting_user=self.request.user, **data)

    def delete_record(self, instance):
        services.case_party_remove(acting_user=self.request.user, party=instance)


class CaseAccessViewSet(ScopedViewSet):
    """Sharing a case with one user: POST shares, PATCH changes the role, DELETE revokes."""

    queryset = CaseAccess.objects.all()
    serializer_class = CaseAccessSerializer
    filterset_class = CaseAccessFilterSet

    def create_record(self, data):
        return services.case_share(acting_user=self.request.user, **data)

    def update_record(self, instance, data):
        return services.case_share(
            acting_user=self.request.user,
            case=instance.case,
            user=instance.user,
            role=data.get("role", instance.role),
        )

    def delete_record(self, instance):
        services.case_unshare(acting_user=self.request.user, access=instance)


class ExtraditionRequestViewSet(ScopedViewSet):
    queryset = ExtraditionRequest.objects.all()
    serializer_class = ExtraditionRequestSerializer
    filterset_class = ExtraditionRequestFilterSet

    def create_record(self, data):
        return services.extradition_request_create(acting_user=self.request.user, **data)

    def update_record(self, instance, data):
        return services.extradition_request_update(
            acting_user=self.request.user, request=instance, **data
        )

    def delete_record(self, instance):
        services.record_delete(acting_user=self.request.user, record=instance)

    @extend_schema(request=ExtraditionSurrenderSerializer, responses=ExtraditionRequestSerializer)
    @action(detail=True, methods=["post"])
    def surrender(self, request, pk=None):
        """Record that the person was handed over to the requesting State."""
        return self.verb(
            ExtraditionSurrenderSerializer,
            lambda instance, data: services.extradition_request_surrender(
                acting_user=request.user, request=instance, **data
            ),
        )


class ExtraditionDecisionViewSet(ScopedViewSet):
    queryset = ExtraditionDecision.objects.select_related("request")
    serializer_class = ExtraditionDecisionSerializer
    filterset_class = ExtraditionDecisionFilterSet

    def create_record(self, data):
        return services.extradition_decision_record(acting_user=self.request.user, **data)

    def update_record(self, instance, data):
        return services.extradition_decision_update(
            acting_user=self.request.user, decision=instance, **data
        )

    def delete_record(self, instance):
        services.record_delete(acting_user=self.request.user, record=instance)


class NoteViewSet(ScopedViewSet):
    queryset = Note.objects.prefetch_related("documents")
    serializer_class = NoteSerializer
    filterset_class = NoteFilterSet

    def create_record(self, data):
        return services.note_file(acting_user=self.request.user, **data)

    def update_record(self, instance, data):
        return services.note_update(acting_user=self.request.user, note=instance, **data)

    def delete_record(self, instance):
        services.record_delete(acting_user=self.request.user, record=instance)
