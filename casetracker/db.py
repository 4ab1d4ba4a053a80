"""Database helpers: PostgreSQL-only guards behind one vendor check each (DESIGN §3)."""

import contextlib

from django.db import migrations


def postgres_only_sql(sql: str, reverse_sql: str) -> migrations.RunPython:
    """A migration step that runs ``sql`` on PostgreSQL and does nothing elsewhere (SQLite in
    development), where the same rule is enforced by the models' ``clean()``."""

    def forwards(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    def backwards(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(reverse_sql)

    return migrations.RunPython(forwards, backwards, elidable=False)


# The one way an append-only table's rows change (issue #11): a transaction that declares it
# rewrites history may change the named columns of a row and nothing else: the trigger of
# ``append_only_sql`` compares every other column. Used by anonymisation (a person's former
# values redacted) and key rotation (sealed values re-encrypted); never by an ordinary write.
REWRITE_SETTING = "casetracker.history_rewrite"


@contextlib.contextmanager
def history_rewrite(connection):
    """Inside the block, the current transaction may rewrite the permitted columns of
    append-only rows (on PostgreSQL; elsewhere the models' own guards are the only ones). The
    permission ends with the block, whatever else the transaction goes on to do."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [REWRITE_SETTING])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, '', true)", [REWRITE_SETTING])


def append_only_sql(table: str, rewritable: tuple[str, ...]) -> str:
    """A trigger making ``table`` append-only: no DELETE; an UPDATE only of the ``rewritable``
    columns and only inside ``history_rewrite``."""
    columns = "".join(f" - '{column}'" for column in rewritable)
    return f"""
        CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'UPDATE'
                AND current_setting('{REWRITE_SETTING}', true) = 'on'
                AND (to_jsonb(NEW){columns}) = (to_jsonb(OLD){columns})
            THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '{table} is append-only: rows are never changed or deleted';
        END
        $$ LANGUAGE plpgsql;
        DROP TRIGGER IF EXISTS {table}_append_only ON {table};
        CREATE TRIGGER {table}_append_only
            BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
    """
