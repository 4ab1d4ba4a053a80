"""The database's half of a backup (issue #11), for PostgreSQL and SQLite: a consistent dump
with the row counts and applied migrations of the very snapshot dumped, the restore of a dump,
and the counts again. The archive around it is ``casetracker/backup/archive.py``'s.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, connections

# The archive member that holds each vendor's dump.
DUMP_MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# What a PostgreSQL client program is told by its arguments, not by the environment.
_PG_SET_HERE = {"PGPASSWORD", "PGDATABASE", "PGHOST", "PGPORT", "PGUSER", "PGSERVICE", "PGOPTIONS"}
_PG_PASSED = {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"}


class BackupError(Exception):
    """A backup or a restore that cannot be done, and what to do about it (for the operator)."""


def vendor() -> str:
    if connection.vendor not in DUMP_MEMBERS:
        raise BackupError(
            f"Backups support PostgreSQL and SQLite; this database is {connection.vendor}."
        )
    return connection.vendor


def quote(name: str) -> str:
    """A table name quoted for SQL (the same on PostgreSQL and SQLite)."""
    return '"' + name.replace('"', '""') + '"'


def table_counts(cursor, introspection) -> dict[str, int]:
    """The rows of every table the database has (views left out), by name."""
    counts = {}
    for table in sorted(introspection.table_names(cursor)):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (an introspected name)
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor, tables) -> list[list[str]]:
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[app, name] for app, name in cursor.fetchall()]


def database_counts() -> tuple[dict[str, int], list[list[str]]]:
    """The configured database's row counts of every table, and its applied migrations."""
    with connection.cursor() as cursor:
        counts = table_counts(cursor, connection.introspection)
        return counts, applied_migrations(cursor, counts)


def database_holds_data() -> list[str]:
    """``table: N rows`` for each guard table (BACKUP_RESTORE_GUARD_TABLES) holding rows; empty
    for a new, a freshly migrated or a never migrated database."""
    found = []
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        for table in settings.BACKUP_RESTORE_GUARD_TABLES:
            if table in present:
                cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (a setting)
                rows = cursor.fetchone()[0]
                if rows:
                    found.append(f"{table}: {rows} rows")
    return found


# --- PostgreSQL's client programs -----------------------------------------------------------


def _pg_program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not on PATH. Install the PostgreSQL client programs of the server's "
            "major version (Debian: apt-get install postgresql-client-<version>)."
        )
    return path


def _pg_connection_args() -> tuple[list[str], dict[str, str]]:
    """The command-line options and environment that point pg_dump and pg_restore at the
    configured database. The password goes in PGPASSWORD, never on a command line (which
    every user of the machine can read); none of the app's own secrets is passed on."""
    db = connection.settings_dict
    args = ["--no-password", f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    env = {
        name: value
        for name, value in os.environ.items()
        if name in _PG_PASSED or (name.startswith("PG") and name not in _PG_SET_HERE)
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    if sslmode := (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(sslmode)
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    return args, env


def _pg_run(args: list[str], env: dict[str, str], *, heartbeat: Callable[[], None]) -> None:
    """Run a PostgreSQL client program to its end, calling ``heartbeat`` every second; its
    error output becomes the BackupError."""
    process = subprocess.Popen(  # noqa: S603 (an absolute program path and our own arguments)
        args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    while True:
        try:
            _out, err = process.communicate(timeout=1)
            break
        except subprocess.TimeoutExpired:
            heartbeat()
    if process.returncode != 0:
        message = err.decode(errors="replace").strip()
        raise BackupError(
            f"{Path(args[0]).name} failed (exit status {process.returncode}): {message}"
        )


def _pg_version(program: str) -> str:
    result = subprocess.run(  # noqa: S603 (an absolute program path)
        [program, "--version"], capture_output=True, text=True, check=False, timeout=30
    )
    return result.stdout.strip()


def _major(version: str) -> int | None:
    match = re.search(r"\b(\d+)(?:\.\d+)?", version)
    return int(match.group(1)) if match else None


def _same_major_or_refuse(program: str, tool: str) -> None:
    """pg_dump of the server's major version only. An older one cannot dump the server; a
    newer one writes settings the server does not know (pg_dump 17 writes ``SET
    transaction_timeout``), so its dump would not restore into the server it came from."""
    connection.ensure_connection()
    server = connection.pg_version // 10000
    if _major(tool) != server:
        raise BackupError(
            f"{program} is {tool!r} and the server is PostgreSQL {server}: use the client "
            f"programs of version {server} (Debian: postgresql-client-{server}), or a dump "
            "might not restore into this server."
        )


# --- dumping --------------------------------------------------------------------------------


def _dump_postgresql(path: Path, heartbeat: Callable[[], None]) -> dict[str, Any]:
    """pg_dump into ``path`` and, in the very snapshot it dumps, the tables' row counts and the
    applied migrations (``pg_export_snapshot``, ``pg_dump --snapshot``)."""
    program = _pg_program("pg_dump")
    tool = _pg_version(program)
    _same_major_or_refuse(program, tool)
    args, env = _pg_connection_args()
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        with closing(raw.cursor()) as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version_num')")
            snapshot, server_version = cursor.fetchone()
            tables = table_counts(cursor, connection.introspection)
            migrations = applied_migrations(cursor, tables)
            # The exporting transaction stays open while pg_dump reads its snapshot.
            _pg_run(
                [program, "--format=custom", f"--file={path}", f"--snapshot={snapshot}", *args],
                env,
                heartbeat=heartbeat,
            )
            cursor.execute("COMMIT")
    finally:
        raw.close()
    return {
        "tables": tables,
        "migrations": migrations,
        "tool": tool,
        "server_version": server_version,
    }


def _dump_sqlite(path: Path) -> dict[str, Any]:
    """A consistent copy with SQLite's online backup API, counted on the copy itself."""
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
        with closing(copy.cursor()) as cursor:
            tables = table_counts(cursor, connection.introspection)
            migrations = applied_migrations(cursor, tables)
    return {
        "tables": tables,
        "migrations": migrations,
        "tool": f"sqlite3.Connection.backup (SQLite {sqlite3.sqlite_version})",
        "server_version": sqlite3.sqlite_version,
    }


def database_dump(path: Path, *, heartbeat: Callable[[], None]) -> dict[str, Any]:
    """Dump the configured database into ``path``: its ``tables`` (row counts), ``migrations``,
    the ``tool`` that dumped it and the ``server_version``, all of the snapshot dumped."""
    try:
        if vendor() == "postgresql":
            return _dump_postgresql(path, heartbeat)
        return _dump_sqlite(path)
    except (DatabaseError, sqlite3.Error) as exc:
        raise BackupError(f"Cannot read the database: {str(exc).strip()}") from exc


# --- restoring ------------------------------------------------------------------------------


def database_restore(dump: Path) -> None:
    """Replace the configured database with ``dump``, all or nothing. PostgreSQL: pg_restore in
    one transaction, dropping what the dump holds first; SQLite: the online backup API onto the
    database file, after closing every connection of this process."""
    if vendor() == "postgresql":
        args, env = _pg_connection_args()
        connections.close_all()
        _pg_run(
            [
                _pg_program("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(dump),
            ],
            env,
            heartbeat=lambda: None,
        )
        return
    name = str(connection.settings_dict["NAME"])
    connections.close_all()
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(dump)) as source, closing(sqlite3.connect(name)) as target:
        source.backup(target)
