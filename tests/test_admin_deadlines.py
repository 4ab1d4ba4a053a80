"""The deadline admin: rules changed only by operators, overrides with a reason, alerts
acknowledged, all through the services."""

import datetime

import pytest

from cases.choices import DeadlineStatus
from cases.models import Alert, CaseEvent, Deadline, DeadlineRule
from cases.services.deadlines import deadline_create
from tests.test_admin import form_data, login, url


@pytest.fixture
def manual(world):
    return deadline_create(
        acting_user=world.caseworker,
        case=world.case,
        title="Hearing at the city court",
        due_on=datetime.date(2030, 3, 1),
    )


def test_a_caseworker_reads_rules_but_cannot_change_them(client, world):
    rule = DeadlineRule.objects.get(code="cat.follow_up")
    login(client, world.caseworker)
    assert client.get(url(DeadlineRule)).status_code == 200
    page = client.get(url(rule, "change"))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    client.post(url(rule, "change"), {**form_data(page), "period": 30})
    rule.refresh_from_db()
    assert (rule.period, rule.rule_version) == (90, 1)


def test_an_operator_changes_a_rule_and_its_version_goes_up(client, django_user_model, world):
    operator = django_user_model.objects.create_superuser("operator", "op@example.org", "x")
    rule = DeadlineRule.objects.get(code="cat.follow_up")
    login(client, operator)
    page = client.get(url(rule, "change"))
    response = client.post(url(rule, "change"), {**form_data(page), "period": 91})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.period, rule.rule_version) == (91, 2)


def test_override_on_the_change_page_needs_a_reason_and_lands_on_the_timeline(
    client, world, manual
):
    login(client, world.caseworker)
    page = client.get(url(manual, "change"))
    refused = client.post(
        url(manual, "change"),
        {**form_data(page), "override_due_on": "2030-03-15", "override_reason": ""},
    )
    assert refused.status_code == 200
    assert "Say why the computed date is overridden." in refused.content.decode()
    manual.refresh_from_db()
    assert manual.due_date == datetime.date(2030, 3, 1)

    response = client.post(
        url(manual, "change"),
        {
            **form_data(page),
            "override_due_on": "2030-03-15",
            "override_reason": "The court moved the hearing.",
        },
    )
    assert response.status_code == 302
    manual.refresh_from_db()
    assert manual.due_date == datetime.date(2030, 3, 15)
    assert CaseEvent.objects.filter(kind="deadline.overridden", actor=world.caseworker).exists()


def test_mark_met_action(client, world, manual):
    login(client, world.caseworker)
    client.post(url(Deadline), {"action": "mark_met_today", "_selected_action": [manual.pk]})
    manual.refresh_from_db()
    assert manual.status == DeadlineStatus.MET


def test_acknowledge_action_and_other_organisations_alerts(client, world):
    from cases.services.alerts import alert_raise

    mine = alert_raise(case=world.case, kind="high_risk", level="critical", message="Mine.")
    theirs = alert_raise(
        case=world.other_case, kind="high_risk", level="critical", message="Theirs."
    )
    login(client, world.caseworker)
    listing = client.get(url(Alert)).content.decode()
    assert "Mine." in listing and "Theirs." not in listing
    client.post(url(Alert), {"action": "acknowledge", "_selected_action": [mine.pk, theirs.pk]})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.acknowledged_by == world.caseworker
    assert theirs.acknowledged_at is None
