"""The access log's trigger allows exactly one change of an entry: its query string, in a
transaction that declared a history rewrite (casetracker.db), which anonymising a person does
to remove the searches for them (issue #11). Every other update and every delete stays
refused."""

from django.db import migrations

from casetracker.db import append_only_sql, postgres_only_sql

OLD_TRIGGER = """
    CREATE OR REPLACE FUNCTION casetracker_accesslogentry_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'casetracker_accesslogentry is append-only';
    END
    $$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("casetracker", "0004_backuprun")]

    operations = [
        postgres_only_sql(append_only_sql("casetracker_accesslogentry", ("query",)), OLD_TRIGGER),
    ]
