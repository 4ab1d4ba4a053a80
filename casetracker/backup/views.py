"""The backups page (issue #11), for platform operators only (superusers; everyone else, an
organisation's admins too, gets 403): the runs with their state and progress, and "Back up
now", which queues the Celery task.

An archive holds everything, so the page never serves one: it shows where on the server the
archive is and how large. Copy it off the server with the tools of the server.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from casetracker.backup.archive import BackupError, backup_dir, backup_key_id
from casetracker.backup.runs import backup_run_queue
from casetracker.models import BackupRun
from casetracker.pages import private

RUNS_SHOWN = 50
POLL_SECONDS = 2


def _require_operator(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied(_("Only platform operators may see and start backups."))


def _context() -> dict:
    runs = list(BackupRun.objects.select_related("started_by")[:RUNS_SHOWN])
    try:
        key_id, key_error = backup_key_id(), ""
    except BackupError as exc:
        key_id, key_error = None, str(exc)
    return {
        "runs": runs,
        # The page asks for the table again while a run is under way, and stops once none is.
        "polling": any(run.is_active and not run.is_stalled for run in runs),
        "poll_seconds": POLL_SECONDS,
        "backup_dir": backup_dir(),
        "key_id": key_id,
        "key_error": key_error,
        "every_hours": settings.BACKUP_EVERY_HOURS,
    }


@login_required
@require_safe
def backups(request: HttpRequest) -> HttpResponse:
    _require_operator(request)
    return private(render(request, "casetracker/backups.html", _context()))


@login_required
@require_safe
def backup_runs(request: HttpRequest) -> HttpResponse:
    """The table of runs alone, which the page polls with htmx while a run is under way."""
    _require_operator(request)
    return private(render(request, "casetracker/_backup_runs.html", _context()))


@login_required
@require_POST
def backup_start(request: HttpRequest) -> HttpResponse:
    _require_operator(request)
    try:
        backup_run_queue(acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Backup queued: a worker will run it; its progress shows below.")
        )
    return redirect("backups")
