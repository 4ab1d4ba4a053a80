"""``make bench``: how long the deadline sweep takes, and how that changes with the total.

Issue #3: the sweep finds due reminders "through an indexed query whose cost follows the
number of due items, not the number of deadlines". This creates a PostgreSQL database of its
own (dropped at the end) holding one schema per size of ``--sizes``, each a full Casetracker
schema with that many synthetic deadlines of which the same number, ``--due``, have an alert
waiting, and times ``cases.deadlines.sweep.deadlines_sweep`` in each.

The timed sweeps alternate between the sizes (1M, 10M, 10M, 1M, ...), so a change in what
else the machine is doing slows every size alike instead of skewing the ratio. Before each
sweep the due deadlines are re-armed (their alerts deleted, ``next_alert_at`` put back), so
every sweep raises the same alerts. Notifications go to kombu's in-process memory transport:
the figures are the sweep's own work, not a broker's, and no message reaches a real broker.
"""

import datetime
import os
import statistics
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from cases.deadlines.sweep import deadlines_sweep
from cases.models import Case, Deadline
from casetracker.celery import app as celery_app
from organisations.models import Organisation

BENCH_DATABASE = "casetracker_bench"
INDEX = "cases_deadline_next_alert"
CASES = 100
CHUNK = 1_000_000


class QueryRecorder:
    """Counts a sweep's queries and keeps its pending query (the one that skips locked
    rows), to EXPLAIN it exactly as the sweep sent it."""

    def __init__(self) -> None:
        self.count = 0
        self.pending: tuple[str, tuple] | None = None

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if self.pending is None and "SKIP LOCKED" in sql:
            self.pending = (sql, params)
        return execute(sql, params, many, context)


@dataclass
class Dataset:
    """One size: its schema, its due deadlines as loaded, and what the sweeps measured."""

    size: int
    due_ids: list[str] = field(default_factory=list)
    due_next_alerts: list[datetime.datetime] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    queries: int = 0
    pending: tuple[str, tuple] | None = None
    plan: str = ""

    @property
    def schema(self) -> str:
        return f"deadlines_{self.size}"

    @property
    def median(self) -> float:
        return statistics.median(self.times)


class Command(BaseCommand):
    help = (
        "Time the deadline sweep over synthetic deadlines on PostgreSQL (default: 1,000,000 "
        "and 10,000,000, 1,000 of them due) in a database it creates and drops."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--sizes",
            type=int,
            nargs="+",
            default=[1_000_000, 10_000_000],
            help="Total deadlines of each dataset (default: 1000000 10000000).",
        )
        parser.add_argument("--due", type=int, default=1000, help="Deadlines with an alert due.")
        parser.add_argument("--runs", type=int, default=5, help="Timed sweeps of each size.")
        parser.add_argument(
            "--keep", action="store_true", help=f"Keep the {BENCH_DATABASE} database afterwards."
        )

    def handle(self, *args, sizes, due, runs, keep, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "make bench needs PostgreSQL: set DATABASE_URL, e.g. "
                "postgres://postgres@127.0.0.1:5432/casetracker. It creates and drops its own "
                f"database, {BENCH_DATABASE}, on that server, and leaves yours untouched."
            )
        if len(set(sizes)) != len(sizes) or min(sizes) <= due or runs < 1:
            raise CommandError("Give distinct --sizes, each larger than --due, and --runs >= 1.")
        # Time what production runs: DEBUG keeps a log of every query, production does not.
        settings.DEBUG = False
        celery_app.conf.broker_url = "memory://localhost/"
        celery_app.conf.broker_transport_options = {}
        datasets = [Dataset(size) for size in sorted(sizes)]
        home = connection.settings_dict["NAME"], dict(connection.settings_dict["OPTIONS"])
        load_before = os.getloadavg()[0]
        self._create_database(datasets)
        try:
            for dataset in datasets:
                self._load(dataset, due=due)
            for dataset in datasets:
                self._prepare(dataset, due=due)
            self._time(datasets, due=due, runs=runs)
            for dataset in datasets:
                self._explain(dataset)
        finally:
            self._connect(*home)
            if keep:
                self.stdout.write(f"Kept the database {BENCH_DATABASE}.")
            else:
                self._drop_database()
        self._report(datasets, due=due, load=(load_before, os.getloadavg()[0]))

    # --- The database -------------------------------------------------------------------------

    def _create_database(self, datasets: list[Dataset]) -> None:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
            # UTF-8 with a UTF-8 ctype, like every Casetracker database (system check E001).
            cursor.execute(
                f"CREATE DATABASE {BENCH_DATABASE} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )
        self._connect(BENCH_DATABASE, connection.settings_dict["OPTIONS"])
        with connection.cursor() as cursor:
            # One database holds every dataset: the extensions the migrations create go to
            # "public", which every dataset's search path ends with.
            for extension in ("pg_trgm", "btree_gist"):
                cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {extension} SCHEMA public")
            for dataset in datasets:
                cursor.execute(f"CREATE SCHEMA {dataset.schema}")

    def _drop_database(self) -> None:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")

    def _connect(self, name: str, options: dict) -> None:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.settings_dict["OPTIONS"] = options

    def _use(self, dataset: Dataset) -> None:
        """Work in the dataset's schema from now on, on the same (warm) connection."""
        with connection.cursor() as cursor:
            cursor.execute(f"SET search_path TO {dataset.schema}, public")

    # --- Loading ------------------------------------------------------------------------------

    def _columns(self, case_ids: list[str], due: int) -> tuple[list[str], list[str], list]:
        """Each column of cases_deadline with the SQL that fills it for row ``i``, and its
        parameters. The first ``due`` rows are overdue with their alert waiting; the others
        fall due over the next two years, their next alert weeks away. All are open: the
        partial index holds every one of them, the worst case for the sweep's query."""
        fill = {
            "id": ("gen_random_uuid()", []),
            "created_at": ("now()", []),
            "updated_at": ("now()", []),
            "case_id": (f"(%s::uuid[])[1 + mod(i, {len(case_ids)})]", [case_ids]),
            "title": ("'Benchmark deadline'", []),
            "due_at": (
                f"CASE WHEN i < {due} THEN now() - interval '2 days'"
                " ELSE now() + interval '30 days' + mod(i, 700) * interval '1 day' END",
                [],
            ),
            # As the engine sets it: the first alert, the 7-day reminder, long passed.
            "next_alert_at": (
                f"CASE WHEN i < {due} THEN now() - interval '9 days' + i * interval '1 second'"
                " ELSE now() + interval '23 days' + mod(i, 700) * interval '1 day' END",
                [],
            ),
            "timezone": ("'Asia/Almaty'", []),
            "reminders": ("'[7, 1, 0]'::jsonb", []),
            "status": ("'open'", []),
        }
        columns, values, params = [], [], []
        for model_field in Deadline._meta.concrete_fields:
            columns.append(connection.ops.quote_name(model_field.column))
            if model_field.column in fill:
                sql, field_params = fill[model_field.column]
                values.append(sql)
                params.extend(field_params)
            elif model_field.null:
                values.append("NULL")
            elif (default := model_field.get_default()) is not None:  # e.g. "" for blank text
                values.append("%s")
                params.append(model_field.get_db_prep_save(default, connection))
            else:
                raise CommandError(
                    f"bench_sweep does not know how to fill Deadline.{model_field.name}: "
                    "add its column to bench_sweep's list."
                )
        return columns, values, params

    def _load(self, dataset: Dataset, *, due: int) -> None:
        """Migrate the dataset's schema and fill it: cases, then deadlines, in big inserts."""
        started = time.monotonic()
        # On its own connection whose every session starts in the schema, as migrate expects.
        self._connect(
            BENCH_DATABASE,
            {
                **connection.settings_dict["OPTIONS"],
                "options": f"-c search_path={dataset.schema},public",
            },
        )
        call_command("migrate", interactive=False, verbosity=0)
        organisation = Organisation.objects.create(name="Benchmark", code="BENCH")
        cases = Case.objects.bulk_create(
            Case(
                organisation=organisation,
                reference=f"BENCH-{n:04d}",
                title=f"Benchmark case {n}",
                opened_on=datetime.date(2010, 6, 10),
            )
            for n in range(CASES)
        )
        columns, values, params = self._columns([str(case.pk) for case in cases], due)
        into, select = ", ".join(columns), ", ".join(values)
        # Built from the model's columns and the constants above, never from input.
        insert = (
            f"INSERT INTO cases_deadline ({into}) SELECT {select} FROM generate_series(%s, %s) i"  # noqa: S608
        )
        with connection.cursor() as cursor:
            # Loading need not wait for each commit to reach the disk; the sweeps then do.
            cursor.execute("SET synchronous_commit = off")
            for start in range(0, dataset.size, CHUNK):
                stop = min(start + CHUNK, dataset.size) - 1
                cursor.execute(insert, [*params, start, stop])
                self.stdout.write(f"  loaded {stop + 1:>12,} deadlines", ending="\r")
                self.stdout.flush()
            self.stdout.write("")
            cursor.execute("RESET synchronous_commit")
            cursor.execute("VACUUM (ANALYZE) cases_deadline")
        self.stdout.write(
            f"Loaded {dataset.size:,} deadlines, vacuumed and analysed in "
            f"{time.monotonic() - started:.0f} s."
        )

    # --- Measuring ----------------------------------------------------------------------------

    def _rearm(self, dataset: Dataset) -> None:
        """Put the due deadlines back as they were before the sweep, and vacuum away the
        old row versions, so that every timed sweep does the same work."""
        self._use(dataset)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM cases_alert")
            cursor.execute(
                "UPDATE cases_deadline AS d SET next_alert_at = v.next_alert_at"
                " FROM unnest(%s::uuid[], %s::timestamptz[]) AS v(id, next_alert_at)"
                " WHERE d.id = v.id",
                [dataset.due_ids, dataset.due_next_alerts],
            )
            cursor.execute("VACUUM cases_deadline, cases_alert")

    def _sweep(self, due: int) -> float:
        started = time.perf_counter()
        raised = deadlines_sweep(now=timezone.now())
        elapsed = time.perf_counter() - started
        if raised != due:
            raise CommandError(f"The sweep raised {raised} alerts instead of {due}.")
        return elapsed

    def _prepare(self, dataset: Dataset, *, due: int) -> None:
        """Note the due deadlines, then run a first, untimed sweep that warms the caches and
        records the queries a sweep makes."""
        self._use(dataset)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id::text, next_alert_at FROM cases_deadline"
                " WHERE status = 'open' AND next_alert_at <= now() ORDER BY next_alert_at"
            )
            rows = cursor.fetchall()
        if len(rows) != due:
            raise CommandError(f"{len(rows)} deadlines are due instead of {due}.")
        dataset.due_ids = [row[0] for row in rows]
        dataset.due_next_alerts = [row[1] for row in rows]
        self._rearm(dataset)
        recorder = QueryRecorder()
        with connection.execute_wrapper(recorder):
            self._sweep(due)
        dataset.queries = recorder.count
        dataset.pending = recorder.pending

    def _time(self, datasets: list[Dataset], *, due: int, runs: int) -> None:
        for run in range(runs):
            for dataset in datasets if run % 2 == 0 else reversed(datasets):
                self._rearm(dataset)
                dataset.times.append(self._sweep(due))
            self.stdout.write(
                f"  sweep {run + 1} of {runs}: "
                + ", ".join(f"{d.size:,}: {d.times[-1] * 1000:.0f} ms" for d in datasets)
            )

    def _explain(self, dataset: Dataset) -> None:
        self._rearm(dataset)
        sql, params = dataset.pending
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
            dataset.plan = "\n".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)

    # --- Report -------------------------------------------------------------------------------

    def _report(self, datasets: list[Dataset], *, due: int, load: tuple[float, float]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        out = self.stdout.write
        out("")
        out(
            f"Deadline sweep, {due:,} due — {timezone.localdate().isoformat()}, PostgreSQL "
            f"{version}, {os.cpu_count()} CPUs"
        )
        # Other work on the machine slows every sweep: say how busy it was.
        out(f"Load average (1 min): {load[0]:.2f} at the start, {load[1]:.2f} at the end")
        out(f"{'deadlines':>12}  {'median':>9}  {'min':>9}  {'max':>9}  {'sweeps':>6}  queries")
        for d in datasets:
            out(
                f"{d.size:>12,}  {d.median * 1000:>6.0f} ms  {min(d.times) * 1000:>6.0f} ms  "
                f"{max(d.times) * 1000:>6.0f} ms  {len(d.times):>6}  {d.queries:>7,}"
            )
        smallest = datasets[0]
        for d in datasets[1:]:
            out(
                f"{d.size / smallest.size:g}x the deadlines ({smallest.size:,} -> {d.size:,}): "
                f"median time per sweep x {d.median / smallest.median:.2f}"
            )
        for d in datasets:
            out(f"\nThe sweep's pending query at {d.size:,} deadlines:\n{d.plan}")
        if not all(INDEX in d.plan for d in datasets):
            raise CommandError(f"The sweep's pending query does not use the index {INDEX}.")
        out(f"\nThe pending query uses the partial index {INDEX} at every size.")
