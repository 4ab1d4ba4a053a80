"""Updates filed on a case, and the documents kept on it."""

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from cases.access import CaseAction, case_can
from cases.documents import sniff_content_type
from cases.models import Case, Document, Note
from cases.services.records import record_create, record_delete, record_update


@transaction.atomic
def note_file(
    *,
    acting_user,
    case: Case,
    occurred_on: datetime.date,
    body: str,
    documents: Iterable[Document] = (),
) -> Note:
    """File an update on a case, e.g. a lawyer's account of a hearing, with its documents."""
    return record_create(
        acting_user=acting_user,
        case=case,
        action=CaseAction.FILE,
        model=Note,
        data={"occurred_on": occurred_on, "body": body},
        allowed=("occurred_on", "body"),
        many={"documents": _same_case(case, documents)},
        author=acting_user,
    )


@transaction.atomic
def note_file_with_document(
    *,
    acting_user,
    case: Case,
    occurred_on: datetime.date,
    body: str,
    file: UploadedFile,
    document_title: str = "",
) -> Note:
    """File an update with a file attached (the case page's "File an update"): the document
    and the note together or neither, on disk too. A document error names ``document_title``
    or ``file``; the file's own name is the title when none is given."""
    document = None
    try:
        try:
            document = document_upload(
                acting_user=acting_user,
                case=case,
                file=file,
                title=(document_title or file.name or _("Document"))[:200],
            )
        except ValidationError as exc:
            raise _renamed(exc, {"title": "document_title"}) from exc
        return note_file(
            acting_user=acting_user,
            case=case,
            occurred_on=occurred_on,
            body=body,
            documents=[document],
        )
    except BaseException:
        # The rows roll back with the transaction; the stored file must go with them.
        if document is not None and document.file.name:
            document.file.storage.delete(document.file.name)
        raise


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.error_dict.items()})


def _same_case(case: Case, documents: Iterable[Document]) -> list[Document]:
    documents = list(documents)
    if any(d.case_id != case.pk for d in documents):
        raise ValidationError({"documents": _("Attach only documents of the same case.")})
    return documents


@transaction.atomic
def note_update(
    *, acting_user, note: Note, documents: Iterable[Document] | None = None, **changes: Any
) -> Note:
    """Correct an update. Its author may (with the right to file); others need the right to edit."""
    is_author = note.author_id == acting_user.pk and case_can(
        user=acting_user, case=note.case, action=CaseAction.FILE
    )
    return record_update(
        acting_user=acting_user,
        record=note,
        action=CaseAction.FILE if is_author else CaseAction.EDIT,
        data=changes,
        allowed=("occurred_on", "body"),
        many=None if documents is None else {"documents": _same_case(note.case, documents)},
    )


@transaction.atomic
def document_upload(
    *, acting_user, case: Case, file: UploadedFile, title: str, kind: str = "other"
) -> Document:
    """Keep a file on a case after checking its size and, by content, its type."""
    if file.size > settings.DOCUMENT_MAX_BYTES:
        # The code goes on the field's error: a dict's own code is dropped by ValidationError,
        # and the API answers "too_large" with 413 rather than 400.
        raise ValidationError(
            {
                "file": ValidationError(
                    _("The file is %(size)s; the largest accepted is %(max)s.")
                    % {
                        "size": filesizeformat(file.size),
                        "max": filesizeformat(settings.DOCUMENT_MAX_BYTES),
                    },
                    code="too_large",
                )
            }
        )
    content_type = sniff_content_type(file)
    if content_type is None:
        raise ValidationError(
            {
                "file": ValidationError(
                    _(
                        "This kind of file is not accepted. Upload a PDF, an image (PNG, JPEG, "
                        "TIFF), a Word or OpenDocument text, or plain text."
                    ),
                    code="bad_type",
                )
            }
        )
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    document = record_create(
        acting_user=acting_user,
        case=case,
        action=CaseAction.FILE,
        model=Document,
        data={"title": title, "kind": kind},
        allowed=("title", "kind"),
        file=file,
        filename=(file.name or "document")[:255],
        content_type=content_type,
        sha256=digest.hexdigest(),
        size=file.size,
        uploaded_by=acting_user,
    )
    return document


@transaction.atomic
def document_delete(*, acting_user, document: Document) -> None:
    """Delete a document; its file is removed once the deletion is committed."""
    storage, name = document.file.storage, document.file.name
    record_delete(acting_user=acting_user, record=document)
    transaction.on_commit(lambda: storage.delete(name))
