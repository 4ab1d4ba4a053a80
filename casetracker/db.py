"""Database helpers: PostgreSQL-only guards behind one vendor check each (DESIGN §3)."""

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
