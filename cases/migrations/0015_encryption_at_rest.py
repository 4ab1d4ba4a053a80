"""Encryption at rest (issue #11): note bodies sealed in place, every stored document file
encrypted (a data key per file), and the timeline's stored values of encrypted fields sealed.

The timeline's trigger now allows exactly one change of an event: its stored values and its
record's name, in a transaction that declared a history rewrite (casetracker.db), which this
migration, anonymisation and key rotation do. Every other update and every delete stays
refused.
"""

import os

from django.conf import settings
from django.db import migrations

from casetracker import crypto
from casetracker.db import append_only_sql, history_rewrite, postgres_only_sql
from casetracker.migration_steps import seal_columns

OLD_TRIGGER = """
    CREATE OR REPLACE FUNCTION cases_caseevent_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'cases_caseevent is append-only: events are never changed or deleted';
    END
    $$ LANGUAGE plpgsql;
"""

# The records whose events hold values of encrypted fields.
SEALED_SUBJECTS = (("people", "person"), ("people", "relationship"), ("cases", "note"))


def _documents(apps, schema_editor, change) -> None:
    Document = apps.get_model("cases", "Document")
    for name in Document.objects.using(schema_editor.connection.alias).values_list(
        "file", flat=True
    ):
        path = os.path.join(settings.MEDIA_ROOT, name)
        if not name or not os.path.exists(path):
            continue
        with open(path, "rb") as stored:
            blob = stored.read()
        new = change(blob)
        if new != blob:
            with open(path + ".new", "wb") as out:
                out.write(new)
            os.replace(path + ".new", path)


def documents_seal(apps, schema_editor) -> None:
    _documents(
        apps,
        schema_editor,
        lambda b: b if crypto.is_sealed_document(b) else crypto.document_seal(b),
    )


def documents_open(apps, schema_editor) -> None:
    _documents(apps, schema_editor, crypto.document_unseal)


def _events(apps, schema_editor, change) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    db = schema_editor.connection.alias
    with history_rewrite(schema_editor.connection):
        for app_label, model_name in SEALED_SUBJECTS:
            fields = set(crypto.encrypted_fields(apps.get_model(app_label, model_name)))
            subject_type = ContentType.objects.using(db).filter(
                app_label=app_label, model=model_name
            )
            events = CaseEvent.objects.using(db).filter(subject_type__in=subject_type)
            for event in events.iterator(chunk_size=500):
                data = {
                    side: (
                        {
                            k: change(v) if k in fields and isinstance(v, str) else v
                            for k, v in values.items()
                        }
                        if isinstance(values, dict)
                        else values
                    )
                    for side, values in event.data.items()
                }
                subject_repr = event.subject_repr
                if model_name == "note" and ": " in subject_repr:
                    # A note was named by its text; now by its date.
                    subject_repr = subject_repr.split(": ", 1)[0] + ": note"
                if data != event.data or subject_repr != event.subject_repr:
                    events.filter(pk=event.pk).update(data=data, subject_repr=subject_repr)


def events_seal(apps, schema_editor) -> None:
    _events(apps, schema_editor, crypto.seal)


def events_open(apps, schema_editor) -> None:
    # The notes' former names (their first 60 characters) are not brought back.
    _events(apps, schema_editor, crypto.unseal)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_note_body_encrypted"),
        ("people", "0006_encrypted_contacts_sealed"),
    ]

    operations = [
        seal_columns("cases", "note"),
        migrations.RunPython(documents_seal, documents_open, elidable=False),
        postgres_only_sql(
            append_only_sql("cases_caseevent", ("data", "subject_repr")), OLD_TRIGGER
        ),
        migrations.RunPython(events_seal, events_open, elidable=False),
    ]
