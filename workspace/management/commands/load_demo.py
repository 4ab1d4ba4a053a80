"""``manage.py load_demo``: load the fictional demo data once and print the demo logins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casetracker.mfa import key_base32
from workspace import demo

COLUMNS = (
    ("username", "Username"),
    ("password", "Password"),
    ("role", "Role"),
    ("organisation", "Organisation"),
    ("sees", "Sees"),
)


class Command(BaseCommand):
    help = (
        "Load the fictional demo data (two organisations, their users, a group case and single "
        "cases) and print the demo logins. Runs once: a second run only prints the logins."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG=False. The demo passwords are public: never do this on "
            "a database that holds real cases.",
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is False: this looks like production, and the demo users have a public "
                "password. Run with DEBUG=True, or add --force if this database is only a demo."
            )
        try:
            loaded = demo.demo_load()
        except demo.DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        if loaded:
            self.stdout.write(self.style.SUCCESS("Loaded the fictional demo data."))
        else:
            self.stdout.write("The demo data is already loaded; nothing was changed.")
        self.stdout.write(
            f"\nDemo logins (every password is {demo.DEMO_PASSWORD!r}; "
            "sign in at /accounts/login/; for demonstration only):\n"
        )
        self.stdout.write(_table(demo.demo_logins()))
        self.stdout.write(
            f"\n{demo.DEMO_TOTP_USER} also signs in with a code from an authenticator app: add "
            f"the key {key_base32(demo.DEMO_TOTP_KEY).replace(' ', '')} to the app (two-factor "
            "sign-in, README 'Security').\n"
        )


def _table(rows: list[dict[str, str]]) -> str:
    widths = {key: max(len(title), *(len(r[key]) for r in rows)) for key, title in COLUMNS}
    lines = [
        "  ".join(title.ljust(widths[key]) for key, title in COLUMNS),
        "  ".join("-" * widths[key] for key, _title in COLUMNS),
    ]
    lines += ["  ".join(row[key].ljust(widths[key]) for key, _title in COLUMNS) for row in rows]
    return "\n".join(line.rstrip() for line in lines)
