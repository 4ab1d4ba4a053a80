"""Merging two records of one person (issue #12 item 2): the merged record points at the kept
one, and a pair judged different is marked once (NotDuplicate)."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_retention_years"),
        ("people", "0007_person_anonymised_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="merged_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="merged at"
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged_records",
                to="people.person",
                verbose_name="merged into",
            ),
        ),
        migrations.CreateModel(
            name="NotDuplicate",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                (
                    "marked_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="marked by",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.organisation",
                        verbose_name="organisation",
                    ),
                ),
                (
                    "other",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="not_duplicate_right",
                        to="people.person",
                        verbose_name="other person",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="not_duplicate_left",
                        to="people.person",
                        verbose_name="person",
                    ),
                ),
            ],
            options={
                "verbose_name": "pair marked not a duplicate",
                "verbose_name_plural": "pairs marked not duplicates",
                "ordering": ["-created_at"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("person", "other"),
                        name="people_notduplicate_once_per_pair",
                        violation_error_message="This pair is already marked as not a duplicate.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("person__lt", models.F("other"))),
                        name="people_notduplicate_ordered",
                        violation_error_message="Store the pair with the smaller id first; a person is never their own duplicate.",
                    ),
                ],
            },
        ),
    ]
