"""The production entry points: settings refuse to start unsafe, and gunicorn serves the app
with the same command docker-compose.yml runs."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _django_setup(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "casetracker.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_real_settings():
    result = _django_setup({"DEBUG": "False"})
    assert result.returncode != 0
    assert "SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL" in result.stderr


def test_production_starts_with_real_settings():
    result = _django_setup(
        {
            "DEBUG": "False",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "casetracker.example.org",
            "DATABASE_URL": "sqlite:////tmp/casetracker-deploy-check.sqlite3",
        }
    )
    assert result.returncode == 0, result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp_path: Path) -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
        return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"
    return f"sqlite:///{tmp_path / 'deploy.sqlite3'}"


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
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": _database_url(tmp_path),
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
