"""What a document is, judged by its content rather than its name, and how it is handed out.

An upload named ``decision.pdf`` that is really an executable must be refused: the file will be
opened by caseworkers on office machines. A download is always an attachment under a cleaned
name, for the API and the browser alike (``document_response``).
"""

import unicodedata
import zipfile
from typing import IO

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

# (magic prefix, content type). Order matters: the first match wins.
_SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
]
_ZIP_MAGIC = b"PK\x03\x04"
_OFFICE_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_ODF_TEXT = "application/vnd.oasis.opendocument.text"

ALLOWED_CONTENT_TYPES = frozenset(
    {ct for _, ct in _SIGNATURES} | set(_OFFICE_TYPES.values()) | {_ODF_TEXT, "text/plain"}
)


def safe_filename(name: str) -> str:
    """The name to offer a download under: no folders, no control characters (a header
    injection or a path), never empty."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    return name or "document"


def document_response(document) -> FileResponse:
    """A document's file as a download, for the API and the browser alike (DESIGN §5: served
    only through a view that checks access, which the caller has done).

    Always an attachment, never rendered inline, in the content type found at upload, and
    never kept by a browser or proxy cache.
    """
    if not document.file:
        # Its file was deleted when the person it was about was anonymised (issue #11).
        raise Http404(_("This document's file was deleted when its person was anonymised."))
    response = FileResponse(
        document.file.storage.open(document.file.name, "rb"),
        as_attachment=True,
        filename=safe_filename(document.filename),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def sniff_content_type(file: IO[bytes]) -> str | None:
    """The content type of ``file`` from its bytes, or None if it is not an accepted kind."""
    file.seek(0)
    head = file.read(4096)
    file.seek(0)
    for magic, content_type in _SIGNATURES:
        if head.startswith(magic):
            return content_type
    if head.startswith(_ZIP_MAGIC):
        return _sniff_zip(file)
    if _is_text(head):
        return "text/plain"
    return None


def _sniff_zip(file: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "mimetype" in names and archive.read("mimetype").strip() == _ODF_TEXT.encode():
                return _ODF_TEXT
        for prefix, content_type in _OFFICE_TYPES.items():
            if "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names):
                return content_type
        return None
    except zipfile.BadZipFile:
        return None
    finally:
        file.seek(0)


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the 4096-byte boundary is still text.
        return exc.start >= len(head) - 3
    return True
