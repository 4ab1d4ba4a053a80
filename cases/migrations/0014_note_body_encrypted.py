"""Encryption at rest (issue #11): a note's text becomes an encrypted field; 0015 seals the
values. Two migrations, two transactions: PostgreSQL refuses to ALTER a table with updates
pending in the same one (which migrating backwards would do)."""

from django.db import migrations

from casetracker import crypto


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_deadline_triggers_registered")]

    operations = [
        migrations.AlterField(
            model_name="note",
            name="body",
            field=crypto.EncryptedTextField(verbose_name="text"),
        ),
    ]
