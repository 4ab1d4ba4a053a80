"""``python manage.py restore ARCHIVE [--force] [--check]``: put an archive of ``manage.py
backup`` back (casetracker/backup/restore.py), or only check it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casetracker.backup.archive import BackupError
from casetracker.backup.restore import backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "Restore an archive of `manage.py backup` into the configured database and MEDIA_ROOT: "
        "decrypt it (BACKUP_KEY), check every SHA-256 of its manifest before writing anything, "
        "restore, then count every table and hash every document again. Refuses a database "
        "that holds data unless --force. Stop the web app and the workers first."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="The archive file.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that holds data (accounts, people or cases): all of it.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only decrypt and check the archive against its manifest; change nothing.",
        )

    def handle(self, *args, archive: Path, force: bool, check: bool, **options):
        try:
            if check:
                manifest = backup_verify(archive=archive)
                self.stdout.write(
                    f"{archive}: every hash matches its manifest ({len(manifest['tables'])} "
                    f"tables, {len(manifest['files'])} documents, made "
                    f"{manifest['created_at']}). Nothing was changed."
                )
                return
            report = backup_restore(archive=archive, force=force, say=self.stderr.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = report.manifest
        for note in report.notes:
            self.stderr.write(note)
        if report.differences:
            for difference in report.differences:
                self.stderr.write(f"  - {difference}")
            raise CommandError(
                f"Restored {archive}, but {len(report.differences)} things differ from its "
                "manifest (listed above)."
            )
        self.stdout.write(
            f"Restored {archive} (made {manifest['created_at']}): {len(manifest['tables'])} "
            f"tables, {sum(manifest['tables'].values())} rows and {len(manifest['files'])} "
            "documents, each matching the manifest."
        )
