"""System checks for the deployment: PostgreSQL must let pg_trgm see Cyrillic letters, and the
encryption keys must be keys."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import DatabaseError

from casetracker import crypto

CYRILLIC_PROBE = "Абдусаматов"


@register(Tags.database)
def check_trigram_sees_cyrillic(app_configs=None, databases=None, **kwargs) -> list[Error]:
    """pg_trgm classifies letters with the database's LC_CTYPE: under ``C`` it finds no trigrams
    in Cyrillic and name search silently stops finding Russian spellings."""
    errors = []
    for alias in databases or []:
        errors += trigram_cyrillic_errors(connections[alias])
    return errors


def trigram_cyrillic_errors(connection: BaseDatabaseWrapper) -> list[Error]:
    """The check for one connection; separate so that tests can point it at a database made
    with a ``C`` locale, which no settings alias names."""
    if connection.vendor != "postgresql":
        return []
    alias = connection.alias
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT datcollate, datctype, pg_encoding_to_char(encoding) "
                "FROM pg_database WHERE datname = current_database()"
            )
            collate, ctype, encoding = cursor.fetchone()
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            has_trgm = cursor.fetchone() is not None
            trigrams = 1
            if has_trgm:
                cursor.execute("SELECT array_length(show_trgm(%s), 1)", [CYRILLIC_PROBE])
                trigrams = cursor.fetchone()[0] or 0
    except DatabaseError as exc:
        return [Error(f"Could not inspect database {alias!r}: {exc}", id="casetracker.E002")]
    if encoding != "UTF8" or ctype in ("C", "POSIX") or not trigrams:
        return [
            Error(
                f"Database {alias!r} has encoding {encoding}, LC_COLLATE {collate} and "
                f"LC_CTYPE {ctype}: pg_trgm cannot see Cyrillic letters, so name search "
                "would not find Russian spellings.",
                hint="Create the database with ENCODING 'UTF8' and a UTF-8 locale, e.g. "
                "CREATE DATABASE casetracker TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'.",
                id="casetracker.E001",
            )
        ]
    return []


@register(Tags.security)
def check_encryption_keys(app_configs=None, **kwargs) -> list[Error]:
    """Every key of ENCRYPTION_KEYS must be a Fernet key: a typo would otherwise surface as the
    first failed save of a phone number."""
    try:
        crypto.keys_check(tuple(settings.ENCRYPTION_KEYS))
    except ImproperlyConfigured as exc:
        return [
            Error(
                str(exc),
                hint="Make a key with `python manage.py rotate_keys --new-key`.",
                id="casetracker.E003",
            )
        ]
    return []
