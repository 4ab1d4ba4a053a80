"""The casetracker.E001 system check: pg_trgm must see Cyrillic letters (casetracker/checks.py).

A database created with LC_CTYPE 'C' gives pg_trgm no trigrams for "Абдусаматов", and name
search then quietly stops finding Russian spellings; the check must say so at deploy time.
"""

import uuid
from contextlib import contextmanager

import psycopg2
import pytest
from django.core.checks import Tags, run_checks
from django.db import DEFAULT_DB_ALIAS, connection, connections

from casetracker.checks import trigram_cyrillic_errors

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_trgm and database locales exist only on PostgreSQL; set DATABASE_URL to run",
)


def _casetracker_errors(errors) -> list[str]:
    return [e.id for e in errors if e.id.startswith("casetracker.")]


def _server(dbname: str):
    """A psycopg2 connection to ``dbname`` on the test database's server, in autocommit:
    CREATE and DROP DATABASE cannot run inside the test's transaction."""
    settings = connection.settings_dict
    raw = psycopg2.connect(
        dbname=dbname,
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"] or None,
    )
    raw.autocommit = True
    return raw


@contextmanager
def _connection_to(dbname: str):
    """A Django connection like the test database's, to another database on the same server.

    It is handed to the connection handler but not to its settings: django.contrib.postgres
    looks each new connection up by alias, and Django's test isolation lets through only
    connections that are not configured aliases (django/test/testcases.py,
    ``ensure_connection_patch_method``)."""
    test_database = connections[DEFAULT_DB_ALIAS]
    other = type(test_database)({**test_database.settings_dict, "NAME": dbname}, alias=dbname)
    connections[dbname] = other
    try:
        yield other
    finally:
        other.close()
        del connections[dbname]


@pytest.fixture
def c_locale_database():
    """A throwaway database with the ``C`` locale and pg_trgm installed, dropped afterwards."""
    name = f"test_casetracker_c_locale_{uuid.uuid4().hex[:8]}"
    server = _server("postgres")
    try:
        with server.cursor() as cursor:
            cursor.execute(
                f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C' LC_CTYPE 'C'"
            )
        database = _server(name)
        with database.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        database.close()
        yield name
    finally:
        with server.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        server.close()


@pytest.mark.django_db
def test_the_test_database_passes_every_database_check():
    """On PostgreSQL the test database is UTF8 with the cluster's UTF-8 ctype (settings.py);
    on SQLite the check has nothing to inspect. Either way: no error."""
    errors = run_checks(databases=["default"], tags=[Tags.database])

    assert _casetracker_errors(errors) == []


@postgresql_only
@pytest.mark.django_db
def test_the_test_database_is_the_kind_the_check_accepts():
    """The passing case above passes for the right reason: the database really is UTF8 and
    pg_trgm really finds Cyrillic trigrams in it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_encoding_to_char(encoding), datctype FROM pg_database "
            "WHERE datname = current_database()"
        )
        encoding, ctype = cursor.fetchone()
        cursor.execute("SELECT array_length(show_trgm('Абдусаматов'), 1)")
        trigrams = cursor.fetchone()[0]

    assert (encoding, trigrams > 0) == ("UTF8", True)
    assert ctype not in ("C", "POSIX")
    assert trigram_cyrillic_errors(connection) == []


@postgresql_only
@pytest.mark.django_db
def test_a_c_locale_database_is_reported(c_locale_database):
    with _connection_to(c_locale_database) as other:
        errors = trigram_cyrillic_errors(other)

    assert [e.id for e in errors] == ["casetracker.E001"]
    assert "LC_CTYPE C" in errors[0].msg
    assert "LC_CTYPE 'C.UTF-8'" in errors[0].hint


@postgresql_only
@pytest.mark.django_db
def test_a_database_that_cannot_be_reached_is_reported():
    with _connection_to(f"test_casetracker_missing_{uuid.uuid4().hex[:8]}") as other:
        errors = trigram_cyrillic_errors(other)

    assert [e.id for e in errors] == ["casetracker.E002"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="tests the SQLite development setup")
def test_sqlite_is_not_inspected():
    assert trigram_cyrillic_errors(connection) == []
