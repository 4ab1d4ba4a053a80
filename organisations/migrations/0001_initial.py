"""Organisation and Membership move here from ``cases`` (issue #9), keeping their tables and rows.

Their tables were created by cases/migrations/0001_initial.py and keep the names it gave them
(``db_table``), so nothing in the database moves but the content types, which are renamed so
that the timeline's and the admin log's links to organisations and memberships still resolve.
"""

import django.core.validators
import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


MODELS = ("organisation", "membership")


def _move(apps, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label=target, model=model).exists():
            content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def content_types_moved(apps, schema_editor) -> None:
    _move(apps, "cases", "organisations")


def content_types_back(apps, schema_editor) -> None:
    _move(apps, "organisations", "cases")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The tables exist once cases has made them.
        ("cases", "0011_alert_message_text"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's picture of which app owns
            # the models changes.
            state_operations=[
                migrations.CreateModel(
                    name="Organisation",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "name",
                            models.CharField(max_length=200, unique=True, verbose_name="name"),
                        ),
                        (
                            "code",
                            models.CharField(
                                help_text="Short code used as the prefix of case references, e.g. “ALA”.",
                                max_length=10,
                                unique=True,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^[A-Z0-9]{2,10}$", "Use 2–10 capital letters or digits."
                                    )
                                ],
                                verbose_name="code",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "organisation",
                        "verbose_name_plural": "organisations",
                        "db_table": "cases_organisation",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Membership",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("admin", "admin"),
                                    ("caseworker", "caseworker"),
                                    ("viewer", "viewer"),
                                ],
                                max_length=12,
                                verbose_name="role",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="organisations.organisation",
                                verbose_name="organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "membership",
                        "verbose_name_plural": "memberships",
                        "db_table": "cases_membership",
                        "ordering": ["organisation", "user"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "organisation"),
                                name="cases_membership_one_per_organisation",
                                violation_error_message="This user is already a member of this organisation.",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_moved, content_types_back),
    ]
