"""Filing updates and keeping documents from the browser (issue #5): the case page's quick form
(inline with HTMX, a plain POST without), its errors next to the field with nothing written, the
full forms, and documents downloaded and deleted only by whoever may."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseEvent, Document, Note
from tests import factories as f
from tests.helpers import DELETE, Timeline, nothing_written
from tests.pages.matrix import FILE_FORM, SEES, USERS, VISIBLE, ActionMatrix, PageMatrix, client_for

PDF = b"%PDF-1.4\n%test\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded documents go to a folder of this test, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "documents"
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def note_url(case) -> str:
    return reverse("cases:note_create", args=[case.pk])


def update(body="Hearing adjourned to 3 July.", day="2026-11-20", quick=True, **extra) -> dict:
    data = {"occurred_on": day, "body": body, **extra}
    if quick:
        data["quick"] = "1"
    return data


# --- permission matrices ---------------------------------------------------------------------


class TestNoteCreate(PageMatrix):
    url_name = "cases:note_create"
    status = FILE_FORM
    query_budget = 12

    def url(self, world):
        return note_url(world.case)

    def add_row(self, world):
        f.NoteFactory(case=world.case)


class TestNoteUpdate(PageMatrix):
    url_name = "cases:note_update"
    # Its author (the caseworker) and whoever may edit the case; the lawyer may file but may
    # correct only their own updates.
    status = {**VISIBLE, "viewer": 403, "lawyer": 403}
    query_budget = 12

    def url(self, world):
        note = f.NoteFactory(case=world.case, author=world.caseworker)
        return reverse(self.url_name, args=[note.pk])

    def add_row(self, world):
        f.NoteFactory(case=world.case)


class TestDocumentUpload(PageMatrix):
    url_name = "cases:document_upload"
    status = FILE_FORM
    query_budget = 12

    def url(self, world):
        return reverse(self.url_name, args=[world.case.pk])

    def add_row(self, world):
        f.DocumentFactory(case=world.case)


class TestDocumentDownload(PageMatrix):
    url_name = "cases:document_download"
    status = VISIBLE
    query_budget = 4

    def url(self, world):
        return reverse(self.url_name, args=[f.DocumentFactory(case=world.case).pk])

    def add_row(self, world):
        f.DocumentFactory(case=world.case)


class TestDocumentDelete(ActionMatrix):
    url_name = "cases:document_delete"
    allowed = DELETE

    def url(self, world):
        return reverse(self.url_name, args=[f.DocumentFactory(case=world.case).pk])


# --- the quick update form ---------------------------------------------------------------------


def test_the_lawyer_files_an_update_inline_and_the_note_appears_in_the_list(world):
    timeline = Timeline()

    response = client_for(world.lawyer).post(note_url(world.case), update(), headers=HTMX)

    assert response.status_code == 200
    note = Note.objects.get()
    assert (note.case, note.author, note.body) == (world.case, world.lawyer, update()["body"])
    assert note.occurred_on == datetime.date(2026, 11, 20)
    [event] = timeline.new()
    assert (event.kind, event.actor, event.case) == ("note.created", world.lawyer, world.case)
    html = response.content.decode()
    # The form comes back empty, with the update acknowledged …
    form = html.split("<section", 1)[0]
    assert '<form class="form form--quick" id="quick-note"' in form
    assert "Update filed." in form
    assert "Hearing adjourned" not in form
    # … and the notes (and documents) are swapped in out of band, the new note among them.
    assert 'id="notes" aria-labelledby="notes-heading" hx-swap-oob="true"' in html
    assert f'id="note-{note.pk}"' in html and "Hearing adjourned to 3 July." in html
    assert 'id="documents" aria-labelledby="documents-heading" hx-swap-oob="true"' in html
    assert "no-store" in response["Cache-Control"]


def test_without_javascript_the_update_is_a_post_and_a_redirect_back(world):
    client = client_for(world.lawyer)

    response = client.post(note_url(world.case), update())

    note = Note.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{world.case.get_absolute_url()}#note-{note.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Update filed." in page
    assert f'id="note-{note.pk}"' in page


@pytest.mark.parametrize("htmx", [True, False])
def test_an_empty_update_is_refused_next_to_the_field_and_nothing_is_written(world, htmx):
    client = client_for(world.lawyer)

    with nothing_written():
        response = client.post(
            note_url(world.case), update(body="  "), headers=HTMX if htmx else {}
        )

    assert response.status_code == 400
    html = response.content.decode()
    assert '<ul class="field__errors" id="id_body_errors">' in html
    assert 'aria-describedby="id_body_errors' in html
    if htmx:
        assert html.lstrip().startswith("<form") and "<html" not in html
    else:
        assert "<h1>File an update</h1>" in html


def test_a_file_over_the_limit_is_refused_next_to_the_file_and_nothing_is_kept(
    world, settings, media_root
):
    settings.DOCUMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("decision.pdf", PDF + b"x" * 2048)

    with nothing_written():
        response = client_for(world.lawyer).post(
            note_url(world.case), update(file=upload), headers=HTMX
        )

    assert response.status_code == 400
    html = response.content.decode()
    errors = html[html.index('id="id_file_errors"') :]
    assert "the largest accepted is 1.0" in errors[:400]
    assert stored_files(media_root) == []


def test_a_refused_kind_of_file_is_refused_next_to_the_file(world, media_root):
    upload = SimpleUploadedFile("decision.pdf", EXECUTABLE)

    with nothing_written():
        response = client_for(world.caseworker).post(note_url(world.case), update(file=upload))

    assert response.status_code == 400
    html = response.content.decode()
    assert "This kind of file is not accepted" in html[html.index('id="id_file_errors"') :]
    assert stored_files(media_root) == []


def test_an_update_with_a_file_keeps_both_in_one_go(world, media_root):
    timeline = Timeline()
    upload = SimpleUploadedFile("ruling.pdf", PDF)

    response = client_for(world.lawyer).post(note_url(world.case), update(file=upload))

    assert response.status_code == 302
    note, document = Note.objects.get(), Document.objects.get()
    assert list(note.documents.all()) == [document]
    assert (document.title, document.filename, document.uploaded_by) == (
        "ruling.pdf",
        "ruling.pdf",
        world.lawyer,
    )
    assert sorted(e.kind for e in timeline.new()) == ["document.created", "note.created"]
    assert len(stored_files(media_root)) == 1


def test_the_file_title_can_be_given(world):
    upload = SimpleUploadedFile("scan0001.pdf", PDF)

    client_for(world.lawyer).post(
        note_url(world.case), update(file=upload, document_title="Appeal court ruling")
    )

    assert Document.objects.get().title == "Appeal court ruling"


def test_a_viewer_may_not_file_and_the_lawyer_not_on_an_unshared_case(world):
    with nothing_written():
        assert client_for(world.viewer).post(note_url(world.case), update()).status_code == 403
        response = client_for(world.lawyer).post(note_url(world.unshared), update())
        assert response.status_code == 404


def test_the_full_form_page_defaults_to_today(world):
    html = client_for(world.lawyer).get(note_url(world.case)).content.decode()

    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert 'enctype="multipart/form-data"' in html


# --- correcting an update ----------------------------------------------------------------------


def test_the_lawyer_corrects_their_own_update_but_not_anothers(world):
    own = f.NoteFactory(case=world.case, author=world.lawyer, body="Typo")
    other = f.NoteFactory(case=world.case, author=world.caseworker)
    client = client_for(world.lawyer)
    url = reverse("cases:note_update", args=[own.pk])

    response = client.post(url, {"occurred_on": "2010-07-01", "body": "Fixed"})

    assert response.status_code == 302
    assert response["Location"] == own.get_absolute_url()
    own.refresh_from_db()
    assert own.body == "Fixed"
    assert CaseEvent.objects.filter(kind="note.updated", actor=world.lawyer).count() == 1
    with nothing_written():
        response = client.post(
            reverse("cases:note_update", args=[other.pk]),
            {"occurred_on": "2010-07-01", "body": "Mine now"},
        )
    assert response.status_code == 403


# --- documents ---------------------------------------------------------------------------------


def test_a_document_is_uploaded_from_its_form(world, media_root):
    url = reverse("cases:document_upload", args=[world.case.pk])
    upload = SimpleUploadedFile("ruling.pdf", PDF)

    response = client_for(world.lawyer).post(url, {"file": upload, "kind": "decision"})

    document = Document.objects.get()
    assert response["Location"] == f"{world.case.get_absolute_url()}#document-{document.pk}"
    assert (document.title, document.kind) == ("ruling.pdf", "decision")


@pytest.mark.parametrize("who", USERS)
def test_a_download_answers_only_to_who_sees_the_case(world, who):
    document = f.DocumentFactory(case=world.case, filename="Решение прокурора.pdf")

    response = client_for(getattr(world, who)).get(
        reverse("cases:document_download", args=[document.pk])
    )

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


def test_a_download_is_offered_under_a_safe_name(world):
    document = f.DocumentFactory(case=world.case, filename="../../etc/evil\r\nX-Header: 1.pdf")

    response = client_for(world.caseworker).get(
        reverse("cases:document_download", args=[document.pk])
    )

    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition
    assert 'filename="evilX-Header: 1.pdf"' in disposition


def test_deleting_a_document_goes_back_to_the_documents(world):
    document = f.DocumentFactory(case=world.case)
    timeline = Timeline()

    response = client_for(world.caseworker).post(
        reverse("cases:document_delete", args=[document.pk])
    )

    assert response.status_code == 302
    assert response["Location"] == f"{world.case.get_absolute_url()}#documents"
    assert not Document.objects.exists()
    assert [e.kind for e in timeline.new()] == ["document.deleted"]


def test_the_case_page_lists_documents_with_download_links_and_delete_for_those_who_may(world):
    document = f.DocumentFactory(case=world.case, title="Prosecutor's decision")
    download = reverse("cases:document_download", args=[document.pk])
    delete = reverse("cases:document_delete", args=[document.pk])

    caseworker = client_for(world.caseworker).get(world.case.get_absolute_url()).content.decode()
    lawyer = client_for(world.lawyer).get(world.case.get_absolute_url()).content.decode()

    assert download in caseworker and download in lawyer
    assert delete in caseworker and delete not in lawyer
