"""``/api/v1/documents/``: upload with size and type checks, download only through an
access-checked endpoint (DESIGN §5 cases.Document, issue #4 items 6).

A document has no public URL and its storage path is never shown: the representation names
the download endpoint instead, which answers 404 to whoever may not see the case, exactly as
for a document that does not exist.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import MultiPartParser

from cases.documents import document_response
from cases.filtersets import DocumentFilterSet
from cases.models import Case, Document
from cases.services import document_delete, document_upload
from casetracker.api.base import ScopedViewSet
from casetracker.api.fields import VisibleRelatedField

# What a multipart body may add to the file itself (boundaries, headers, title, kind, case)
# before the request is refused by its Content-Length alone, unread.
MULTIPART_ALLOWANCE = 64 * 1024


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def _too_large(message: str) -> PayloadTooLarge:
    return PayloadTooLarge(detail={"file": [message]})


class DocumentSerializer(serializers.ModelSerializer):
    case = VisibleRelatedField(
        queryset=Case.objects.all(), help_text="The case the document is kept on (UUID)."
    )
    file = serializers.FileField(
        write_only=True,
        help_text="The file (multipart upload). Accepted by its content, not its name: PDF, "
        "PNG, JPEG, TIFF, Word (.docx), OpenDocument text or plain text. Larger than the "
        "server's limit (20 MB by default) answers 413.",
    )
    download_url = serializers.HyperlinkedIdentityField(
        view_name="document-download",
        help_text="Where to download the file; answers only to users who can see the case.",
    )

    class Meta:
        model = Document
        fields = (
            "id",
            "created_at",
            "updated_at",
            "case",
            "file",
            "title",
            "kind",
            "filename",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "download_url",
        )
        read_only_fields = (
            "id",
            "created_at",
            "updated_at",
            "filename",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
        )
        extra_kwargs = {
            "id": {"help_text": "The document's public identifier."},
            "created_at": {"help_text": "When it was uploaded."},
            "updated_at": {"help_text": "When the record last changed."},
            "title": {"help_text": "What the document is, e.g. “Prosecutor's decision”."},
            "kind": {"help_text": "Decision, submission, correspondence, evidence, identity…"},
            "filename": {"help_text": "The name the file was uploaded with."},
            "content_type": {"help_text": "The type found in the file's content."},
            "size": {"help_text": "Size in bytes."},
            "sha256": {"help_text": "SHA-256 of the content, to check a copy against."},
            "uploaded_by": {"help_text": "Who uploaded it (user id); null once that user is gone."},
        }


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
