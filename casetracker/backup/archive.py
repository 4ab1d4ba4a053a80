"""Backups (issue #11, item 1): one archive holding the database and every stored document. The
database's dump and restore for each vendor are ``casetracker/backup/database.py``'s, the checks
a restore makes ``casetracker/backup/restore.py``'s, the encryption
``casetracker/backup/stream.py``'s.

``backup_create`` writes the archive; ``manage.py backup`` and the Celery task of the
``/backups/`` page call it, ``manage.py restore`` reads it back.

The archive
-----------

A POSIX tar file (PAX headers, no compression: the dump is compressed already and documents
are stored encrypted), members in this order:

``database.pgdump`` or ``database.sqlite3``
    PostgreSQL: ``pg_dump --format=custom``, taken in a REPEATABLE READ snapshot that the row
    counts of the manifest are read in too (``pg_export_snapshot`` and ``pg_dump --snapshot``),
    so the counts are exactly those of the dump. SQLite: a copy made with the online backup API
    (``sqlite3.Connection.backup``), counted on the copy.
``documents/<path>``
    Every regular file under ``MEDIA_ROOT`` (symbolic links are not followed), its bytes as
    stored, ``<path>`` relative to ``MEDIA_ROOT`` with ``/`` separators. Files are copied after
    the dump: one deleted in between is missing from the archive (the manifest lists only what
    the archive holds, and names it in ``files_vanished``), one uploaded in between is an extra
    file no row names.
``manifest.json``
    Last, since it holds the hashes of everything before it::

        {"format": "casetracker-backup", "format_version": 1,
         "created_at": "2026-12-04T18:13:00.123456+00:00", "casetracker_version": "0.1.0",
         "database": {"vendor": "postgresql" | "sqlite", "name": "<database name>",
                      "member": "database.pgdump", "size": <bytes>, "sha256": "<hex>",
                      "tool": "pg_dump (PostgreSQL) 15.20", "server_version": "150020"},
         "tables": {"<table>": <rows>, ...},            # every table of the database
         "migrations": [["<app>", "<migration>"], ...],  # django_migrations, sorted
         "files": [{"path": "<path>", "size": <bytes>, "sha256": "<hex>"}, ...],
         "files_vanished": ["<path>", ...],  # listed, then deleted before they were copied
         "encryption": null | {"key_id": "<16 hex digits>"}}

Every member is a regular file with mode 0600. The archive file itself is created with mode
0600, written under a temporary name and renamed when complete.

The encrypted archive
---------------------

When ``BACKUP_KEY`` is set (the base64 of 32 random bytes; ``manage.py backup --new-key``
prints one), the tar stream above is sealed with AES-256-GCM in the STREAM construction
(``casetracker/backup/stream.py``). The file is a 44-byte header followed by the chunks::

    offset size  field
    0      8     magic, ASCII "CTBACKUP"
    8      1     version, 1
    9      4     chunk size N, unsigned big-endian: plaintext bytes per chunk (65536)
    13     8     key id: the first 8 bytes of SHA-256("casetracker backup key id" || key)
    21     16    salt, random
    37     7     nonce prefix, random
    44     ...   chunks

* The archive key is HKDF-SHA256(ikm = BACKUP_KEY, salt = the header's salt, info =
  "casetracker backup v1 AES-256-GCM STREAM"), 32 bytes: a key of its own for every archive.
* The plaintext is cut into chunks of N bytes; the final chunk holds the remaining 1 to N
  bytes (an empty plaintext is one empty final chunk). Each chunk is stored as its AES-256-GCM
  ciphertext followed by its 16-byte tag: N + 16 bytes, the final one 17 to N + 16.
* The 12-byte nonce of chunk i is the nonce prefix (7 bytes) || i (4 bytes, unsigned
  big-endian, from 0) || 0x01 for the final chunk, 0x00 for every other.
* The associated data of every chunk is the whole 44-byte header.

A reader authenticates each chunk before giving out its bytes. A chunk moved elsewhere has the
wrong counter; a stream cut at a chunk boundary ends on a chunk not flagged final; bytes after
the final chunk follow a chunk that was flagged final; a changed header changes every chunk's
associated data; each fails authentication. The key id tells a wrong key from a damaged file.

What an archive does not hold: the keys. ``BACKUP_KEY``, the document and field encryption keys
(``ENCRYPTION_KEYS``) and ``SECRET_KEY`` must be kept apart from the archives.
"""

import hashlib
import io
import json
import os
import secrets
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import connection
from django.utils import timezone

from casetracker.backup.database import DUMP_MEMBERS, BackupError, database_dump, vendor
from casetracker.backup.stream import EncryptingWriter, StreamError, key_id, key_parse
from casetracker.models import BackupStep

FORMAT = "casetracker-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DOCUMENTS = "documents/"
COPY_BUFFER = 1024 * 1024
# The share of the progress bar each step takes: the dump, then the documents by bytes.
DATABASE_DONE, DOCUMENTS_DONE = 30, 95

#: ``progress(step, percent)``: a ``BackupStep`` and 0-100. Called often; may be slow.
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    sha256: str
    key_id: str | None
    tables: int
    rows: int
    files: int
    seconds: float


# --- keys, places, hashes -----------------------------------------------------------------


def backup_key() -> bytes | None:
    """BACKUP_KEY's 32 bytes, or None when it is not set (archives are then not encrypted)."""
    if not settings.BACKUP_KEY:
        return None
    try:
        return key_parse(settings.BACKUP_KEY)
    except StreamError as exc:
        raise BackupError(str(exc)) from exc


def backup_key_id() -> str | None:
    """The id of BACKUP_KEY as archives record it (None when it is not set)."""
    key = backup_key()
    return None if key is None else key_id(key)


def backup_dir() -> Path:
    return Path(str(settings.BACKUP_DIR))


def media_root() -> Path:
    return Path(str(settings.MEDIA_ROOT))


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if missing; a new folder is for its owner only."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(COPY_BUFFER):
            digest.update(chunk)
    return digest.hexdigest()


def document_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(relative path with ``/``, path) of every regular file under ``root``, sorted; symbolic
    links are neither followed nor listed."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


# --- writing the archive --------------------------------------------------------------------


class _HashingWriter:
    """The archive file: counts and hashes every byte written to it."""

    def __init__(self, file: BinaryIO) -> None:
        self.file, self.digest, self.size = file, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.file.write(data)

    def flush(self) -> None:
        self.file.flush()


class _HashingReader:
    """A file being added to the archive: hashed as tarfile reads it, so each file is read
    once and the hash is of the very bytes archived."""

    def __init__(self, file: BinaryIO, on_read: Callable[[int], None]) -> None:
        self.file, self.digest, self.on_read = file, hashlib.sha256(), on_read

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        self.on_read(len(data))
        return data


def _member(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(mtime)
    return info


def _add_file(tar: tarfile.TarFile, name: str, path: Path, on_read) -> tuple[int, str]:
    with path.open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        reader = _HashingReader(file, on_read)
        tar.addfile(_member(name, size, time.time()), reader)
    return size, reader.digest.hexdigest()


def _archive_path(output: Path | None, encrypted: bool) -> Path:
    if output is not None and not output.is_dir():
        if output.exists():
            raise BackupError(f"{output} exists already: name a new file or a folder.")
        if not output.parent.is_dir():
            raise BackupError(f"{output.parent} is not a folder: create it first.")
        return output
    folder = private_dir(output or backup_dir())
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    suffix = ".tar.enc" if encrypted else ".tar"
    return folder / f"casetracker-backup-{stamp}-{secrets.token_hex(3)}{suffix}"


@contextmanager
def _partial_file(final: Path) -> Iterator[BinaryIO]:
    """A new file, readable by its owner only, beside ``final``, renamed to it on success and
    removed on failure: no half-written archive ever carries an archive's name."""
    partial = final.with_name(f".{final.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        if final.exists():
            raise BackupError(f"{final} appeared while the backup ran: not overwritten.")
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def backup_create(*, output: Path | None = None, progress: Progress | None = None) -> BackupResult:
    """Write one archive of the database and every document (see the module's docstring).

    ``output``: a folder (a timestamped name in it) or a new file's path; BACKUP_DIR by default.
    Encrypted when BACKUP_KEY is set.
    """
    began = time.monotonic()
    report = progress or (lambda step, percent: None)
    db_vendor = vendor()
    key = backup_key()
    path = _archive_path(output, encrypted=key is not None)
    report(BackupStep.DATABASE, 1)
    staging = Path(tempfile.mkdtemp(prefix=".backup-", dir=path.parent))
    try:
        dump = staging / DUMP_MEMBERS[db_vendor]
        facts = database_dump(dump, heartbeat=lambda: report(BackupStep.DATABASE, 5))
        report(BackupStep.DATABASE, DATABASE_DONE)
        files = list(document_files(media_root()))
        total = sum(file.stat().st_size for _rel, file in files) or 1
        copied = 0

        def on_read(size: int) -> None:
            nonlocal copied
            copied += size
            share = min(copied, total) * (DOCUMENTS_DONE - DATABASE_DONE) // total
            report(BackupStep.DOCUMENTS, DATABASE_DONE + share)

        with _partial_file(path) as file:
            sink = _HashingWriter(file)
            envelope = EncryptingWriter(sink, key) if key is not None else None
            target = sink if envelope is None else envelope
            with tarfile.open(fileobj=target, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                dump_size, dump_sha = _add_file(
                    tar, dump.name, dump, lambda size: report(BackupStep.DATABASE, DATABASE_DONE)
                )
                dump.unlink()
                listed, vanished = [], []
                for rel, file_path in files:
                    try:
                        size, sha = _add_file(tar, DOCUMENTS + rel, file_path, on_read)
                    except FileNotFoundError:
                        # Deleted after the dump was taken (a document deleted meanwhile): the
                        # dump may still name it; a restore reports it.
                        vanished.append(rel)
                        continue
                    listed.append({"path": rel, "size": size, "sha256": sha})
                report(BackupStep.MANIFEST, DOCUMENTS_DONE)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": timezone.now().isoformat(),
                    "casetracker_version": _version(),
                    "database": {
                        "vendor": db_vendor,
                        "name": str(connection.settings_dict["NAME"]),
                        "member": dump.name,
                        "size": dump_size,
                        "sha256": dump_sha,
                        "tool": facts["tool"],
                        "server_version": facts["server_version"],
                    },
                    "tables": facts["tables"],
                    "migrations": facts["migrations"],
                    "files": listed,
                    "files_vanished": vanished,
                    "encryption": None if key is None else {"key_id": key_id(key)},
                }
                body = json.dumps(manifest, indent=1, sort_keys=True).encode()
                tar.addfile(_member(MANIFEST, len(body), time.time()), io.BytesIO(body))
            if envelope is not None:
                envelope.close()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report(BackupStep.FINISHED, 100)
    return BackupResult(
        path=path,
        size=sink.size,
        sha256=sink.digest.hexdigest(),
        key_id=None if key is None else key_id(key),
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=len(listed),
        seconds=time.monotonic() - began,
    )


def _version() -> str:
    try:
        return metadata.version("casetracker")
    except metadata.PackageNotFoundError:
        return "unknown"
