"""Encryption at rest (issue #11): the values of people's and relatives' contact details and
notes, sealed in place (casetracker/crypto.py); backwards, written back in plaintext."""

from django.db import migrations

from casetracker.migration_steps import seal_columns


class Migration(migrations.Migration):
    dependencies = [("people", "0005_encrypted_contacts")]

    operations = [
        seal_columns("people", "person"),
        seal_columns("people", "relationship"),
    ]
