"""/api/v1/documents/: uploads checked by size (413) and by content (400), downloads only
through the access-checked endpoint, never a storage path (issue #4 item 6)."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from rest_framework.test import APIClient

from cases.models import CaseEvent, Document
from tests import factories as f
from tests.api.matrix import SEES, USERS, EndpointMatrix, client_for
from tests.helpers import FILE, nothing_written

PDF = b"%PDF-1.4\n%test\n"
# The start of a Windows executable ("MZ" header), renamed to look like a PDF.
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded documents go to a folder of this test, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "documents"
    return settings.MEDIA_ROOT


def upload(world, content: bytes = PDF, name: str = "decision.pdf", case=None) -> dict:
    return {
        "case": str((case or world.case).pk),
        "title": "Prosecutor's decision",
        "kind": "decision",
        "file": SimpleUploadedFile(name, content),
    }


class TestDocuments(EndpointMatrix):
    basename = "document"
    writes = FILE  # outside lawyers may upload on the cases shared with them
    can_update = False  # delete and upload again
    create_format = "multipart"

    def record(self, world):
        return f.DocumentFactory(case=world.case)

    def create_data(self, world):
        return upload(world)


def test_an_upload_is_kept_with_its_digest_and_shows_no_storage_path(world):
    response = client_for(world.lawyer).post(
        "/api/v1/documents/", upload(world), format="multipart"
    )

    assert response.status_code == 201, response.json()
    document = Document.objects.get()
    body = response.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest() == document.sha256
    assert (body["size"], body["content_type"]) == (len(PDF), "application/pdf")
    assert (body["filename"], body["uploaded_by"]) == ("decision.pdf", world.lawyer.pk)
    assert body["download_url"].endswith(f"/api/v1/documents/{document.pk}/download/")
    assert "file" not in body
    assert document.file.name not in response.content.decode()
    assert CaseEvent.objects.filter(kind="document.created", actor=world.lawyer).count() == 1


def test_a_file_over_the_limit_is_a_413_naming_the_field_and_the_limit(world, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    client = client_for(world.caseworker)

    with nothing_written():
        response = client.post(
            "/api/v1/documents/", upload(world, PDF + b"x" * 1024), format="multipart"
        )

    assert response.status_code == 413
    [message] = response.json()["file"]
    assert filesizeformat(1024) in message
    assert not any(path.is_file() for path in settings.MEDIA_ROOT.rglob("*"))


def test_an_oversized_upload_is_refused_by_its_length_before_it_is_read(world, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    client = client_for(world.caseworker)

    # The body is never read: a server that tried would wait for a gigabyte that never comes.
    with nothing_written():
        response = client.post(
            "/api/v1/documents/",
            upload(world),
            format="multipart",
            CONTENT_LENGTH=str(10**9),
        )

    assert response.status_code == 413
    [message] = response.json()["file"]
    assert filesizeformat(1024) in message
    # Refused before authentication too (which, for a session, would read the body).
    anonymous = APIClient().post(
        "/api/v1/documents/", upload(world), format="multipart", CONTENT_LENGTH=str(10**9)
    )
    assert anonymous.status_code == 413


def test_an_executable_renamed_pdf_is_a_400_naming_the_field(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            "/api/v1/documents/", upload(world, EXECUTABLE, "decision.pdf"), format="multipart"
        )

    assert response.status_code == 400
    assert "not accepted" in response.json()["file"][0]


def test_an_upload_to_a_case_not_visible_is_a_400_naming_the_case(world):
    with nothing_written():
        response = client_for(world.lawyer).post(
            "/api/v1/documents/", upload(world, case=world.unshared), format="multipart"
        )

    assert response.status_code == 400
    assert "case" in response.json()


def test_json_uploads_are_refused(world):
    response = client_for(world.caseworker).post(
        "/api/v1/documents/", {"case": str(world.case.pk), "title": "x"}, format="json"
    )

    assert response.status_code == 415


@pytest.mark.parametrize("who", USERS)
def test_download_answers_only_to_who_sees_the_case(world, who):
    document = f.DocumentFactory(case=world.case, filename="Решение прокурора.pdf")
    client = client_for(getattr(world, who))

    response = client.get(f"/api/v1/documents/{document.pk}/download/")

    if who in SEES:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''%D0%A0%D0%B5%D1%88" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
    else:
        assert response.status_code == 404
        assert response.json() == client.get(f"/api/v1/documents/{world.case.pk}/download/").json()


def test_download_is_refused_to_anonymous_and_ignores_the_accept_header(world):
    document = f.DocumentFactory(case=world.case)
    url = f"/api/v1/documents/{document.pk}/download/"

    assert APIClient().get(url).status_code == 401
    response = client_for(world.viewer).get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="decision.pdf"'


def test_a_document_on_a_restricted_case_is_hidden_from_its_organisation(world):
    document = f.DocumentFactory(case=world.restricted)

    assert client_for(world.caseworker).get(f"/api/v1/documents/{document.pk}/").status_code == 404
    response = client_for(world.caseworker).get(f"/api/v1/documents/{document.pk}/download/")
    assert response.status_code == 404
    assert (
        client_for(world.admin).get(f"/api/v1/documents/{document.pk}/download/").status_code == 200
    )


def test_delete_records_the_event_and_the_lawyer_may_not(world):
    document = f.DocumentFactory(case=world.case)

    with nothing_written():
        refused = client_for(world.lawyer).delete(f"/api/v1/documents/{document.pk}/")
    deleted = client_for(world.caseworker).delete(f"/api/v1/documents/{document.pk}/")

    assert (refused.status_code, deleted.status_code) == (403, 204)
    assert not Document.objects.exists()
    assert CaseEvent.objects.filter(kind="document.deleted", actor=world.caseworker).exists()


def test_filters(world):
    kept = f.DocumentFactory(case=world.case, kind="evidence")
    f.DocumentFactory(case=world.case, kind="decision")
    f.DocumentFactory(case=world.unshared, kind="evidence")
    client = client_for(world.caseworker)

    response = client.get("/api/v1/documents/", {"case": str(world.case.pk), "kind": "evidence"})

    assert [row["id"] for row in response.json()["results"]] == [str(kept.pk)]
