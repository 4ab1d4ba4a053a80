"""A person's anonymisation is kept on them (issue #11, workspace.services.person_anonymise)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_encrypted_contacts_sealed"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="anonymised_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="anonymised at"
            ),
        ),
    ]
