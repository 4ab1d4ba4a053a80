"""Backup and restore (issue #11, item 1): the archive of ``manage.py backup`` brings back every
row and every document byte for byte; ``manage.py restore`` refuses, having written nothing, a
database that holds data, a changed, truncated or wrongly keyed archive; the Celery task writes
its progress on a ``BackupRun``; the operators' page.

The commands run as other processes, as an operator runs them, against a scratch database of
their own (a SQLite file here, or a PostgreSQL database this test creates and drops): the test's
own database is wrapped in a transaction they could not see.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
import uuid
from pathlib import Path

import environ
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from cases.services.notes import document_upload
from casetracker.backup.restore import backup_verify
from casetracker.backup.runs import backup_run_queue
from casetracker.backup.stream import CHUNK_SIZE, HEADER_SIZE, TAG_SIZE, key_new
from casetracker.models import BackupRun, BackupState, BackupStep
from casetracker.tasks import backup_run_perform_task, backup_run_scheduled_task
from tests import factories as f
from tests.casetracker.test_deploy import (
    BIN,
    ROOT,
    CommandProcess,
    broker_env,
    broker_kinds,
    database_url,
    redis_queue_delete,
)
from tests.helpers import nothing_written
from tests.pages.matrix import USERS, ActionMatrix, PageMatrix, client_for

# In a document's title (stored as plain text in the database): found in an unencrypted
# archive, so its absence from an encrypted one means something.
PLANTED = "PLANTEDNAME-Tursunbaev"
TEXTS = [
    "Decision of the Migration Police, Almaty.\n" * 40,
    "Submission to the Committee against Torture.\n" * 400,
    "Letter from the family: Абдусаматов, Ташкент.\n" * 3,
]
OPERATORS_ONLY = dict.fromkeys(USERS, 403)

UPLOAD = """
import hashlib, json
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from cases.models import Case
from cases.services.notes import document_upload
user = get_user_model().objects.get(username="ala-caseworker")
case = Case.objects.visible_to(user).filter(restricted=False).order_by("reference").first()
documents = {}
for i, text in enumerate(TEXTS):
    body = text.encode()
    upload = SimpleUploadedFile(f"letter-{i}.txt", body, content_type="text/plain")
    document = document_upload(
        acting_user=user, case=case, file=upload, title=f"{PLANTED} letter {i}"
    )
    documents[str(document.pk)] = hashlib.sha256(body).hexdigest()
print(json.dumps({"case": str(case.pk), "documents": documents}))
"""

COUNTS = """
import json
from django.db import connection
counts = {}
with connection.cursor() as cursor:
    for table in connection.introspection.table_names(cursor):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
print(json.dumps(counts))
"""

DOWNLOAD = """
import hashlib, json
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
from cases.models import Case
setup_test_environment()
client = Client()
client.force_login(get_user_model().objects.get(username="ala-caseworker"))
answers = {"case": client.get(Case.objects.get(pk=CASE).get_absolute_url()).status_code}
for document in DOCUMENTS:
    response = client.get(reverse("cases:document_download", args=[document]))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    answers[document] = [response.status_code, hashlib.sha256(body).hexdigest()]
print(json.dumps(answers))
"""


# --- running the commands as an operator does -------------------------------------------------


class Site:
    """A Casetracker installation of its own: a database, a MEDIA_ROOT and a BACKUP_DIR."""

    def __init__(self, folder: Path, database: str) -> None:
        self.folder = folder
        self.media = folder / "media"
        self.backups = folder / "backups"
        self.env = {
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "casetracker.settings",
            "DATABASE_URL": database,
            "MEDIA_ROOT": str(self.media),
            "BACKUP_DIR": str(self.backups),
            "CELERY_BROKER_FOLDER": str(folder / "broker"),
        }

    @property
    def sqlite_file(self) -> Path:
        return Path(self.env["DATABASE_URL"].removeprefix("sqlite:///"))

    def manage(self, *args: str, check: bool = True, **env: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check:
            assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
        return result

    def script(self, code: str, **values) -> dict:
        prelude = "".join(f"{name} = {value!r}\n" for name, value in values.items())
        result = self.manage("shell", "-v0", "-c", prelude + code)
        return json.loads(result.stdout.strip().splitlines()[-1])

    def load(self) -> dict:
        """Migrate, load the demo, and upload three documents through the service."""
        self.manage("migrate", "--noinput", "-v0")
        self.manage("load_demo")
        return self.script(UPLOAD, TEXTS=TEXTS, PLANTED=PLANTED)

    def backup(self, **env: str) -> Path:
        result = self.manage("backup", **env)
        return Path(result.stdout.strip().splitlines()[-1])

    def restore(self, archive: Path, *flags: str, **env: str) -> subprocess.CompletedProcess:
        return self.manage("restore", str(archive), *flags, check=False, **env)

    def files(self) -> dict[str, str]:
        """SHA-256 of every file under MEDIA_ROOT, by relative path."""
        if not self.media.exists():
            return {}
        return {
            path.relative_to(self.media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in self.media.rglob("*")
            if path.is_file()
        }

    def state(self) -> dict:
        return {"tables": self.script(COUNTS), "files": self.files()}

    def downloads(self, loaded: dict) -> dict:
        return self.script(DOWNLOAD, CASE=loaded["case"], DOCUMENTS=list(loaded["documents"]))


def _sqlite_site(folder: Path) -> Site:
    folder.mkdir(parents=True, exist_ok=True)
    return Site(folder, f"sqlite:///{folder / 'site.sqlite3'}")


def _sqlite_tables(site: Site) -> list[str]:
    if not site.sqlite_file.exists():
        return []
    with sqlite3.connect(site.sqlite_file) as db:
        return [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]


def _assert_restored(site: Site, before: dict, loaded: dict) -> None:
    assert site.state() == before
    answers = site.downloads(loaded)
    assert answers.pop("case") == 200
    assert answers == {pk: [200, sha] for pk, sha in loaded["documents"].items()}


# --- PostgreSQL: a scratch database --------------------------------------------------------

POSTGRES_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = POSTGRES_URL.startswith(("postgres://", "postgresql://", "pgsql://"))


def _psql(sql: str) -> None:
    db = environ.Env.db_url_config(POSTGRES_URL)
    env = {"PATH": os.environ["PATH"]}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    subprocess.run(
        [
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            f"--host={db.get('HOST') or '127.0.0.1'}",
            f"--port={db.get('PORT') or 5432}",
            f"--username={db.get('USER') or 'postgres'}",
            "--dbname=postgres",
            "-c",
            sql,
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def _pg_create(name: str) -> None:
    _psql(
        f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
        "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
    )


def _pg_drop(name: str) -> None:
    _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def postgres_site(tmp_path):
    if not ON_POSTGRES:
        pytest.skip(
            "The PostgreSQL round trip needs DATABASE_URL pointing at PostgreSQL (CI sets it): "
            "it creates a scratch database there and runs pg_dump and pg_restore against it."
        )
    name = f"casetracker_backup_{uuid.uuid4().hex[:12]}"
    _pg_create(name)
    db = environ.Env.db_url_config(POSTGRES_URL)
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = (
        f"postgres://{db.get('USER') or 'postgres'}{password}@{db.get('HOST') or '127.0.0.1'}:"
        f"{db.get('PORT') or 5432}/{name}"
    )
    try:
        yield Site(tmp_path, url), name
    finally:
        _pg_drop(name)


# --- the round trips ------------------------------------------------------------------------


def test_sqlite_round_trip_brings_back_every_row_and_every_document(tmp_path):
    site = _sqlite_site(tmp_path / "site")
    loaded = site.load()
    before = site.state()
    assert len(before["files"]) == 3

    archive = site.backup()
    assert archive.parent == site.backups
    assert archive.stat().st_mode & 0o777 == 0o600
    site.sqlite_file.unlink()
    shutil.rmtree(site.media)
    result = site.restore(archive)

    assert result.returncode == 0, result.stderr
    assert "each matching the manifest" in result.stdout
    _assert_restored(site, before, loaded)


def test_postgresql_round_trip_brings_back_every_row_and_every_document(postgres_site):
    site, name = postgres_site
    loaded = site.load()
    before = site.state()

    archive = site.backup()
    with tarfile.open(archive) as tar:
        assert tar.getnames()[0] == "database.pgdump"
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"]["vendor"] == "postgresql"
    assert manifest["tables"] == before["tables"]
    _pg_drop(name)
    _pg_create(name)
    shutil.rmtree(site.media)
    result = site.restore(archive)

    assert result.returncode == 0, result.stderr
    _assert_restored(site, before, loaded)


# --- what a restore refuses -----------------------------------------------------------------


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A demo site with three documents and two archives of it: plain and encrypted."""
    site = _sqlite_site(tmp_path_factory.mktemp("made"))
    loaded = site.load()
    key = key_new()
    return {
        "site": site,
        "loaded": loaded,
        "state": site.state(),
        "plain": site.backup(),
        "key": key,
        "encrypted": site.backup(BACKUP_KEY=key),
    }


def _empty_site(tmp_path) -> Site:
    return _sqlite_site(tmp_path / "empty")


def _assert_nothing_written(site: Site) -> None:
    assert _sqlite_tables(site) == []
    assert site.files() == {}


def _copy_site(made, folder: Path) -> Site:
    site = _sqlite_site(folder)
    shutil.copyfile(made["site"].sqlite_file, site.sqlite_file)
    shutil.copytree(made["site"].media, site.media)
    return site


def test_restore_refuses_a_database_with_data_unless_forced(made, tmp_path):
    site = _copy_site(made, tmp_path / "busy")
    site.script(UPLOAD, TEXTS=["One more letter.\n"], PLANTED="later")
    database = hashlib.sha256(site.sqlite_file.read_bytes()).hexdigest()
    files = site.files()

    refused = site.restore(made["plain"])

    assert refused.returncode != 0
    assert "The database is not empty" in refused.stderr and "--force" in refused.stderr
    assert "Nothing was changed" in refused.stderr
    assert hashlib.sha256(site.sqlite_file.read_bytes()).hexdigest() == database
    assert site.files() == files

    forced = site.restore(made["plain"], "--force")

    assert forced.returncode == 0, forced.stderr
    assert site.script(COUNTS) == made["state"]["tables"]
    # The later upload's file is no row's any more; it is left in place, and said so.
    assert "1 files in MEDIA_ROOT are not in the archive" in forced.stderr
    after = site.files()
    assert len(after) == 4
    assert {rel: after[rel] for rel in made["state"]["files"]} == made["state"]["files"]


def _flip_byte_of(archive: Path, member: str, target: Path) -> Path:
    with tarfile.open(archive) as tar:
        info = tar.getmember(member)
    data = bytearray(archive.read_bytes())
    data[info.offset_data + info.size // 2] ^= 0x01
    target.write_bytes(data)
    return target


@pytest.mark.parametrize("member", ["database.sqlite3", "document"])
def test_a_changed_byte_is_refused_before_anything_is_written(made, tmp_path, member):
    if member == "document":
        member = "documents/" + sorted(made["state"]["files"])[0]
    tampered = _flip_byte_of(made["plain"], member, tmp_path / "tampered.tar")
    site = _empty_site(tmp_path)

    result = site.restore(tampered)

    assert result.returncode != 0
    assert f"{member}: its SHA-256 is not the manifest's" in result.stderr
    assert "nothing was changed" in result.stderr
    _assert_nothing_written(site)


def test_an_encrypted_archive_holds_no_plaintext_and_restores_with_its_key(made, tmp_path):
    assert PLANTED.encode() in made["plain"].read_bytes()  # the check below can fail
    assert PLANTED.encode() not in made["encrypted"].read_bytes()
    assert made["encrypted"].read_bytes().startswith(b"CTBACKUP")
    assert made["encrypted"].name.endswith(".tar.enc")
    site = _empty_site(tmp_path)

    result = site.restore(made["encrypted"], BACKUP_KEY=made["key"])

    assert result.returncode == 0, result.stderr
    _assert_restored(site, made["state"], made["loaded"])


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (None, "The archive is encrypted (key id"),
        ("other", "BACKUP_KEY is not the key this archive was encrypted with"),
        ("not base64 at all", "BACKUP_KEY must be the base64 of 32 random bytes"),
    ],
)
def test_an_encrypted_archive_is_refused_without_its_key(made, tmp_path, key, message):
    site = _empty_site(tmp_path)
    env = {} if key is None else {"BACKUP_KEY": key_new() if key == "other" else key}

    result = site.restore(made["encrypted"], **env)

    assert result.returncode != 0
    assert message in result.stderr
    _assert_nothing_written(site)


def _cut(data: bytes, how: str) -> bytes:
    sealed = CHUNK_SIZE + TAG_SIZE
    chunk = [data[HEADER_SIZE + i * sealed : HEADER_SIZE + (i + 1) * sealed] for i in range(3)]
    if how == "mid-chunk":
        return data[: HEADER_SIZE + sealed + 1000]
    if how == "at a chunk boundary":
        return data[: HEADER_SIZE + 2 * sealed]
    if how == "chunks swapped":
        return data[:HEADER_SIZE] + chunk[1] + chunk[0] + data[HEADER_SIZE + 2 * sealed :]
    if how == "a byte changed":
        changed = bytearray(data)
        changed[HEADER_SIZE + sealed + 5] ^= 0x80
        return bytes(changed)
    if how == "header changed":
        changed = bytearray(data)
        changed[HEADER_SIZE - 1] ^= 0x01  # the nonce prefix
        return bytes(changed)
    assert how == "bytes appended"
    return data + b"\0" * 100


@pytest.mark.parametrize(
    "how",
    [
        "mid-chunk",
        "at a chunk boundary",
        "chunks swapped",
        "a byte changed",
        "header changed",
        "bytes appended",
    ],
)
def test_a_truncated_or_changed_encrypted_archive_is_refused(made, tmp_path, how):
    data = made["encrypted"].read_bytes()
    assert len(data) > HEADER_SIZE + 3 * (CHUNK_SIZE + TAG_SIZE)
    damaged = tmp_path / "damaged.tar.enc"
    damaged.write_bytes(_cut(data, how))
    site = _empty_site(tmp_path)

    result = site.restore(damaged, BACKUP_KEY=made["key"])

    assert result.returncode != 0
    assert re.search(r"does not authenticate|truncated|damaged", result.stderr), result.stderr
    _assert_nothing_written(site)


def test_a_file_that_is_not_an_archive_is_refused(tmp_path):
    not_archive = tmp_path / "notes.txt"
    not_archive.write_text("not a backup\n" * 100)
    site = _empty_site(tmp_path)

    result = site.restore(not_archive)

    assert result.returncode != 0
    assert "is not a complete Casetracker backup" in result.stderr
    _assert_nothing_written(site)


def test_new_key_prints_a_usable_key(tmp_path):
    result = _sqlite_site(tmp_path).manage("backup", "--new-key")
    key = result.stdout.strip()
    assert len(key) == 44 and key.endswith("=")
    assert "BACKUP_KEY" in result.stderr


def test_beat_sends_a_backup_only_when_asked(tmp_path):
    site = _sqlite_site(tmp_path)
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.CELERY_BEAT_SCHEDULE.get('backup')))"
    )
    assert site.script(code) is None
    scheduled = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        cwd=ROOT,
        env={**site.env, "BACKUP_EVERY_HOURS": "6"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    entry = json.loads(scheduled.stdout.strip().splitlines()[-1])
    assert entry["task"] == "casetracker.tasks.backup_run_scheduled_task"
    assert entry["schedule"] == 6 * 3600


# --- the Celery task and BackupRun -------------------------------------------------------------


@pytest.fixture
def operator(db):
    return f.UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def backup_settings(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.BACKUP_DIR = str(tmp_path / "backups")
    settings.BACKUP_KEY = ""
    return settings


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# pg_dump is another process: it sees only committed rows.
@pytest.mark.django_db(transaction=True)
def test_the_task_runs_a_queued_backup_to_done_with_a_real_archive(
    world, operator, backup_settings
):
    document = document_upload(
        acting_user=world.caseworker,
        case=world.case,
        file=SimpleUploadedFile("decision.txt", b"Refused.\n" * 100, content_type="text/plain"),
        title="Decision",
    )
    # Made as backup_run_queue makes it, without sending the task to this process's broker
    # (outside a test transaction its on_commit would send it at once).
    run = BackupRun.objects.create(started_by=operator)
    assert (run.state, run.step, run.percent) == (BackupState.QUEUED, BackupStep.WAITING, 0)

    assert backup_run_perform_task(str(run.pk)) is True

    run.refresh_from_db()
    archive = Path(run.archive)
    assert (run.state, run.step, run.percent, run.error) == (
        BackupState.DONE,
        BackupStep.FINISHED,
        100,
        "",
    )
    assert run.started_by == operator and run.started_at <= run.finished_at
    assert archive.parent == Path(backup_settings.BACKUP_DIR)
    assert (run.size, run.sha256) == (archive.stat().st_size, _sha256(archive))
    manifest = backup_verify(archive=archive)
    assert [entry["path"] for entry in manifest["files"]] == [document.file.name]
    assert manifest["tables"]["casetracker_backuprun"] == 1
    # Safe to run twice: a finished run is left alone.
    assert backup_run_perform_task(str(run.pk)) is False
    assert BackupRun.objects.get().archive == run.archive


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_task_makes_an_encrypted_backup_of_its_own(backup_settings):
    backup_settings.BACKUP_KEY = key_new()

    assert backup_run_scheduled_task() is True

    run = BackupRun.objects.get()
    assert (run.state, run.started_by, len(run.key_id)) == (BackupState.DONE, None, 16)
    assert Path(run.archive).read_bytes().startswith(b"CTBACKUP")


def test_a_failing_backup_says_why_on_its_run(operator, backup_settings):
    backup_settings.BACKUP_KEY = "too short"
    run = backup_run_queue(acting_user=operator)

    assert backup_run_perform_task(str(run.pk)) is False

    run.refresh_from_db()
    assert run.state == BackupState.FAILED
    assert "BACKUP_KEY must be the base64 of 32 random bytes" in run.error
    assert not list(Path(backup_settings.BACKUP_DIR).glob("*.tar*"))


def test_one_backup_at_a_time_and_a_silent_one_is_marked_failed(operator, backup_settings):
    first = backup_run_queue(acting_user=operator)
    with pytest.raises(ValidationError, match="already queued or running"):
        backup_run_queue(acting_user=operator)
    BackupRun.objects.filter(pk=first.pk).update(
        state=BackupState.RUNNING, updated_at=first.created_at.replace(year=2000)
    )

    second = backup_run_queue(acting_user=operator)

    first.refresh_from_db()
    assert first.state == BackupState.FAILED and "No progress for 15 minutes" in first.error
    assert second.state == BackupState.QUEUED


def test_only_a_platform_operator_may_queue_a_backup(world):
    with pytest.raises(PermissionDenied, match="Only platform operators"):
        backup_run_queue(acting_user=world.admin)
    assert not BackupRun.objects.exists()


@pytest.mark.parametrize("broker", broker_kinds())
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_backup_the_page_queues(tmp_path, broker, operator):
    """The Celery worker is another process: it reaches the test database through
    DATABASE_URL, which SQLite's in-memory test database cannot be (see
    tests/cases/test_celery_worker.py)."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "A Celery worker is another process and cannot reach SQLite's in-memory test "
            "database: set DATABASE_URL to PostgreSQL (CI does)."
        )
    env = {
        "DATABASE_URL": database_url(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        **broker_env(broker, tmp_path / "broker"),
    }
    try:
        with CommandProcess(
            [
                str(BIN / "celery"),
                "-A",
                "casetracker",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--hostname=backup-worker@%h",
                "--without-mingle",
                "--without-gossip",
            ],
            env,
            tmp_path / "worker.log",
        ) as worker:
            worker.wait_for(r"backup-worker@\S+ ready\.")
            # Queued as the page does, from another process with the worker's broker.
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import django; django.setup(); "
                    "from django.contrib.auth import get_user_model; "
                    "from casetracker.backup.runs import backup_run_queue; "
                    "backup_run_queue(acting_user=get_user_model().objects.get(username='root'))",
                ],
                cwd=ROOT,
                env={
                    "PATH": os.environ["PATH"],
                    "DJANGO_SETTINGS_MODULE": "casetracker.settings",
                    **env,
                },
                check=True,
                timeout=60,
            )
            run = BackupRun.objects.get()
            end = time.monotonic() + 120
            while run.state in (BackupState.QUEUED, BackupState.RUNNING):
                assert time.monotonic() < end, f"not done in 120 s:\n{worker.output()}"
                time.sleep(0.2)
                run.refresh_from_db()
            worker.wait_for(r"Task casetracker\.tasks\.backup_run_perform_task\[\S+\] succeeded")
    finally:
        redis_queue_delete(env)
    assert (run.state, run.percent, run.error) == (BackupState.DONE, 100, "")
    assert Path(run.archive).parent == tmp_path / "backups"
    assert run.sha256 == _sha256(Path(run.archive))


# --- the page --------------------------------------------------------------------------------


def _superuser():
    return f.UserFactory(username="root", is_superuser=True, is_staff=True)


def _done_run(started_by, **fields) -> BackupRun:
    return BackupRun.objects.create(
        started_by=started_by,
        state=BackupState.DONE,
        step=BackupStep.FINISHED,
        percent=100,
        archive=f"/srv/backups/casetracker-backup-{uuid.uuid4().hex[:6]}.tar.enc",
        size=123_456,
        sha256="ab" * 32,
        key_id="0123456789abcdef",
        **fields,
    )


class TestBackupsPage(PageMatrix):
    """Platform operators only: an organisation's admin is refused like everyone else."""

    url_name = "backups"
    status = OPERATORS_ONLY
    # Session, user, the runs (their starters joined), the header's unread count.
    query_budget = 4

    def budget_viewer(self, world):
        return _superuser()

    def add_row(self, world):
        _done_run(_superuser())


class TestBackupRunsFragment(TestBackupsPage):
    """The table the page polls: the same access and budget as the page."""

    url_name = "backup_runs"


class TestBackupStart(ActionMatrix):
    url_name = "backup_start"

    def url(self, world):
        return reverse("backup_start")

    @pytest.mark.parametrize("who", USERS)
    def test_post(self, world, who):
        """Refused (403) to everyone of the test world, whether or not they see a case."""
        with nothing_written():
            response = client_for(getattr(world, who)).post(self.url(world))
        assert response.status_code == 403, who
        assert not BackupRun.objects.exists()


def test_an_operator_queues_a_backup_and_watches_it(world, django_capture_on_commit_callbacks):
    client = client_for(_superuser())

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("backup_start"))

    assert response.status_code == 302 and response["Location"] == reverse("backups")
    assert len(callbacks) == 1
    run = BackupRun.objects.get()
    assert run.state == BackupState.QUEUED
    page = client.get(reverse("backups")).content.decode()
    assert "Backup queued" in page
    # While a run is under way the table asks for itself again; the fragment does too.
    assert f'hx-get="{reverse("backup_runs")}" hx-trigger="every 2s"' in page
    fragment = client.get(reverse("backup_runs"), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    again = client.post(reverse("backup_start"), follow=True)
    assert "already queued or running" in again.content.decode()
    assert BackupRun.objects.count() == 1


def test_the_page_shows_where_an_archive_is_and_never_serves_it(world):
    root = _superuser()
    run = _done_run(root)

    page = client_for(root).get(reverse("backups")).content.decode()

    assert run.archive in page and "120.6" in page  # 123,456 bytes
    assert "hx-trigger" not in page  # nothing under way: no polling
    links = re.findall(r'(?:href|action|hx-get)="([^"]*)"', page)
    assert not [link for link in links if "casetracker-backup" in link or "/srv/" in link]
    assert "BACKUP_KEY is not set" in page


def test_the_header_links_operators_to_backups(world):
    link = f'href="{reverse("backups")}"'
    assert link in client_for(_superuser()).get(reverse("workspace:dashboard")).content.decode()
    assert link not in client_for(world.admin).get(reverse("workspace:dashboard")).content.decode()


def test_backups_are_written_outside_the_web_root():
    assert not Path(str(settings.BACKUP_DIR)).is_relative_to(Path(str(settings.STATIC_ROOT)))
