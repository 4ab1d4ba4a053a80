"""Restoring an archive of ``casetracker/backup/archive.py`` (issue #11, item 1): verify first, then
write.

1. Refuse a database that holds data (a row in any of ``BACKUP_RESTORE_GUARD_TABLES``) unless
   forced.
2. Unpack the archive into a private staging folder, decrypting it when its header says so and
   hashing every member on the way; check every SHA-256 and size against the manifest, the
   manifest's format and the database vendor. Any failure stops here: nothing was written.
3. Replace the database (PostgreSQL: ``pg_restore --clean --if-exists --no-owner
   --single-transaction``, all or nothing; SQLite: the online backup API onto the configured
   file, every connection closed first), then copy the documents into MEDIA_ROOT, each file
   written under a temporary name and renamed.
4. Count every table and hash every file again and report each difference from the manifest.
"""

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from casetracker.backup.archive import (
    COPY_BUFFER,
    DOCUMENTS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    backup_dir,
    backup_key,
    document_files,
    media_root,
    private_dir,
    sha256_of,
)
from casetracker.backup.database import (
    DUMP_MEMBERS,
    BackupError,
    database_counts,
    database_holds_data,
    database_restore,
    vendor,
)
from casetracker.backup.stream import HEADER_SIZE, DecryptingReader, StreamError, is_encrypted

MANIFEST_MAX = 256 * 1024 * 1024  # a manifest larger than this is not one of ours


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    #: What differs from the manifest after the restore (empty: everything matches).
    differences: list[str] = field(default_factory=list)
    #: What the operator should know but is not a difference (files left in place, migrations).
    notes: list[str] = field(default_factory=list)


# --- unpacking and checking -----------------------------------------------------------------


def _safe_path(rel: str) -> PurePosixPath:
    """A document's relative path, refused if it could land outside MEDIA_ROOT."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or "\x00" in rel:
        raise BackupError(f"The archive holds an unsafe document path: {rel!r}.")
    if any(part in ("", ".", "..") for part in parts):
        raise BackupError(f"The archive holds an unsafe document path: {rel!r}.")
    return PurePosixPath(rel)


def _open_archive(file: BinaryIO) -> BinaryIO:
    head = file.read(HEADER_SIZE)
    file.seek(0)
    if not is_encrypted(head):
        return file
    return DecryptingReader(file, backup_key())


def _copy_hashed(source: BinaryIO, target: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(COPY_BUFFER):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def _unpack(archive: Path, staging: Path) -> tuple[dict, dict[str, tuple[int, str]]]:
    """Every member of the archive into ``staging`` (the dump under ``database/``, documents
    under ``documents/``): the manifest, and (size, SHA-256) of each other member as read."""
    found: dict[str, tuple[int, str]] = {}
    manifest = None
    (staging / "database").mkdir()
    (staging / "documents").mkdir()
    try:
        with archive.open("rb") as raw, tarfile.open(fileobj=_open_archive(raw), mode="r|") as tar:
            for member in tar:
                if member.name in found or (member.name == MANIFEST and manifest is not None):
                    raise BackupError(f"The archive holds {member.name} twice.")
                if not member.isfile():
                    raise BackupError(f"The archive holds {member.name!r}, not a regular file.")
                source = tar.extractfile(member)
                if member.name == MANIFEST:
                    if member.size > MANIFEST_MAX:
                        raise BackupError("The archive's manifest is impossibly large.")
                    manifest = _manifest_parse(source.read())
                elif member.name in DUMP_MEMBERS.values():
                    found[member.name] = _copy_hashed(source, staging / "database" / member.name)
                elif member.name.startswith(DOCUMENTS):
                    rel = _safe_path(member.name.removeprefix(DOCUMENTS))
                    target = staging / "documents" / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    found[member.name] = _copy_hashed(source, target)
                else:
                    raise BackupError(f"The archive holds {member.name!r}, which no backup has.")
    except StreamError as exc:
        raise BackupError(str(exc)) from exc
    except (tarfile.TarError, EOFError) as exc:
        raise BackupError(
            f"{archive} is not a complete Casetracker backup (neither an encrypted archive "
            f"nor a whole tar file): {exc}."
        ) from exc
    except OSError as exc:  # a full disk; paths of the archive that collide
        raise BackupError(f"Could not unpack {archive} to check it: {exc}.") from exc
    if manifest is None:
        raise BackupError(f"{archive} has no {MANIFEST}: it is truncated or not a backup.")
    return manifest, found


def _manifest_parse(body: bytes) -> dict:
    try:
        manifest = json.loads(body)
    except ValueError as exc:
        raise BackupError(f"The archive's {MANIFEST} is not valid JSON: {exc}.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"The archive's {MANIFEST} is not a Casetracker backup manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"The archive is format version {manifest.get('format_version')}; this Casetracker "
            f"reads version {FORMAT_VERSION}."
        )
    database = manifest.get("database")
    if not (
        isinstance(database, dict)
        and {"vendor", "member", "size", "sha256"} <= set(database)
        and isinstance(manifest.get("tables"), dict)
        and isinstance(manifest.get("migrations"), list)
        and isinstance(manifest.get("files"), list)
        and all(
            isinstance(f, dict) and {"path", "size", "sha256"} <= set(f) for f in manifest["files"]
        )
    ):
        raise BackupError(f"The archive's {MANIFEST} lacks some of what a manifest holds.")
    return manifest


def _check(manifest: dict, found: dict[str, tuple[int, str]], db_vendor: str) -> list[str]:
    """Every way the unpacked archive differs from its manifest or from this database."""
    problems = []
    database = manifest["database"]
    if database["vendor"] != db_vendor:
        problems.append(
            f"the archive is of a {database['vendor']} database and this one is {db_vendor}: "
            "restore it into the kind of database it came from"
        )
    elif database["member"] != DUMP_MEMBERS[db_vendor]:
        problems.append(f"the manifest names {database['member']!r} as the {db_vendor} dump")
    expected = {database["member"]: (database["size"], database["sha256"])}
    expected |= {DOCUMENTS + f["path"]: (f["size"], f["sha256"]) for f in manifest["files"]}
    for name, (size, sha) in sorted(expected.items()):
        if name not in found:
            problems.append(f"{name}: listed in the manifest, missing from the archive")
        elif found[name][1] != sha:
            problems.append(f"{name}: its SHA-256 is not the manifest's (the file was changed)")
        elif found[name][0] != size:
            problems.append(f"{name}: {found[name][0]} bytes, the manifest says {size}")
    for name in sorted(set(found) - set(expected)):
        problems.append(f"{name}: in the archive but not in its manifest")
    return problems


# --- writing --------------------------------------------------------------------------------


def _restore_files(manifest: dict, staged: Path, root: Path) -> None:
    mode = settings.FILE_UPLOAD_PERMISSIONS
    for entry in manifest["files"]:
        rel = _safe_path(entry["path"])
        target = root.joinpath(*rel.parts)
        target.parent.mkdir(
            mode=settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS or 0o777, parents=True, exist_ok=True
        )
        temporary = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(staged.joinpath(*rel.parts), temporary)
        if mode is not None:
            temporary.chmod(mode)
        os.replace(temporary, target)


# --- checking what was restored -------------------------------------------------------------


def _differences(manifest: dict, root: Path) -> tuple[list[str], list[str]]:
    differences, notes = [], []
    counts, migrations = database_counts()
    expected = manifest["tables"]
    for table in sorted(set(expected) | set(counts)):
        if table not in counts:
            differences.append(f"table {table}: missing (the manifest counts {expected[table]})")
        elif table not in expected:
            differences.append(f"table {table}: not in the archive ({counts[table]} rows)")
        elif counts[table] != expected[table]:
            differences.append(
                f"table {table}: {counts[table]} rows, the manifest counts {expected[table]}"
            )
    if migrations != manifest["migrations"]:
        differences.append("django_migrations: the applied migrations are not the manifest's")
    listed = set()
    for entry in manifest["files"]:
        listed.add(entry["path"])
        path = root.joinpath(*_safe_path(entry["path"]).parts)
        if not path.is_file():
            differences.append(f"document {entry['path']}: missing from MEDIA_ROOT")
        elif sha256_of(path) != entry["sha256"]:
            differences.append(f"document {entry['path']}: its SHA-256 is not the manifest's")
    extra = [rel for rel, _path in document_files(root) if rel not in listed]
    if extra:
        notes.append(
            f"{len(extra)} files in MEDIA_ROOT are not in the archive; they were left in place."
        )
    if manifest.get("files_vanished"):
        notes.append(
            "Deleted while the backup ran, so not in the archive: "
            + ", ".join(manifest["files_vanished"])
        )
    executor = MigrationExecutor(connection)
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if unapplied:
        notes.append(
            f"The restored database lacks {len(unapplied)} migrations of this Casetracker: run "
            "`python manage.py migrate`."
        )
    return differences, notes


def backup_verify(*, archive: Path) -> dict[str, Any]:
    """Check an archive as a restore would, writing nothing: its manifest when every check
    passes; a BackupError naming each failure otherwise."""
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file.")
    db_vendor = vendor()
    staging = Path(tempfile.mkdtemp(prefix=".verify-", dir=private_dir(backup_dir())))
    try:
        manifest, found = _unpack(archive, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _raise_problems(_check(manifest, found, db_vendor))
    return manifest


def _raise_problems(problems: list[str]) -> None:
    if problems:
        raise BackupError(
            "The archive failed its checks; nothing was changed:\n  - " + "\n  - ".join(problems)
        )


def backup_restore(
    *, archive: Path, force: bool = False, say: Callable[[str], None] | None = None
) -> RestoreReport:
    """Restore ``archive`` into the configured database and MEDIA_ROOT (see the module's
    docstring). Raises BackupError, having written nothing, when the archive fails a check or
    the database holds data and ``force`` is not given."""
    tell = say or (lambda message: None)
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file.")
    db_vendor = vendor()
    try:
        held = [] if force else database_holds_data()
    except DatabaseError as exc:
        raise BackupError(
            f"Cannot read the configured database ({str(exc).strip()}). Create it, empty, "
            "and try again."
        ) from exc
    if held:
        raise BackupError(
            "The database is not empty (" + ", ".join(held) + "): a restore would replace all "
            "of it. Restore into an empty database, or add --force to replace this one. "
            "Nothing was changed."
        )
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=private_dir(backup_dir())))
    try:
        tell(f"Checking {archive.name}")
        manifest, found = _unpack(archive, staging)
        _raise_problems(_check(manifest, found, db_vendor))
        tell("Restoring the database")
        database_restore(staging / "database" / manifest["database"]["member"])
        tell(f"Restoring {len(manifest['files'])} documents")
        root = media_root()
        _restore_files(manifest, staging / "documents", root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    tell("Counting the tables and hashing the documents again")
    differences, notes = _differences(manifest, root)
    return RestoreReport(manifest=manifest, differences=differences, notes=notes)
