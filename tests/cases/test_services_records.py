"""Services of notes and documents filed on a case, and of deleting a mistaken record."""

import hashlib
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cases.models import Detention, Document, Note
from cases.services import (
    document_delete,
    document_upload,
    note_file,
    note_file_with_document,
    note_update,
    record_delete,
)
from casetracker import crypto
from rulings.models import RefugeeStatusDecision
from tests import factories as f
from tests.helpers import (
    DELETE,
    EDIT,
    FILE,
    UNSHARED,
    Timeline,
    assert_permission,
    nothing_written,
    permission_params,
)

# A complete one-page PDF, as a scanner would produce it (without the scan).
PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# The start of a Windows executable: "MZ", a DOS stub, NUL bytes.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _upload(content: bytes = PDF, name: str = "decision.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


# Each scenario builds its data on a case and returns the write, to be made by any user.


def _note_file(case):
    return lambda user: note_file(
        acting_user=user, case=case, occurred_on=date(2010, 7, 1), body="Hearing adjourned."
    )


def _note_update(case):
    # A colleague's note: correcting it needs the right to edit.
    colleague = f.MembershipFactory(organisation=case.organisation).user
    note = f.NoteFactory(case=case, author=colleague)
    return lambda user: note_update(acting_user=user, note=note, body="Adjourned to 9 July.")


def _document_upload(case):
    return lambda user: document_upload(
        acting_user=user, case=case, file=_upload(), title="Prosecutor's decision"
    )


def _document_delete(case):
    document = f.DocumentFactory(case=case)
    return lambda user: document_delete(acting_user=user, document=document)


def _record_delete(case):
    detention = f.DetentionFactory(case=case)
    return lambda user: record_delete(acting_user=user, record=detention)


SCENARIOS = {
    "note_file": _note_file,
    "note_update": _note_update,
    "document_upload": _document_upload,
    "document_delete": _document_delete,
    "record_delete": _record_delete,
}
PERMISSIONS = {
    "note_file": FILE,
    "note_update": EDIT,
    "document_upload": FILE,
    "document_delete": DELETE,
    "record_delete": DELETE,
}


@pytest.mark.parametrize(("service", "who", "allowed"), permission_params(PERMISSIONS))
def test_who_may_write(world, service, who, allowed):
    assert_permission(SCENARIOS[service](world.case), getattr(world, who), allowed)


@pytest.mark.parametrize(
    ("service", "who", "allowed"),
    permission_params(dict.fromkeys(["note_file", "document_upload"], UNSHARED)),
)
def test_a_lawyer_files_only_on_the_cases_shared_with_them(world, service, who, allowed):
    assert_permission(SCENARIOS[service](world.unshared), getattr(world, who), allowed)


# --- notes ------------------------------------------------------------------------------------


def test_note_file_by_the_lawyer_with_documents(world):
    document = f.DocumentFactory(case=world.case)
    timeline = Timeline()
    note = note_file(
        acting_user=world.lawyer,
        case=world.case,
        occurred_on=date(2010, 7, 1),
        body="Hearing adjourned to 9 July.",
        documents=[document],
    )
    event = timeline.only("note.created", actor=world.lawyer, case=world.case)
    after = event.changes["after"]  # the text is sealed in the stored values
    assert (after["author"], after["occurred_on"], after["body"]) == (
        world.lawyer.pk,
        "2010-07-01",
        "Hearing adjourned to 9 July.",
    )
    assert after["documents"] == [str(document.pk)]
    assert list(note.documents.all()) == [document]


@pytest.mark.parametrize("field", ["documents", "body"])
def test_note_file_refuses_another_case_s_document_or_no_text(world, field):
    body, documents = "Hearing adjourned.", []
    if field == "documents":
        documents = [f.DocumentFactory(case=world.unshared)]
    else:
        body = ""
    with nothing_written(), pytest.raises(ValidationError) as error:
        note_file(
            acting_user=world.caseworker,
            case=world.case,
            occurred_on=date(2010, 7, 1),
            body=body,
            documents=documents,
        )
    assert field in error.value.message_dict
    assert not Note.objects.filter(case=world.case).exists()


def test_note_update_by_its_author(world):
    note = f.NoteFactory(case=world.case, author=world.lawyer, body="Hearing adjourned.")
    timeline = Timeline()
    note_update(acting_user=world.lawyer, note=note, body="Adjourned to 9 July.")
    event = timeline.only("note.updated", actor=world.lawyer, case=world.case)
    assert event.changes == {
        "before": {"body": "Hearing adjourned."},
        "after": {"body": "Adjourned to 9 July."},
    }


def test_note_update_attaching_a_document_is_on_the_timeline(world):
    note = f.NoteFactory(case=world.case, author=world.lawyer)
    document = f.DocumentFactory(case=world.case)
    timeline = Timeline()
    note_update(acting_user=world.lawyer, note=note, documents=[document])
    event = timeline.only("note.updated", actor=world.lawyer, case=world.case)
    assert event.data == {"before": {"documents": []}, "after": {"documents": [str(document.pk)]}}


def test_note_update_that_changes_nothing_writes_nothing(world):
    note = f.NoteFactory(case=world.case, author=world.lawyer)
    note.documents.set([f.DocumentFactory(case=world.case)])
    with nothing_written():
        note_update(
            acting_user=world.lawyer,
            note=note,
            body=note.body,
            occurred_on=note.occurred_on,
            documents=list(note.documents.all()),
        )


def test_note_update_refuses_an_empty_text(world):
    note = f.NoteFactory(case=world.case, author=world.lawyer)
    with nothing_written(), pytest.raises(ValidationError) as error:
        note_update(acting_user=world.lawyer, note=note, body="")
    assert "body" in error.value.message_dict


# --- documents --------------------------------------------------------------------------------


def test_document_upload_keeps_a_pdf_outside_the_web_root(world, media_root):
    timeline = Timeline()
    document = document_upload(
        acting_user=world.lawyer, case=world.case, file=_upload(), title="Prosecutor's decision"
    )
    event = timeline.only("document.created", actor=world.lawyer, case=world.case)
    after = event.data["after"]
    assert (after["content_type"], after["size"], after["filename"]) == (
        "application/pdf",
        len(PDF),
        "decision.pdf",
    )
    assert after["sha256"] == hashlib.sha256(PDF).hexdigest()
    [stored] = _stored_files(media_root)
    assert PDF not in stored.read_bytes()  # encrypted at rest (tests/casetracker/test_crypto.py)
    assert crypto.document_unseal(stored.read_bytes()) == PDF
    # The stored name gives away neither the document's nor the person's name.
    assert "decision" not in document.file.name
    assert document.uploaded_by == world.lawyer


def test_document_upload_refuses_an_executable_named_pdf(world, media_root):
    with nothing_written(), pytest.raises(ValidationError) as error:
        document_upload(
            acting_user=world.lawyer,
            case=world.case,
            file=_upload(EXE, "decision.pdf"),
            title="Prosecutor's decision",
        )
    assert "file" in error.value.message_dict
    assert _stored_files(media_root) == []


def test_document_upload_refuses_a_file_over_the_limit(world, media_root):
    with (
        override_settings(DOCUMENT_MAX_BYTES=len(PDF) - 1),
        nothing_written(),
        pytest.raises(ValidationError) as error,
    ):
        document_upload(acting_user=world.lawyer, case=world.case, file=_upload(), title="Decision")
    assert "file" in error.value.message_dict
    assert _stored_files(media_root) == []
    with override_settings(DOCUMENT_MAX_BYTES=len(PDF)):
        document_upload(acting_user=world.lawyer, case=world.case, file=_upload(), title="Decision")


def test_document_delete_removes_the_file_once_committed(
    world, media_root, django_capture_on_commit_callbacks
):
    document = document_upload(
        acting_user=world.caseworker, case=world.case, file=_upload(), title="Decision"
    )
    document_id, timeline = document.pk, Timeline()
    with django_capture_on_commit_callbacks(execute=True):
        document_delete(acting_user=world.caseworker, document=document)
    event = timeline.only("document.deleted", actor=world.caseworker, case=world.case)
    assert event.data["before"]["id"] == str(document_id)
    assert not Document.objects.filter(pk=document_id).exists()
    assert _stored_files(media_root) == []


# --- deleting a mistaken record ---------------------------------------------------------------


def test_record_delete_keeps_what_the_record_held(world):
    detention = f.DetentionFactory(case=world.case, facility="IVS, Almaty")
    detention_id, timeline = detention.pk, Timeline()
    record_delete(acting_user=world.caseworker, record=detention)
    event = timeline.only(
        "detention.deleted", actor=world.caseworker, case=world.case, person=detention.person
    )
    assert event.data["before"]["facility"] == "IVS, Almaty"
    assert event.data["before"]["id"] == str(detention_id)
    assert "after" not in event.data
    assert not Detention.objects.filter(pk=detention_id).exists()


def test_record_delete_refuses_a_record_others_refer_to(world):
    rejected = f.StatusDecisionFactory(case=world.case, outcome="rejected")
    f.StatusDecisionFactory(
        case=world.case,
        person=rejected.person,
        authority=rejected.authority,
        decided_on=date(2010, 1, 15),
        appeal_of=rejected,
    )
    with nothing_written(), pytest.raises(ValidationError) as error:
        record_delete(acting_user=world.caseworker, record=rejected)
    assert "refugee status decision" in error.value.messages[0]
    assert RefugeeStatusDecision.objects.filter(pk=rejected.pk).exists()


def test_a_note_with_a_file_is_filed_whole_or_not_at_all_on_disk_too(world, media_root):
    """The document is stored first; the note then fails (no text): no row, and no file left
    behind for anyone to find."""
    with nothing_written(), pytest.raises(ValidationError) as error:
        note_file_with_document(
            acting_user=world.lawyer,
            case=world.case,
            occurred_on=date(2026, 11, 20),
            body="",
            file=_upload(),
        )
    assert "body" in error.value.message_dict
    assert _stored_files(media_root) == []

    note = note_file_with_document(
        acting_user=world.lawyer,
        case=world.case,
        occurred_on=date(2026, 11, 20),
        body="Hearing adjourned to 4 December.",
        file=_upload(),
    )
    [document] = note.documents.all()
    assert document.title == "decision.pdf"
    assert len(_stored_files(media_root)) == 1
