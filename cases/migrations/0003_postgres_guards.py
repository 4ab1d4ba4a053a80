"""Database-level guards on PostgreSQL: no overlapping detentions, an append-only timeline."""

from django.db import migrations

from casetracker.db import postgres_only_sql


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [
        # Detention.clean() gives the caseworker the message; this catches two writers racing.
        postgres_only_sql(
            """
            CREATE EXTENSION IF NOT EXISTS btree_gist;
            ALTER TABLE cases_detention ADD CONSTRAINT cases_detention_no_overlap
                EXCLUDE USING gist (
                    person_id WITH =,
                    daterange(started_on, ended_on, '[]') WITH &&
                );
            """,
            "ALTER TABLE cases_detention DROP CONSTRAINT cases_detention_no_overlap;",
        ),
        postgres_only_sql(
            """
            CREATE FUNCTION cases_caseevent_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'cases_caseevent is append-only: events are never changed or deleted';
            END
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER cases_caseevent_append_only
                BEFORE UPDATE OR DELETE ON cases_caseevent
                FOR EACH ROW EXECUTE FUNCTION cases_caseevent_append_only();
            """,
            """
            DROP TRIGGER cases_caseevent_append_only ON cases_caseevent;
            DROP FUNCTION cases_caseevent_append_only();
            """,
        ),
    ]
