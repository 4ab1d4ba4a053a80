"""The retention review's alert (issue #11, cases/services/retention.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_encryption_at_rest"),
    ]

    operations = [
        migrations.AlterField(
            model_name="alert",
            name="kind",
            field=models.CharField(
                choices=[
                    ("reminder", "reminder"),
                    ("due", "due today"),
                    ("overdue", "overdue"),
                    ("interim_measure_breach", "interim measure breached"),
                    ("high_risk", "person at high risk"),
                    ("retention_due", "retention period ended"),
                ],
                max_length=24,
                verbose_name="kind",
            ),
        ),
    ]
