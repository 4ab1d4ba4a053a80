"""Trigram index for name search on PostgreSQL (people/search.py); SQLite uses keys instead."""

from django.db import migrations

from casetracker.db import postgres_only_sql


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [
        postgres_only_sql(
            """
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            CREATE INDEX people_person_search_trgm
                ON people_person USING gin (search_text gin_trgm_ops);
            """,
            "DROP INDEX people_person_search_trgm;",
        ),
    ]
