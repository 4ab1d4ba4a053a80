"""Retention of closed cases (issue #11 item 2): a daily review alerts the organisation's
admins once for each closed case past its retention period, and deletes nothing."""

import datetime

from django.core import mail

from cases.models import Alert, Case
from cases.services.retention import retention_review
from cases.tasks import retention_review_task
from organisations.services import organisation_update
from tests import factories as f

TODAY = datetime.date(2026, 12, 4)


def _closed(world, years_ago: int, **kwargs):
    closed_on = TODAY.replace(year=TODAY.year - years_ago)
    return f.CaseFactory(
        organisation=kwargs.pop("organisation", world.org),
        status="closed",
        opened_on=closed_on.replace(year=closed_on.year - 1),
        closed_on=closed_on,
        **kwargs,
    )


def test_a_case_past_the_period_is_alerted_once_and_kept(
    world, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    organisation_update(acting_user=world.admin, organisation=world.org, retention_years=5)
    world.admin.email = "admin@example.org"
    world.admin.save()
    old = _closed(world, 6, reference="ALA-2019-001")
    exactly = _closed(world, 5, reference="ALA-2020-001")
    _closed(world, 4, reference="ALA-2021-001")  # within the period
    _closed(world, 9, organisation=world.other_org)  # no retention period set

    with django_capture_on_commit_callbacks(execute=True):
        assert retention_review(today=TODAY) == 2
    alerts = Alert.objects.filter(kind="retention_due")
    assert {a.case_id for a in alerts} == {old.pk, exactly.pk}
    assert "ALA-2019-001" in alerts.get(case=old).message
    assert "5 years" in alerts.get(case=old).message
    assert any("admin@example.org" in m.to for m in mail.outbox)
    assert retention_review(today=TODAY) == 0  # once per case
    assert Case.objects.filter(pk=old.pk).exists()  # nothing deleted


def test_the_daily_task_runs_the_review(world):
    organisation_update(acting_user=world.admin, organisation=world.org, retention_years=1)
    _closed(world, 3)
    assert retention_review_task.apply().get() == 1


def test_an_open_case_is_never_alerted(world):
    organisation_update(acting_user=world.admin, organisation=world.org, retention_years=1)
    assert world.case.status == "open"
    assert retention_review_task.apply().get() == 0
