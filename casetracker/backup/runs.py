"""The services of ``BackupRun`` (issue #11): queue a backup from the ``/backups/`` page or from
beat, and run one in a Celery worker, writing its progress on the run as it goes.

The run is itself the record of who took a copy of everything, and when: runs are never
deleted by the app.
"""

import logging
import time

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casetracker.backup.archive import BackupError, backup_create
from casetracker.models import BackupRun, BackupState, BackupStep

logger = logging.getLogger(__name__)

# Named rather than imported: the tasks run these services (no import circle, issue #9).
BACKUP_RUN_TASK = "casetracker.tasks.backup_run_perform_task"
# A running backup writes its progress at most every second, and at least this often (its
# heartbeat: a run silent for BACKUP_STALE_MINUTES is taken for dead).
HEARTBEAT_SECONDS = 30


def backup_run_queue(*, acting_user) -> BackupRun:
    """Queue a backup now (a platform operator only); a worker runs it once this commits."""
    if not acting_user.is_superuser:
        raise PermissionDenied(_("Only platform operators may start a backup."))
    _stalled_fail()
    with transaction.atomic():
        if BackupRun.objects.active().exists():
            raise ValidationError(
                _("A backup is already queued or running: wait until it has finished.")
            )
        run = BackupRun(started_by=acting_user)
        run.full_clean()
        run.save(force_insert=True)
        transaction.on_commit(lambda: backup_run_enqueue(run.pk))
    logger.info("Backup %s queued by %s", run.pk, acting_user.get_username())
    return run


def _stalled_fail() -> None:
    """Mark failed the runs that fell silent (a worker stopped while it ran them)."""
    now = timezone.now()
    BackupRun.objects.stalled().update(
        state=BackupState.FAILED,
        error=_(
            "No progress for %(minutes)s minutes: the worker stopped before it finished. No "
            "archive was completed."
        )
        % {"minutes": settings.BACKUP_STALE_MINUTES},
        finished_at=now,
        updated_at=now,
    )


def backup_run_enqueue(run_id) -> None:
    try:
        current_app.signature(BACKUP_RUN_TASK, args=[str(run_id)]).delay()
    except Exception as exc:
        # The broker is down: say so on the page rather than leave the run queued forever.
        logger.warning("Backup %s could not be queued: %s", run_id, exc)
        BackupRun.objects.filter(pk=run_id, state=BackupState.QUEUED).update(
            state=BackupState.FAILED,
            error=_("The task queue could not be reached (%(error)s): no backup was made.")
            % {"error": exc},
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )


class _ProgressWriter:
    """Writes a run's step and percentage: on every change of step, on a change of percentage
    at most once a second, and at least every HEARTBEAT_SECONDS."""

    def __init__(self, run_id) -> None:
        self.run_id = run_id
        self.step, self.percent, self.written = None, -1, 0.0

    def __call__(self, step: str, percent: int) -> None:
        elapsed = time.monotonic() - self.written
        if step == self.step and (
            (percent == self.percent and elapsed < HEARTBEAT_SECONDS) or elapsed < 1
        ):
            return
        BackupRun.objects.filter(pk=self.run_id).update(
            step=step, percent=percent, updated_at=timezone.now()
        )
        self.step, self.percent, self.written = step, percent, time.monotonic()


def backup_run_perform(*, run_id) -> bool:
    """Run a queued backup. Safe to run twice: a run already running, done or failed is left
    alone. False when nothing was backed up."""
    now = timezone.now()
    claimed = BackupRun.objects.filter(pk=run_id, state=BackupState.QUEUED).update(
        state=BackupState.RUNNING,
        step=BackupStep.DATABASE,
        percent=0,
        error="",
        started_at=now,
        updated_at=now,
    )
    if not claimed:
        return False
    try:
        result = backup_create(progress=_ProgressWriter(run_id))
    except Exception as exc:
        logger.exception("Backup %s failed", run_id)
        error = str(exc) if isinstance(exc, BackupError) else f"{type(exc).__name__}: {exc}"
        BackupRun.objects.filter(pk=run_id).update(
            state=BackupState.FAILED,
            error=error,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        return False
    BackupRun.objects.filter(pk=run_id).update(
        state=BackupState.DONE,
        step=BackupStep.FINISHED,
        percent=100,
        archive=str(result.path),
        size=result.size,
        sha256=result.sha256,
        key_id=result.key_id or "",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    logger.info("Backup %s written: %s (%s bytes)", run_id, result.path, result.size)
    return True


def backup_run_scheduled() -> bool:
    """Beat's backup (every BACKUP_EVERY_HOURS): a run with no one who started it, performed
    here; skipped while another backup is queued or running."""
    _stalled_fail()
    with transaction.atomic():
        if BackupRun.objects.active().exists():
            logger.info("Scheduled backup skipped: another backup is queued or running")
            return False
        run = BackupRun(started_by=None)
        run.full_clean()
        run.save(force_insert=True)
    return backup_run_perform(run_id=run.pk)
