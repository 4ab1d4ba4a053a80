"""Celery tasks of the project package: backups (issue #11). Thin, by id, safe to run twice
(STYLE.md)."""

from celery import shared_task

from casetracker.backup.runs import BACKUP_RUN_TASK, backup_run_perform, backup_run_scheduled


@shared_task(name=BACKUP_RUN_TASK, ignore_result=True)
def backup_run_perform_task(run_id: str) -> bool:
    """Run one queued backup. Acknowledged on receipt, not after: a backup cut short by a
    killed worker is not started again behind the operator's back; its run falls silent, is
    shown as stalled, and is marked failed when the next backup is queued."""
    return backup_run_perform(run_id=run_id)


@shared_task(ignore_result=True)
def backup_run_scheduled_task() -> bool:
    """Beat's backup, every BACKUP_EVERY_HOURS (not sent when it is 0)."""
    return backup_run_scheduled()
