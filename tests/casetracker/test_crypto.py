"""Encryption at rest (issue #11 item 3): what a stolen disk or dump holds is ciphertext;
readers with access see the plaintext; key rotation re-encrypts, and old keys still decrypt
until they are rotated out."""

import datetime
import io

import pytest
from django.core.exceptions import FieldError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from rest_framework.test import APIClient

from cases.models import CaseEvent, Document, Note
from cases.services.notes import document_upload, note_file
from casetracker import crypto
from casetracker.checks import check_encryption_keys
from casetracker.db import history_rewrite
from people.models import Person, Relationship
from people.services import person_update
from tests import factories as f

PHONE = "+7 701 555 0142"
ADDRESS = "Алматы, ул. Абая 10, кв. 5"
BODY = "Hearing at the Almaty city court: the prosecutor asked for surrender to Uzbekistan."
PDF = b"%PDF-1.4\nThe decision of the prosecutor about Abdusamatov\n"
OLD_KEY, NEW_KEY = crypto.new_key(), crypto.new_key()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "documents"
    settings.ENCRYPTION_KEYS = [OLD_KEY]
    return settings.MEDIA_ROOT


def _raw(table: str, column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "{column}" FROM "{table}" WHERE id = %s',
            [pk.hex if connection.vendor == "sqlite" else pk],
        )
        return cursor.fetchone()[0]


def _planted(world):
    person = f.CasePartyFactory(case=world.case).person
    person = person_update(
        acting_user=world.caseworker,
        person=person,
        phone=PHONE,
        address=ADDRESS,
        notes="Fears the SNB",
    )
    relative = f.RelationshipFactory(person=person, email="sister@example.org", phone=PHONE)
    note = note_file(
        acting_user=world.caseworker,
        case=world.case,
        occurred_on=datetime.date(2026, 11, 2),
        body=BODY,
    )
    document = document_upload(
        acting_user=world.caseworker,
        case=world.case,
        file=SimpleUploadedFile("decision.pdf", PDF),
        title="Prosecutor's decision",
    )
    return person, relative, note, document


def test_the_columns_hold_ciphertext_and_the_records_plaintext(world):
    person, relative, note, _document = _planted(world)
    for table, column, pk, plain in [
        ("people_person", "phone", person.pk, PHONE),
        ("people_person", "address", person.pk, ADDRESS),
        ("people_person", "notes", person.pk, "Fears the SNB"),
        ("people_relationship", "email", relative.pk, "sister@example.org"),
        ("people_relationship", "phone", relative.pk, PHONE),
        ("cases_note", "body", note.pk, BODY),
    ]:
        raw = _raw(table, column, pk)
        assert raw.startswith("enc1:") and plain not in raw, (table, column)
    assert Person.objects.get(pk=person.pk).phone == PHONE
    assert Relationship.objects.get(pk=relative.pk).email == "sister@example.org"
    assert Note.objects.get(pk=note.pk).body == BODY


def test_the_timeline_holds_no_plaintext_of_an_encrypted_field(world):
    person, *_ = _planted(world)
    with connection.cursor() as cursor:
        cursor.execute('SELECT "data", "subject_repr" FROM "cases_caseevent"')
        stored = " ".join(f"{data} {name}" for data, name in cursor.fetchall())
    assert PHONE not in stored and ADDRESS not in stored and BODY[:40] not in stored
    event = CaseEvent.objects.get(kind="person.updated", person=person)
    assert crypto.unseal(event.data["after"]["phone"]) == PHONE
    assert CaseEvent.objects.get(kind="note.created").subject_repr == "2026-11-02: note"


def test_a_person_edit_that_leaves_the_phone_alone_records_no_phone_change(world):
    person, *_ = _planted(world)
    person_update(acting_user=world.caseworker, person=person, birth_place="Osh")
    event = CaseEvent.objects.filter(kind="person.updated").order_by("-at").first()
    assert set(event.data["after"]) == {"birth_place"}


def test_the_file_on_disk_is_ciphertext_and_the_download_plaintext(world, media_root):
    *_, document = _planted(world)
    stored = (media_root / document.file.name).read_bytes()
    assert stored.startswith(crypto.DOCUMENT_MAGIC)
    assert b"Abdusamatov" not in stored and b"%PDF" not in stored
    client = APIClient()
    client.force_authenticate(world.caseworker)
    response = client.get(f"/api/v1/documents/{document.pk}/download/")
    assert b"".join(response.streaming_content) == PDF


def test_a_tampered_file_does_not_open(world, media_root):
    *_, document = _planted(world)
    path = media_root / document.file.name
    blob = bytearray(path.read_bytes())
    blob[-5] ^= 0x01
    path.write_bytes(bytes(blob))
    with pytest.raises(crypto.DecryptionError):
        Document.objects.get(pk=document.pk).file.open().read()


def test_rotation_re_encrypts_and_old_keys_decrypt_until_rotated_out(world, settings, media_root):
    person, relative, note, document = _planted(world)
    before = _raw("people_person", "phone", person.pk)

    settings.ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]  # a new key in front: the old still opens
    assert Person.objects.get(pk=person.pk).phone == PHONE
    assert Document.objects.get(pk=document.pk).file.open().read() == PDF

    call_command("rotate_keys", stdout=io.StringIO())
    assert _raw("people_person", "phone", person.pk) != before

    settings.ENCRYPTION_KEYS = [NEW_KEY]  # the old key removed: everything still opens
    assert Person.objects.get(pk=person.pk).phone == PHONE
    assert Relationship.objects.get(pk=relative.pk).phone == PHONE
    assert Note.objects.get(pk=note.pk).body == BODY
    assert Document.objects.get(pk=document.pk).file.open().read() == PDF
    event = CaseEvent.objects.get(kind="person.updated", person=person)
    assert crypto.unseal(event.data["after"]["phone"]) == PHONE

    settings.ENCRYPTION_KEYS = [OLD_KEY]  # and the old key alone opens nothing any more
    with pytest.raises(crypto.DecryptionError):
        Person.objects.get(pk=person.pk)
    with pytest.raises(crypto.DecryptionError):
        Document.objects.get(pk=document.pk).file.open().read()


def test_rotate_keys_prints_a_fresh_key(capsys):
    call_command("rotate_keys", "--new-key")
    key = capsys.readouterr().out.strip()
    assert len(key) == 44 and key != crypto.new_key()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_timeline_allows_only_the_declared_rewrite_of_values(world):
    _planted(world)
    event = CaseEvent.objects.filter(kind="person.updated").first()

    def update(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])

    with pytest.raises(DatabaseError), transaction.atomic():
        update("UPDATE cases_caseevent SET data = '{}' WHERE id = %s")  # undeclared
    with pytest.raises(DatabaseError), transaction.atomic(), history_rewrite(connection):
        update("UPDATE cases_caseevent SET kind = 'person.created' WHERE id = %s")
    with pytest.raises(DatabaseError), transaction.atomic(), history_rewrite(connection):
        update("DELETE FROM cases_caseevent WHERE id = %s")
    with transaction.atomic(), history_rewrite(connection):
        update("UPDATE cases_caseevent SET data = '{}' WHERE id = %s")
    with pytest.raises(DatabaseError), transaction.atomic():  # the permission ended with it
        update("UPDATE cases_caseevent SET data = '{\"x\": 1}' WHERE id = %s")
    assert CaseEvent.objects.get(pk=event.pk).data == {}


def test_a_key_that_is_not_a_key_stops_the_checks(settings):
    assert check_encryption_keys() == []
    settings.ENCRYPTION_KEYS = ["not-a-key"]
    assert [e.id for e in check_encryption_keys()] == ["casetracker.E003"]
    settings.ENCRYPTION_KEYS = []
    assert [e.id for e in check_encryption_keys()] == ["casetracker.E003"]


def test_searching_an_encrypted_field_for_a_value_is_an_error_not_an_empty_answer(world):
    person, *_ = _planted(world)
    with pytest.raises(FieldError, match="encrypted"):
        list(Person.objects.filter(phone=PHONE))
    with pytest.raises(FieldError):
        list(Person.objects.filter(phone__icontains="701"))
    assert Person.objects.exclude(phone="").filter(pk=person.pk).exists()
    assert Note.objects.filter(body__isnull=False).exists()
