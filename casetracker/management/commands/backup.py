"""``python manage.py backup [--output PATH]``: one archive of the database and every document
(casetracker/backup/archive.py); ``--new-key`` prints a fresh BACKUP_KEY."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from casetracker.backup.archive import BackupError, backup_create
from casetracker.backup.stream import key_new
from casetracker.models import BackupStep


class Command(BaseCommand):
    help = (
        "Write one archive (a tar file) of the database and every stored document, with a "
        "manifest of row counts and SHA-256 hashes, to BACKUP_DIR or --output; encrypted with "
        "BACKUP_KEY when it is set. Prints the archive's path."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="A folder to write the archive to (a timestamped name in it), or a new file's "
            "path. Default: BACKUP_DIR.",
        )
        parser.add_argument(
            "--new-key",
            action="store_true",
            help="Print a fresh BACKUP_KEY (32 random bytes, base64) and back up nothing.",
        )

    def handle(self, *args, output: Path | None, new_key: bool, verbosity: int, **options):
        if new_key:
            self.stdout.write(key_new())
            self.stderr.write(
                "Set it as BACKUP_KEY wherever backups are made and restored, and keep a copy "
                "apart from the archives: without it an encrypted archive cannot be restored."
            )
            return
        steps = dict(BackupStep.choices)
        seen = set()

        def progress(step: str, percent: int) -> None:
            if verbosity >= 2 and step not in seen:
                seen.add(step)
                self.stderr.write(f"{percent:3d}% {steps[step]}")

        try:
            result = backup_create(output=output, progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(result.path))
        encryption = (
            f"encrypted with BACKUP_KEY (key id {result.key_id})"
            if result.key_id
            else "NOT encrypted: set BACKUP_KEY to encrypt archives"
        )
        self.stderr.write(
            f"Wrote {result.path} ({filesizeformat(result.size)}, {result.size} bytes, mode "
            f"0600) in {result.seconds:.2f} s: {result.tables} tables, {result.rows} rows, "
            f"{result.files} documents; {encryption}.\n"
            f"SHA-256 {result.sha256}\n"
            "The keys (BACKUP_KEY, ENCRYPTION_KEYS, SECRET_KEY) are not in the archive: keep "
            "them, apart from it."
        )
