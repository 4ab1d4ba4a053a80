"""The production entry points: settings refuse to start unsafe, and gunicorn, the Celery
worker and Celery beat run with the very commands docker-compose.yml gives them.

``CommandProcess``, ``database_url`` and ``broker_env`` are shared with the real-worker tests
in tests/cases/test_celery_worker.py.
"""

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import kombu
import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _django_setup(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "casetracker.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


# An encryption key for the production-shaped processes (any valid Fernet key will do).
PRODUCTION_KEY = "yEcm5YCzO0PqQp3R2m3GU5mJvpQ9v1V3kq9e1kKm0mY="


def test_production_refuses_to_start_without_real_settings():
    result = _django_setup({"DEBUG": "False"})
    assert result.returncode != 0
    assert "SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, ENCRYPTION_KEYS" in result.stderr


def test_production_starts_with_real_settings():
    result = _django_setup(
        {
            "DEBUG": "False",
            "SECRET_KEY": "x" * 50,
            "ENCRYPTION_KEYS": PRODUCTION_KEY,
            "ALLOWED_HOSTS": "casetracker.example.org",
            "DATABASE_URL": "sqlite:////tmp/casetracker-deploy-check.sqlite3",
        }
    )
    assert result.returncode == 0, result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(tmp_path: Path) -> str:
    """The test database for another process; on SQLite (in memory, unreachable from another
    process) an empty file database in ``tmp_path``."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"
    return f"sqlite:///{tmp_path / 'deploy.sqlite3'}"


def broker_env(kind: str, tmp_path: Path) -> dict[str, str]:
    """Environment for a process on the ``redis`` broker (REDIS_URL) or the serverless
    ``filesystem`` one (in a folder of this test), with a queue of its own so that no other
    worker on the same broker takes the test's messages."""
    env = {"CELERY_TASK_DEFAULT_QUEUE": f"test-{uuid.uuid4().hex}"}
    if kind == "redis":
        assert settings.REDIS_URL, "the redis broker needs REDIS_URL"
        return {**env, "CELERY_BROKER_URL": settings.REDIS_URL}
    return {
        **env,
        "CELERY_BROKER_URL": "filesystem://localhost/",
        "CELERY_BROKER_FOLDER": str(tmp_path),
    }


def broker_kinds() -> list[str]:
    """Redis wherever it is configured (always in CI), otherwise the serverless broker."""
    return ["redis"] if settings.REDIS_URL else ["filesystem"]


def redis_queue_delete(env: dict[str, str]) -> None:
    """Remove a test's queue (and its binding) from Redis: nothing is left behind."""
    if not env["CELERY_BROKER_URL"].startswith("redis"):
        return
    name = env["CELERY_TASK_DEFAULT_QUEUE"]
    with kombu.Connection(env["CELERY_BROKER_URL"]) as conn:
        queue = kombu.Queue(name, kombu.Exchange(name), routing_key=name)
        queue(conn.default_channel).declare()
        queue(conn.default_channel).delete()


class CommandProcess:
    """A long-running command in its own process group, its output in a log file.

    ``wait_for`` waits for a log line; ``stop`` sends SIGTERM, as docker and systemd do, and
    checks the command exits cleanly and leaves no process of its group behind.
    """

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env={"PATH": os.environ["PATH"], **env},
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if match := re.search(pattern, self.output()):
                return match
            if self.process.poll() is not None:
                pytest.fail(f"{self.process.args} exited early:\n{self.output()}")
            time.sleep(0.1)
        pytest.fail(f"no {pattern!r} within {timeout} s in the output:\n{self.output()}")

    def stop(self, timeout: float = 30) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            returncode = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            pytest.fail(f"did not stop within {timeout} s of SIGTERM:\n{self.output()}")
        finally:
            self._log_file.close()
        assert returncode == 0, f"exit status {returncode}:\n{self.output()}"
        for _ in range(50):  # the pool's children exit just after their parent
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        pytest.fail(f"processes of {self.process.args} outlived it")

    def __enter__(self) -> "CommandProcess":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self.stop()
        elif self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self._log_file.close()


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_health_check(tmp_path):
    """docker-compose.yml's web command, against this machine's database."""
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "casetracker.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DEBUG": "False",
            "SECRET_KEY": "y" * 50,
            "ENCRYPTION_KEYS": PRODUCTION_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url(tmp_path),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert body == '{"status": "ok", "database": "ok"}'
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- The Celery worker and beat of docker-compose.yml -----------------------------------------


def compose_command(service: str) -> list[str]:
    """The one-line ``command:`` of a docker-compose.yml service, read without a YAML parser
    (our compose file writes the worker's and beat's commands on one line)."""
    compose = (ROOT / "docker-compose.yml").read_text()
    match = re.search(rf"^  {service}:\n(?:    .*\n)*?    command: (.+)$", compose, re.MULTILINE)
    assert match, f"docker-compose.yml has no one-line command for the {service} service"
    return shlex.split(match.group(1))


def _production_env(tmp_path: Path, broker: str) -> dict[str, str]:
    """What docker-compose.yml's x-app gives every service, pointed at this machine."""
    env = {
        "DEBUG": "False",
        "SECRET_KEY": "z" * 50,
        "ENCRYPTION_KEYS": PRODUCTION_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(tmp_path),
        # Beat sends the sweep every 2 s instead of every 5 minutes, so the test sees one.
        "DEADLINE_SWEEP_SECONDS": "2",
        **broker_env(broker, tmp_path),
    }
    if connection.vendor == "sqlite":  # the worker needs the tables the sweep reads
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env={"PATH": os.environ["PATH"], **env},
            check=True,
            timeout=120,
        )
    return env


def test_serverless_broker_keeps_every_folder_in_its_own_absolute_folder(tmp_path):
    """kombu's filesystem transport resolves a relative folder against the working directory
    and creates none: every process must find the same, existing folders wherever it starts
    (a "control" folder once appeared in the checkout)."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, django; django.setup(); from django.conf import settings; "
            "print(json.dumps(settings.CELERY_BROKER_TRANSPORT_OPTIONS))",
        ],
        cwd=tmp_path,
        env={
            "PATH": os.environ["PATH"],
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "casetracker.settings",
            "CELERY_BROKER_FOLDER": str(tmp_path / "broker"),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    options = json.loads(result.stdout.splitlines()[-1])
    for name in ("data_folder_in", "data_folder_out", "control_folder"):
        folder = Path(options[name])
        assert folder.is_absolute() and folder.is_dir(), (name, folder)
        assert folder.parent == tmp_path / "broker"
    assert options["data_folder_in"] == options["data_folder_out"]
    assert options["polling_interval"] <= 0.5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broker"]


def test_compose_runs_the_worker_and_beat_commands_tested_here():
    assert compose_command("worker") == ["celery", "-A", "casetracker", "worker", "--loglevel=INFO"]
    assert compose_command("beat")[:5] == ["celery", "-A", "casetracker", "beat", "--loglevel=INFO"]
    assert compose_command("beat")[5] == "--schedule"


@pytest.mark.parametrize("broker", broker_kinds())
@pytest.mark.django_db(transaction=True)
def test_compose_worker_and_beat_run_the_sweep_and_stop_cleanly(tmp_path, broker):
    """docker-compose.yml's worker and beat commands, against this machine's database and
    broker: the worker gets ready, beat starts and sends the sweep, the worker runs it, and
    both stop on SIGTERM with exit status 0 and no stray process."""
    env = _production_env(tmp_path, broker)
    worker_args = compose_command("worker")
    beat_args = compose_command("beat")
    beat_args[beat_args.index("--schedule") + 1] = str(tmp_path / "celerybeat-schedule")
    try:
        with CommandProcess(
            [str(BIN / "celery"), *worker_args[1:]], env, tmp_path / "worker.log"
        ) as worker:
            worker.wait_for(r"celery@\S+ ready\.")
            with CommandProcess(
                [str(BIN / "celery"), *beat_args[1:]], env, tmp_path / "beat.log"
            ) as beat:
                beat.wait_for(r"beat: Starting\.\.\.")
                beat.wait_for(r"Sending due task deadlines-sweep")
                worker.wait_for(r"Task cases\.tasks\.deadlines_sweep_task\[\S+\] succeeded")
    finally:
        redis_queue_delete(env)
