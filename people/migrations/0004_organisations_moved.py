"""A person's organisation is organisations.Organisation (issue #9); the column and its foreign
key stay as they are.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("people", "0003_search_text_backfill"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's picture of which app owns
            # the models changes.
            state_operations=[
                migrations.AlterField(
                    model_name="person",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="people",
                        to="organisations.organisation",
                        verbose_name="organisation",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
