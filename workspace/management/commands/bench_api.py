"""``make bench`` (second part): API latency with 100,000 cases, beside raw SQL.

Issue #4: p50/p95 latency of the case list, the people search and a case's timeline on
PostgreSQL, each beside the time of fetching the same rows with one raw SQL query in the same
run, as a ratio: what the API layers (auth, scoping, serialisation, ETag) cost over the rows
themselves. The data lives in a database of its own, created and dropped. Lives in ``workspace``
because the timeline reaches every app.
"""

import datetime
import os
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases.models import Case
from organisations.choices import Role
from organisations.models import Membership, Organisation
from people.models import Person
from people.selectors import duplicate_candidates
from people.services import person_create
from workspace.demo.recorder import Recorder

BENCH_DATABASE = "casetracker_bench_api"


def _percentile(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = (
        "Time the case list, people search and timeline endpoints over 100,000 cases, and one "
        "person's duplicate candidates over 100,000 people."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--requests", type=int, default=50, help="Timed requests per probe.")
        parser.add_argument("--keep", action="store_true")

    def handle(self, *args, cases, requests, keep, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("bench_api needs PostgreSQL: set DATABASE_URL.")
        settings.DEBUG = False
        settings.ALLOWED_HOSTS = ["testserver"]
        home = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
            cursor.execute(
                f"CREATE DATABASE {BENCH_DATABASE} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )
        try:
            connection.close()
            connection.settings_dict["NAME"] = BENCH_DATABASE
            call_command("migrate", interactive=False, verbosity=0)
            user, organisation, busy_case = self._load(cases)
            rows = self._measure(user, organisation, busy_case, requests)
        finally:
            connection.close()
            connection.settings_dict["NAME"] = home
            if not keep:
                with connection._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        self._report(rows, cases, requests)

    def _load(self, count: int):
        started = time.monotonic()
        user = get_user_model().objects.create_user("bench", password="x")
        # The benchmark user signs in with no second factor: its organisation does not ask one.
        organisation = Organisation.objects.create(
            name="Benchmark", code="BENCH", require_mfa=False
        )
        Membership.objects.create(user=user, organisation=organisation, role=Role.CASEWORKER)
        with connection.cursor() as cursor:
            # One person and one case per row; every tenth person has a Cyrillic spelling.
            cursor.execute(
                """
                INSERT INTO people_person (id, created_at, updated_at, organisation_id,
                    family_name, given_name, patronymic, name_native, sex, birth_date_precision,
                    birth_place, citizenships, languages, phone, address, notes, search_text)
                SELECT gen_random_uuid(), now(), now(), %s, 'Family' || i, 'Given' || i, '',
                    '', 'unknown', 'day', '', 'UZ', '[]'::jsonb, '', '', '',
                    'family' || i || ' given' || i
                    || CASE WHEN mod(i, 10) = 0 THEN ' фамилия' || i ELSE '' END
                FROM generate_series(1, %s) AS i
                """,
                [organisation.pk, count],
            )
            cursor.execute(
                """
                INSERT INTO cases_case (id, created_at, updated_at, organisation_id, reference,
                    title, status, opened_on, summary, restricted)
                SELECT gen_random_uuid(), now() - i * interval '1 minute', now(), %s,
                    'BENCH-' || i, 'Benchmark case ' || i, 'open', DATE '2010-06-10', '', false
                FROM generate_series(1, %s) AS i
                """,
                [organisation.pk, count],
            )
            cursor.execute(
                """
                INSERT INTO cases_caseparty (id, created_at, updated_at, case_id, person_id, role)
                SELECT gen_random_uuid(), now(), now(), c.id, p.id, 'principal'
                FROM (SELECT id, row_number() OVER (ORDER BY reference) AS n FROM cases_case) c
                JOIN (SELECT id, row_number() OVER (ORDER BY family_name) AS n
                      FROM people_person) p USING (n)
                """
            )
            cursor.execute("ANALYZE")
        # One case with a realistic history for the timeline, written through the services.
        busy = Recorder(organisation, user)
        case = Case.objects.get(reference="BENCH-1")
        person = Person.objects.get(case_parties__case=case)
        for n in range(10):
            start = datetime.date(2010, 1, 1) + datetime.timedelta(days=40 * n)
            detention = busy.detain(case, person, "immigration", start)
            busy.release(detention, start + datetime.timedelta(days=20))
            busy.note(case, start, f"Visit {n}.")
        self.stdout.write(
            f"Loaded {count:,} cases and people in {time.monotonic() - started:.0f} s"
        )
        return user, organisation, case

    def _time(self, fn, n: int) -> list[float]:
        fn()  # warm caches
        times = []
        for _ in range(n):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return times

    def _measure(self, user, organisation, case, n: int) -> list[tuple[str, list, list]]:
        client = Client()
        client.force_login(user)

        def get(url: str):
            def call():
                response = client.get(url)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")

            return call

        def raw(sql: str, params: list):
            def call():
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    cursor.fetchall()

            return call

        # Issue #12: one person's duplicate candidates among all the organisation's people
        # (target: under 200 ms), beside the index's bare proposal of the same rows.
        spellings = [("Абдусаматов", "Рустам"), ("Abdusamatov", "Rustam"), ("Abdussamatov", "")]
        planted = [
            person_create(acting_user=user, organisation=organisation, family_name=f, given_name=g)
            for f, g in [*spellings, ("Abdusamatof", "Rustam")]
        ]

        def candidates():
            if len(duplicate_candidates(user=user, person=planted[0])) < len(spellings):
                raise CommandError("duplicate_candidates missed a planted spelling")

        probes = [
            (
                "duplicate candidates of one person",
                candidates,
                raw(
                    "SELECT id, word_similarity(%s, search_text) AS rank FROM people_person "
                    "WHERE organisation_id = %s AND %s <%% search_text "
                    "ORDER BY rank DESC LIMIT 50",
                    ["abdusamatov", organisation.pk, "abdusamatov"],
                ),
            ),
            (
                "case list (50 newest)",
                get("/api/v1/cases/"),
                raw(
                    "SELECT c.*, array(SELECT person_id FROM cases_caseparty p "
                    "WHERE p.case_id = c.id) FROM cases_case c WHERE c.organisation_id = %s "
                    "ORDER BY c.created_at DESC LIMIT 51",
                    [organisation.pk],
                ),
            ),
            (
                "people search (Cyrillic)",
                get("/api/v1/people/?search=фамилия4250"),
                raw(
                    "SELECT *, word_similarity(%s, search_text) AS rank FROM people_person "
                    "WHERE organisation_id = %s AND %s <%% search_text "
                    "ORDER BY rank DESC LIMIT 50",
                    ["фамилия4250", organisation.pk, "фамилия4250"],
                ),
            ),
            (
                "timeline of one case (30 records)",
                get(f"/api/v1/cases/{case.pk}/timeline/"),
                raw(
                    "SELECT started_on AS day, 'detention' FROM cases_detention WHERE case_id = %s "
                    "UNION ALL SELECT ended_on, 'release' FROM cases_detention "
                    "WHERE case_id = %s AND ended_on IS NOT NULL "
                    "UNION ALL SELECT occurred_on, 'note' FROM cases_note WHERE case_id = %s "
                    "ORDER BY 1",
                    [case.pk, case.pk, case.pk],
                ),
            ),
        ]
        return [(name, self._time(api, n), self._time(sql, n)) for name, api, sql in probes]

    def _report(self, rows, cases: int, n: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        out = self.stdout.write
        out("")
        out(
            f"API latency, {cases:,} cases, {n} requests per probe — "
            f"{timezone.localdate().isoformat()}, PostgreSQL {version}, {os.cpu_count()} CPUs, "
            f"load {os.getloadavg()[0]:.2f}"
        )
        out(f"{'probe':<44} {'API p50':>8} {'API p95':>8} {'SQL p50':>8} {'ratio p50':>9}")
        for name, api, sql in rows:
            api50, api95 = statistics.median(api), _percentile(api, 0.95)
            sql50 = statistics.median(sql)
            out(
                f"{name:<44} {api50 * 1000:>6.1f}ms {api95 * 1000:>6.1f}ms "
                f"{sql50 * 1000:>6.2f}ms {api50 / sql50:>8.1f}x"
            )
