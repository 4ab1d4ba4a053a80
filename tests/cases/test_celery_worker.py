"""A real Celery worker process runs the sweep and the notification (DESIGN §9: no mock of the
broker). The worker is another process: it reaches the test database through DATABASE_URL,
so the rows must be committed (``transaction=True``) and the database must be PostgreSQL.

Both brokers are tested: Redis (production, CI) and the serverless filesystem broker of
``make run``.
"""

import datetime
import email
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from cases.choices import AlertKind, AlertLevel
from cases.models import Alert
from cases.services.deadlines import deadline_create
from organisations.choices import Role
from tests import factories as f
from tests.casetracker.test_deploy import (
    BIN,
    ROOT,
    CommandProcess,
    broker_env,
    database_url,
    redis_queue_delete,
)

pytestmark = pytest.mark.django_db(transaction=True)

REQUIRED = bool(os.environ.get("CASETRACKER_REQUIRE_SERVICES"))


def _require(condition: bool, reason: str, *, fail: bool) -> None:
    """Skip with the reason on a local run without the services; fail in CI (or wherever the
    services were half configured), where this test must run."""
    if condition:
        return
    if fail:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(params=["redis", "filesystem"])
def worker_env(request, tmp_path) -> dict[str, str]:
    _require(
        connection.vendor == "postgresql",
        "A Celery worker is another process and cannot reach SQLite's in-memory test "
        "database: set DATABASE_URL to PostgreSQL (CI does).",
        fail=REQUIRED or bool(settings.REDIS_URL),
    )
    if request.param == "redis":
        _require(
            bool(settings.REDIS_URL),
            "The Redis broker test needs REDIS_URL, e.g. redis://127.0.0.1:6379/14 (CI sets it).",
            fail=REQUIRED,
        )
    (tmp_path / "mail").mkdir()
    env = {
        "DATABASE_URL": database_url(tmp_path),
        # Four slashes: django-environ drops the first of the path, and this one is absolute.
        "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",
        "DEFAULT_FROM_EMAIL": "alerts@casetracker.test",
        **broker_env(request.param, tmp_path / "broker"),
    }
    yield env
    redis_queue_delete(env)


def _send_sweep(env: dict[str, str]) -> None:
    """Enqueue the sweep as the web process does: another Django process, configured only by
    its environment."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from cases.tasks import deadlines_sweep_task; deadlines_sweep_task.delay()",
        ],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "casetracker.settings", **env},
        check=True,
        timeout=60,
    )


def _wait_until_notified(deadline, timeout: float = 60) -> Alert | None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        alert = Alert.objects.filter(deadline=deadline, notified_at__isnull=False).first()
        if alert is not None:
            return alert
        time.sleep(0.2)
    return None


def _emails(folder: Path) -> list[email.message.Message]:
    """The messages Django's file backend wrote, one file per connection, each message
    followed by a line of 79 dashes."""
    messages = []
    for path in sorted(folder.iterdir()):
        for raw in path.read_text().split("-" * 79):
            if raw.strip():
                messages.append(email.message_from_string(raw.strip()))
    return messages


def test_worker_sweeps_raises_the_alert_and_notifies_without_naming_the_person(
    worker_env, tmp_path
):
    lead = f.UserFactory(username="lead", email="lead@example.org")
    case = f.CaseFactory(reference="ALA-2010-001", lead=lead)
    f.MembershipFactory(user=lead, organisation=case.organisation, role=Role.CASEWORKER)
    person = f.PersonFactory(
        organisation=case.organisation, family_name="Abdusamatov", given_name="Ilkhom"
    )
    deadline = deadline_create(
        acting_user=lead,
        case=case,
        person=person,
        title="Comments on the State's reply",
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    assert deadline.next_alert_at <= timezone.now()
    assert not Alert.objects.exists()

    with CommandProcess(
        [
            str(BIN / "celery"),
            "-A",
            "casetracker",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--hostname=test-worker@%h",
            "--without-mingle",
            "--without-gossip",
        ],
        worker_env,
        tmp_path / "worker.log",
    ) as worker:
        worker.wait_for(r"test-worker@\S+ ready\.")
        _send_sweep(worker_env)
        alert = _wait_until_notified(deadline)
        assert alert is not None, f"no notified alert within 60 s; worker log:\n{worker.output()}"
        worker.wait_for(r"Task cases\.tasks\.deadlines_sweep_task\[\S+\] succeeded in \S+: 1")
        worker.wait_for(r"Task cases\.tasks\.alert_notify_task\[\S+\] succeeded in \S+: True")

    assert list(Alert.objects.values_list("kind", "offset_days", "level")) == [
        (AlertKind.OVERDUE, 0, AlertLevel.CRITICAL)
    ]
    [message] = _emails(tmp_path / "mail")
    assert message["To"] == "lead@example.org"
    assert message["From"] == "alerts@casetracker.test"
    assert "ALA-2010-001" in message["Subject"]
    assert "OVERDUE" in message["Subject"]
    raw = "".join(p.read_text() for p in (tmp_path / "mail").iterdir())
    for name in ("Abdusamatov", "Ilkhom"):
        assert name not in raw, f"the email names the person ({name})"
