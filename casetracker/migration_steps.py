"""Data steps that migrations share: sealing (and opening again) a model's encrypted columns
for the encryption at rest of issue #11."""

from django.db import migrations, models

from casetracker import crypto

BATCH = 500


def seal_columns(app_label: str, model_name: str) -> migrations.RunPython:
    """Encrypt the values a model's encrypted fields held in plaintext; backwards, write the
    plaintext back (raw SQL: the field would seal it again)."""

    def forwards(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        fields = crypto.encrypted_fields(model)
        rows = model._base_manager.using(schema_editor.connection.alias)
        batch = []
        for row in rows.only("pk", *fields).iterator(chunk_size=BATCH):
            batch.append(row)  # read through the field: plaintext stays plaintext
            if len(batch) == BATCH:
                rows.bulk_update(batch, fields)  # written through the field: sealed
                batch = []
        if batch:
            rows.bulk_update(batch, fields)

    def backwards(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        fields = crypto.encrypted_fields(model)
        rows = model._base_manager.using(schema_editor.connection.alias)
        for pk, *values in rows.values_list("pk", *fields).iterator(chunk_size=BATCH):
            # A plain text Value: written as it is, not sealed again by the field.
            plain = {
                n: models.Value(v, output_field=models.TextField())
                for n, v in zip(fields, values, strict=True)
            }
            rows.filter(pk=pk).update(**plain)

    return migrations.RunPython(forwards, backwards, elidable=False)
