"""Celery tasks: thin, by id, safe to run twice (STYLE.md). The database is the source of
truth; a lost message is found again by the next sweep."""

from celery import shared_task

from cases.deadlines.sweep import deadlines_sweep
from cases.services.alerts import ALERT_NOTIFY_TASK, alert_notify
from cases.services.retention import retention_review


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deadlines_sweep_task() -> int:
    """Raise every alert that has come due (run by beat every DEADLINE_SWEEP_SECONDS).

    ``acks_late`` with ``reject_on_worker_lost``: a worker killed mid-sweep leaves the message
    to be redelivered, and the ledger's unique constraints make the rerun harmless.
    """
    return deadlines_sweep()


@shared_task(
    name=ALERT_NOTIFY_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def alert_notify_task(alert_id: str) -> bool:
    """Email one alert; does nothing if it was already sent."""
    return alert_notify(alert_id=alert_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def retention_review_task() -> int:
    """Alert the admins of every closed case past its retention period (beat, daily); the
    ledger raises each case's alert once, so a rerun is harmless."""
    return retention_review()
