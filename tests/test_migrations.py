"""Organisations and memberships moved from ``cases`` to ``organisations`` (issue #9): a database
at the schema before the move, holding the demo, migrates with every row kept, and the records
that point at an organisation by content type (the timeline, the admin log) still find it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases.models import CaseEvent, Note
from organisations.models import Membership, Organisation
from people.models import Relationship
from workspace.demo import demo_load

BEFORE_THE_MOVE = [
    ("organisations", None),
    ("people", "0003_search_text_backfill"),
    ("cases", "0011_alert_message_text"),
]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite cannot run a migration inside the test's transaction; CI runs it on PostgreSQL",
)


def _migrate(targets) -> int:
    """Migrate to ``targets``; the number of migrations applied or unapplied."""
    # The test runs in one transaction, where the rows just inserted leave their foreign-key
    # checks pending, and PostgreSQL refuses to ALTER a table with checks pending (the
    # encryption migrations alter people_person). `migrate` runs each migration in a
    # transaction of its own; checking now puts this test in the same position.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    steps = len(executor.migration_plan(targets))
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return steps


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def _owner_of(model: str) -> str:
    return ContentType.objects.get(model=model, app_label__in=["cases", "organisations"]).app_label


@pytest.mark.django_db
def test_a_database_from_before_the_move_keeps_every_row():
    demo_load()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(BEFORE_THE_MOVE)
    before = _row_counts()
    assert (_owner_of("organisation"), _owner_of("membership")) == ("cases", "cases")
    assert before["cases_organisation"] == 2 and before["cases_membership"] == 6

    applied = _migrate(latest)

    after = _row_counts()
    # The move's three migrations (and any later ones) are recorded as applied; no other table
    # gains or loses a row.
    assert applied >= 3
    assert after.pop("django_migrations") == before.pop("django_migrations") + applied
    # Tables that later migrations create (people_notduplicate, issue #12) start empty.
    created = {table: after.pop(table) for table in set(after) - set(before)}
    assert set(created.values()) <= {0}, created
    assert after == before
    assert (_owner_of("organisation"), _owner_of("membership")) == (
        "organisations",
        "organisations",
    )
    created = CaseEvent.objects.filter(kind="organisation.created").order_by("at")
    assert {event.subject for event in created} == set(Organisation.objects.all())
    assert Membership.objects.filter(organisation__code="ALA").count() == 3


BEFORE_ENCRYPTION = [
    ("people", "0004_organisations_moved"),
    ("cases", "0013_deadline_triggers_registered"),
]


def _raw_values(sql: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_a_database_from_before_encryption_is_encrypted_in_place_and_back(settings, tmp_path):
    """Issue #11: the migrations seal the plaintext a database already holds (contact details,
    notes, the timeline's stored values of them) and migrating back opens it again."""
    settings.MEDIA_ROOT = tmp_path
    demo_load()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    phones = sorted(Relationship.objects.exclude(phone="").values_list("phone", flat=True))
    bodies = sorted(Note.objects.values_list("body", flat=True))
    assert phones and bodies

    _migrate(BEFORE_ENCRYPTION)
    assert sorted(_raw_values("SELECT phone FROM people_relationship WHERE phone <> ''")) == phones
    assert sorted(_raw_values("SELECT body FROM cases_note")) == bodies
    timeline = " ".join(map(str, _raw_values("SELECT data FROM cases_caseevent")))
    assert phones[0] in timeline

    _migrate(latest)
    raw = _raw_values("SELECT phone FROM people_relationship WHERE phone <> ''")
    assert all(value.startswith("enc1:") for value in raw)
    assert all(value.startswith("enc1:") for value in _raw_values("SELECT body FROM cases_note"))
    timeline = " ".join(map(str, _raw_values("SELECT data FROM cases_caseevent")))
    assert phones[0] not in timeline
    assert sorted(Relationship.objects.exclude(phone="").values_list("phone", flat=True)) == phones
    assert sorted(Note.objects.values_list("body", flat=True)) == bodies
