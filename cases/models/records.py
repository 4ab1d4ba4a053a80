import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.choices import DocumentKind
from cases.models.cases import Case, CaseScopedQuerySet
from casetracker import crypto
from casetracker.crypto import EncryptedTextField
from casetracker.models import BaseModel


def _document_storage() -> FileSystemStorage:
    # Documents have no public URL: no URL pattern serves MEDIA_ROOT, and files are served
    # only by an access-checked view. No location given: the storage reads MEDIA_ROOT when
    # used, so a changed setting (a test's temporary folder) is followed.
    return crypto.EncryptedFileSystemStorage(base_url=None)


def _document_path(instance: "Document", filename: str) -> str:
    # The stored name reveals nothing of the document's or the person's name.
    return f"{instance.case.organisation_id}/{instance.case_id}/{uuid.uuid4().hex}"


class Document(BaseModel):
    """A file kept on a case: a decision, a submission, a letter. Stored outside the web root."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="documents", verbose_name=_("case")
    )
    file = models.FileField(_("file"), upload_to=_document_path, storage=_document_storage)
    filename = models.CharField(_("original file name"), max_length=255)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=DocumentKind, default=DocumentKind.OTHER
    )
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.case.record_url(self)


class Note(BaseModel):
    """An update filed on a case, e.g. by a lawyer after a hearing."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="notes", verbose_name=_("case")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    occurred_on = models.DateField(_("occurred on"))
    body = EncryptedTextField(_("text"))  # encrypted at rest (casetracker/crypto.py)
    documents = models.ManyToManyField(
        Document, blank=True, related_name="notes", verbose_name=_("documents")
    )

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-occurred_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.occurred_on.isoformat()}: {self.body[:60]}"

    @property
    def audit_repr(self) -> str:
        """How the timeline names a note: by its date, since its text is encrypted."""
        return f"{self.occurred_on.isoformat()}: note"

    def get_absolute_url(self) -> str:
        return self.case.record_url(self)
