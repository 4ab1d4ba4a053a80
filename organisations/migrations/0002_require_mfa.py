"""Organisation.require_mfa: on for new organisations, off for those that exist already, so that
an upgrade locks nobody out before their admin has told the members (issue #10)."""

from django.db import migrations, models

FIELD = {
    "help_text": (
        "Members must set up an authenticator app before they open any case or use the API."
    ),
    "verbose_name": "require two-factor sign-in",
}


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="require_mfa",
            field=models.BooleanField(default=False, **FIELD),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="require_mfa",
            field=models.BooleanField(default=True, **FIELD),
        ),
    ]
