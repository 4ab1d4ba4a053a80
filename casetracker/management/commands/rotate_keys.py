"""``python manage.py rotate_keys [--new-key]``: re-encrypt everything under the first of
``ENCRYPTION_KEYS`` (README, "Encryption at rest")."""

from django.core.management.base import BaseCommand, CommandError

from casetracker import crypto


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column, the timeline's sealed values and every stored "
        "document's key under the first of ENCRYPTION_KEYS; --new-key prints a fresh key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-key", action="store_true", help="Print a fresh key and change nothing."
        )

    def handle(self, *args, new_key: bool, **options):
        if new_key:
            self.stdout.write(crypto.new_key())
            return
        try:
            crypto.rotate_all(write=self.stdout.write)
        except crypto.DecryptionError as exc:
            raise CommandError(
                f"{exc} Put the key it was encrypted with back into ENCRYPTION_KEYS (after the "
                "new one) and run rotate_keys again."
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                "Everything is encrypted under the first key: the others may now be removed."
            )
        )
