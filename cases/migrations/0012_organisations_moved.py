"""Organisation and Membership now belong to the organisations app (issue #9): cases forgets them
and its foreign keys point there. The tables and rows stay as they are.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_alert_message_text"),
        ("organisations", "0001_initial"),
        ("people", "0004_organisations_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's picture of which app owns
            # the models changes.
            state_operations=[
                migrations.AlterField(
                    model_name="caseevent",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.organisation",
                        verbose_name="organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="organisations.organisation",
                        verbose_name="organisation",
                    ),
                ),
                migrations.DeleteModel(
                    name="Membership",
                ),
                migrations.DeleteModel(
                    name="Organisation",
                ),
            ],
            database_operations=[],
        ),
    ]
