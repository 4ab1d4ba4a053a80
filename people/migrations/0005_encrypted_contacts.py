"""Encryption at rest (issue #11): the columns of people's and relatives' contact details and
notes become encrypted fields (casetracker/crypto.py); 0006 seals their values. Two migrations,
two transactions: PostgreSQL refuses to ALTER a table with updates pending in the same one
(which migrating backwards would do)."""

import casetracker.crypto
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_organisations_moved"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="address",
            field=casetracker.crypto.EncryptedTextField(blank=True, verbose_name="address"),
        ),
        migrations.AlterField(
            model_name="person",
            name="notes",
            field=casetracker.crypto.EncryptedTextField(blank=True, verbose_name="notes"),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=casetracker.crypto.EncryptedCharField(
                blank=True, max_length=50, verbose_name="phone"
            ),
        ),
        migrations.AlterField(
            model_name="relationship",
            name="address",
            field=casetracker.crypto.EncryptedTextField(blank=True, verbose_name="address"),
        ),
        migrations.AlterField(
            model_name="relationship",
            name="email",
            field=casetracker.crypto.EncryptedEmailField(
                blank=True, max_length=254, verbose_name="email"
            ),
        ),
        migrations.AlterField(
            model_name="relationship",
            name="notes",
            field=casetracker.crypto.EncryptedTextField(blank=True, verbose_name="notes"),
        ),
        migrations.AlterField(
            model_name="relationship",
            name="phone",
            field=casetracker.crypto.EncryptedCharField(
                blank=True, max_length=50, verbose_name="phone"
            ),
        ),
    ]
