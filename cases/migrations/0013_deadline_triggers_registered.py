"""DeadlineRule.trigger_model takes its choices from the models the apps register
(cases/deadlines/triggers.py, issue #9): no database change."""

import cases.deadlines.triggers
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_organisations_moved"),
    ]

    operations = [
        migrations.AlterField(
            model_name="deadlinerule",
            name="trigger_model",
            field=models.CharField(
                choices=cases.deadlines.triggers.trigger_model_choices,
                max_length=40,
                verbose_name="trigger record",
            ),
        ),
    ]
