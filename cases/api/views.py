"""Viewsets of cases' records: a few declarative lines each on casetracker's ScopedViewSet.

Deadline rules are public law, the same for every organisation: every signed-in user reads
them, and only a platform operator changes one (its version goes up). Deadlines and alerts are
case data, scoped like every record. A deadline's computed fields never change by PATCH: the
verbs say what happened (met, missed, overridden with a reason, reopened), each through its
service. A document has no public URL and its storage path is never shown: the representation
names the download endpoint instead, which answers 404 to whoever may not see the case,
exactly as for a document that does not exist.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import MultiPartParser

from cases import services
from cases.api.serializers import (
    AlertSerializer,
    CaseAccessSerializer,
    CaseCloseSerializer,
    CasePartySerializer,
    CaseSerializer,
    DeadlineMetSerializer,
    DeadlineOverrideSerializer,
    DeadlineRuleSerializer,
    DeadlineSerializer,
    DetentionEndSerializer,
    DetentionSerializer,
    DocumentSerializer,
    ExtraditionDecisionSerializer,
    ExtraditionRequestSerializer,
    ExtraditionSurrenderSerializer,
    NoBody,
    NoteSerializer,
)
from cases.documents import document_response
from cases.filtersets import (
    AlertFilterSet,
    CaseAccessFilterSet,
    CaseFilterSet,
    CasePartyFilterSet,
    DeadlineFilterSet,
    DeadlineRuleFilterSet,
    DetentionFilterSet,
    DocumentFilterSet,
    ExtraditionDecisionFilterSet,
    ExtraditionRequestFilterSet,
    NoteFilterSet,
)
from cases.models import (
    Alert,
    Case,
    CaseAccess,
    CaseParty,
    Deadline,
    DeadlineRule,
    Detention,
    Document,
    ExtraditionDecision,
    ExtraditionRequest,
    Note,
)
from cases.services import document_delete, document_upload
from cases.services.alerts import alert_acknowledge
from cases.services.deadlines import (
    deadline_create,
    deadline_mark_met,
    deadline_mark_missed,
    deadline_override,
    deadline_reopen,
    deadline_rule_update,
)
from casetracker.api.base import ReadOnlyScopedViewSet, ScopedViewSet
from casetracker.api.pagination import CursorPage
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


# --- deadline rules, deadlines, alerts and documents ---------------------------------------


class OperatorWrites(permissions.BasePermission):
    """Rules are shared by every organisation: only a platform operator changes them."""

    message = _("Only a platform operator may change deadline rules.")

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or request.user.is_superuser


class RulePage(CursorPage):
    ordering = "code"


class DeadlineRuleViewSet(ScopedViewSet):
    """How each legal deadline is computed, with its source. Change one with PATCH (platform
    operators only); its version goes up and existing deadlines keep theirs."""

    queryset = DeadlineRule.objects.all()
    serializer_class = DeadlineRuleSerializer
    filterset_class = DeadlineRuleFilterSet
    pagination_class = RulePage
    permission_classes = [permissions.IsAuthenticated, OperatorWrites]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        # Not case data: the rules are public law, the same for every organisation.
        return DeadlineRule.objects.all()

    def update_record(self, instance, data):
        return deadline_rule_update(acting_user=self.request.user, rule=instance, **data)


class DeadlineViewSet(ScopedViewSet):
    """Deadlines of the cases you can see, computed from rules or entered by hand. POST enters
    one by hand; the verbs record what happened. Nothing is edited or deleted directly: a
    computed deadline follows its record (cancelled when the record is deleted)."""

    queryset = Deadline.objects.select_related("rule")
    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def create_record(self, data):
        return deadline_create(acting_user=self.request.user, **data)

    @extend_schema(request=DeadlineMetSerializer, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def met(self, request, pk=None):
        """Mark an open deadline met (needs the right to file on the case)."""
        return self.verb(
            DeadlineMetSerializer,
            lambda deadline, data: deadline_mark_met(
                acting_user=request.user, deadline=deadline, **data
            ),
        )

    @extend_schema(request=DeadlineOverrideSerializer, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def override(self, request, pk=None):
        """Move an open deadline's due date, with the reason (the computed date is kept)."""
        return self.verb(
            DeadlineOverrideSerializer,
            lambda deadline, data: deadline_override(
                acting_user=request.user, deadline=deadline, **data
            ),
        )

    @extend_schema(request=None, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def missed(self, request, pk=None):
        """Mark an open deadline missed (needs the right to change the case's records)."""
        return self.verb(
            NoBody,
            lambda deadline, data: deadline_mark_missed(
                acting_user=request.user, deadline=deadline
            ),
        )

    @extend_schema(request=None, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen a met, missed or cancelled deadline (e.g. marked met by mistake)."""
        return self.verb(
            NoBody,
            lambda deadline, data: deadline_reopen(acting_user=request.user, deadline=deadline),
        )


class AlertViewSet(ReadOnlyScopedViewSet):
    """The alerts raised on the cases you can see, newest first. Acknowledge one when it is
    handled."""

    queryset = Alert.objects.all()
    serializer_class = AlertSerializer
    filterset_class = AlertFilterSet

    @extend_schema(request=None, responses=AlertSerializer)
    @action(detail=True, methods=["post"], http_method_names=["post", "options"])
    def acknowledge(self, request, pk=None):
        """Mark the alert seen and handled; anyone who can see its case may. Acknowledging
        twice changes nothing."""
        return self.verb(
            NoBody, lambda alert, data: alert_acknowledge(acting_user=request.user, alert=alert)
        )


MULTIPART_ALLOWANCE = 64 * 1024


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def _too_large(message: str) -> PayloadTooLarge:
    return PayloadTooLarge(detail={"file": [message]})


class _AnyAccept(BaseContentNegotiation):
    """A download answers with the file whatever the client's ``Accept`` says (a browser asks
    for ``application/pdf``); errors are JSON, the first renderer."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


@extend_schema_view(
    create=extend_schema(
        responses={
            201: DocumentSerializer,
            400: OpenApiResponse(description="A field is wrong, e.g. a file of a refused type."),
            413: OpenApiResponse(description="The file is larger than the server accepts."),
        }
    )
)
class DocumentViewSet(ScopedViewSet):
    """Documents kept on cases. Upload with ``multipart/form-data``; there is no update (delete
    and upload again); deleting needs the right to delete the case's records."""

    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    parser_classes = [MultiPartParser]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def initial(self, request, *args, **kwargs):
        # Before authentication: a session's CSRF check would read (and spool to disk) the
        # whole body. The limit is no secret, so even an anonymous client learns it here.
        if self.action == "create":
            self._refuse_by_length(request)
        super().initial(request, *args, **kwargs)

    def _refuse_by_length(self, request) -> None:
        """Refuse an oversized upload before its body is read (the service checks the file
        itself too: a body can be sent without a Content-Length, in chunks)."""
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return
        limit = settings.DOCUMENT_MAX_BYTES
        if length > limit + MULTIPART_ALLOWANCE:
            raise _too_large(
                _("The upload is %(size)s; the largest file accepted is %(max)s.")
                % {"size": filesizeformat(length), "max": filesizeformat(limit)}
            )

    def create_record(self, data):
        try:
            return document_upload(acting_user=self.request.user, **data)
        except ValidationError as exc:
            errors = getattr(exc, "error_dict", {}).get("file", [])
            too_large = [e for e in errors if e.code == "too_large"]
            if too_large:
                raise _too_large(ValidationError(too_large).messages[0]) from exc
            raise

    def delete_record(self, instance):
        document_delete(acting_user=self.request.user, document=instance)

    @extend_schema(
        request=None,
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The file, as an attachment under its original name, in the "
                "content type found at upload.",
            ),
            404: OpenApiResponse(description="No such document, or not yours to see."),
        },
    )
    @action(detail=True, methods=["get"], content_negotiation_class=_AnyAccept)
    def download(self, request, pk=None):
        """Download the file. Never cached by a browser or a proxy; never opened inline."""
        return document_response(self.get_object())
