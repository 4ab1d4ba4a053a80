"""``python manage.py create_api_token <username> [--expires-days N] [--name NAME]``"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from casetracker.api.tokens import DEFAULT_DAYS, api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--expires-days", type=int, default=DEFAULT_DAYS)
        parser.add_argument("--name", default="command line")

    def handle(self, *args, username, expires_days, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        try:
            token, key = api_token_create(
                acting_user=user, user=user, name=name, expires_days=expires_days
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(key)
        self.stderr.write(
            f"Token {token.prefix}… for {username}, expires {token.expires_at:%Y-%m-%d}. "
            "It is shown only now: store it safely."
        )
