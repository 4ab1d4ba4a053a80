"""The dashboard (issue 5): what is overdue and due this week, new alerts (breaches first), people
at high risk and the latest activity, each only from the cases the user can see."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.choices import AlertKind, AlertLevel, DeadlineStatus
from cases.models import Alert, CaseEvent
from cases.services.alerts import alert_acknowledge
from rulings.choices import Authority, StatusOutcome
from tests import factories as f
from tests.helpers import party
from tests.pages.matrix import EVERYONE, PageMatrix, client_for

DASHBOARD = reverse("workspace:dashboard")


def due_in(days: float) -> datetime.datetime:
    """A due moment ``days`` from now (negative: past)."""
    return timezone.now() + datetime.timedelta(days=days)


def deadline(case, days: int, **fields):
    """A deadline due at the end of the day ``days`` days from today (negative: past), in UTC,
    the time zone of a deadline entered by hand: whole days, whatever the hour of the test."""
    day = timezone.localdate(timezone=datetime.UTC) + datetime.timedelta(days=days)
    due_at = datetime.datetime.combine(day, datetime.time(23, 59, 59, 999999), datetime.UTC)
    fields.setdefault("title", f"Due in {days} days on {case.reference}")
    return f.ManualDeadlineFactory(case=case, due_at=due_at, **fields)


def high_risk_person(case, *, family_name: str = "Abdusamatov", requesting_state="UZ"):
    """Recognised by UNHCR, rejected by the State, wanted by ``requesting_state``."""
    person = party(case)
    person.family_name = family_name
    person.save(update_fields=["family_name"])
    f.StatusDecisionFactory(
        case=case,
        person=person,
        authority=Authority.UNHCR_MANDATE,
        outcome=StatusOutcome.RECOGNISED,
        decided_on=datetime.date(2009, 11, 1),
    )
    f.StatusDecisionFactory(
        case=case,
        person=person,
        authority=Authority.NATIONAL,
        outcome=StatusOutcome.REJECTED,
        decided_on=datetime.date(2010, 8, 20),
    )
    f.ExtraditionRequestFactory(case=case, person=person, requesting_state=requesting_state)
    return person


def event(case, actor, subject) -> CaseEvent:
    return CaseEvent.objects.record(kind="note.created", actor=actor, subject=subject, case=case)


class TestDashboardPage(PageMatrix):
    url_name = "workspace:dashboard"
    # Everyone signed in has a dashboard; what is on it depends on what they can see.
    status = EVERYONE
    # Session, user, deadlines, new alerts, high-risk people, the requests threatening them,
    # their statuses, the activity, whether the user reads the access log, the header's unread
    # count.
    query_budget = 11

    def add_row(self, world):
        """A row in every list: a deadline (about a person, with someone responsible), an
        alert, a person at high risk, an event."""
        person = high_risk_person(world.case)
        deadline(world.case, 3, person=person, responsible=world.caseworker)
        f.AlertFactory(case=world.case)
        event(world.case, world.caseworker, f.NoteFactory(case=world.case))


def content_of(user) -> str:
    response = client_for(user).get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def test_signing_in_lands_on_the_dashboard(world):
    world.caseworker.save()
    response = Client().post(
        reverse("login"), {"username": "caseworker", "password": "correct horse battery"}
    )
    assert response["Location"] == DASHBOARD


def test_deadlines_overdue_first_then_due_this_week_from_visible_cases_only(world):
    soon = deadline(world.case, 3, title="State's reply to the CAT complaint")
    overdue = deadline(world.case, -2, title="Appeal against the prosecutor's decision")
    seventh = deadline(world.case, 7, title="On the seventh day")
    deadline(world.case, 8, title="Far away")
    deadline(world.case, -1, title="Already met", status=DeadlineStatus.MET, met_on="2030-01-01")
    deadline(world.restricted, 1, title="On the restricted case")
    deadline(world.other_case, 1, title="On another organisation's case")

    response = client_for(world.caseworker).get(DASHBOARD)

    assert [row.deadline for row in response.context["overdue"]] == [overdue]
    # The seventh day counts whole, whatever the hour now.
    assert [row.deadline for row in response.context["due_soon"]] == [soon, seventh]
    content = response.content.decode()
    assert content.index("Appeal against the prosecutor") < content.index("State&#x27;s reply")
    for hidden in ("Far away", "Already met", "On the restricted case", "another organisation"):
        assert hidden not in content, hidden
    # The restricted case's deadline is there for its organisation's admin.
    assert "On the restricted case" in content_of(world.admin)
    # The lawyer sees only the case shared with them.
    lawyer = content_of(world.lawyer)
    assert "State&#x27;s reply" in lawyer
    assert "On the restricted case" not in lawyer


def test_a_deadline_row_says_what_when_who_and_links_to_the_case(world):
    person = party(world.case)
    due = deadline(world.case, 1, person=person, responsible=world.caseworker)
    deadline(world.case, -1, title="Overdue one")

    content = content_of(world.viewer)

    case_page = reverse("workspace:case_detail", args=[world.case.pk])
    assert f'href="{case_page}#deadline-{due.pk}">ALA-2010-001</a>' in content
    assert str(person) in content
    assert due.title in content
    assert f'<time datetime="{due.due_date:%Y-%m-%d}">' in content
    assert "caseworker" in content
    assert "overdue by 1 day<" in content
    assert "in 1 day<" in content


def test_plurals_of_days(world):
    deadline(world.case, -3, title="Three days late")
    deadline(world.case, 5, title="Later this week")
    deadline(world.case, 0, title="Today")

    content = content_of(world.caseworker)

    assert "overdue by 3 days<" in content
    assert "in 5 days<" in content
    assert "due today<" in content


def test_new_alerts_breaches_first_then_by_level_and_only_visible_ones(world):
    info = f.AlertFactory(case=world.case, level=AlertLevel.INFO, message="Just so you know.")
    critical = f.AlertFactory(case=world.case, message="High risk: Abdusamatov.")
    breach = f.AlertFactory(
        case=world.case,
        kind=AlertKind.INTERIM_MEASURE_BREACH,
        message="Surrendered under an interim measure.",
    )
    Alert.objects.filter(pk=breach.pk).update(created_at=due_in(-5))
    f.AlertFactory(case=world.case, message="Seen already.", acknowledged_at=timezone.now())
    f.AlertFactory(case=world.restricted, message="Restricted alert.")
    f.AlertFactory(case=world.other_case, message="Other organisation's alert.")

    response = client_for(world.caseworker).get(DASHBOARD)

    assert response.context["new_alerts"] == [breach, critical, info]
    content = response.content.decode()
    assert "alert-row--breach" in content
    for hidden in ("Seen already.", "Restricted alert.", "Other organisation"):
        assert hidden not in content, hidden


def test_acknowledging_from_the_dashboard_returns_to_it(world):
    alert = f.AlertFactory(case=world.case)
    client = client_for(world.viewer)
    content = client.get(DASHBOARD).content.decode()
    assert f'<input type="hidden" name="next" value="{DASHBOARD}">' in content

    response = client.post(reverse("cases:alert_acknowledge", args=[alert.pk]), {"next": DASHBOARD})

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.viewer
    after = client.get(DASHBOARD).content.decode()
    assert "Alert acknowledged." in after
    assert "No new alerts" in after


def test_acknowledging_from_the_dashboard_with_htmx_swaps_the_row(world):
    alert = f.AlertFactory(case=world.case)

    response = client_for(world.caseworker).post(
        reverse("cases:alert_acknowledge", args=[alert.pk]),
        {"next": DASHBOARD},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<tr id="alert-row-{alert.pk}"')
    assert "<html" not in response.content.decode()


def test_high_risk_people_are_listed_with_why(world):
    person = high_risk_person(world.case)
    safe = party(world.case)  # no decisions: not at risk
    high_risk_person(world.restricted, family_name="Restrictedov")
    high_risk_person(world.other_case, family_name="Otherov")

    viewer = content_of(world.viewer)

    person_page = reverse("workspace:person_detail", args=[person.pk])
    assert f'<a href="{person_page}">{person}</a>' in viewer
    assert str(safe) not in viewer
    assert "UNHCR: recognised as refugee" in viewer
    assert "National authority: rejected" in viewer
    assert "Extradition requested by Uzbekistan: pending" in viewer
    # A viewer sees only people of the cases they see; another organisation's never.
    assert "Restrictedov" not in viewer
    assert "Otherov" not in viewer
    assert "Otherov" not in content_of(world.caseworker)
    assert "Restrictedov" not in content_of(world.lawyer)


def test_recent_activity_of_visible_cases(world):
    note = f.NoteFactory(case=world.case)
    event(world.case, world.caseworker, note)
    event(world.other_case, world.other_caseworker, f.NoteFactory(case=world.other_case))
    event(world.restricted, world.admin, f.NoteFactory(case=world.restricted))

    response = client_for(world.viewer).get(DASHBOARD)

    assert [e.case for e in response.context["activity"]] == [world.case]
    content = response.content.decode()
    assert "Note added" in content
    assert "ALA-2010-001" in content
    assert "BIS-2011-001" not in content
    assert "ALA-2010-002" not in content


def test_activity_shows_the_latest_twenty(world):
    note = f.NoteFactory(case=world.case)
    for _ in range(25):
        event(world.case, world.caseworker, note)

    response = client_for(world.caseworker).get(DASHBOARD)

    assert len(response.context["activity"]) == 20


def test_empty_states_say_what_is_empty(world):
    content = content_of(world.stranger)

    for text in (
        "Nothing is overdue.",
        "No deadline is due within the next 7 days.",
        "No new alerts",
        "No one in the cases you can see is at high risk.",
        "No activity yet in the cases you can see.",
    ):
        assert text in content, text


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_dashboard_renders_in_each_language(world, language):
    high_risk_person(world.case)
    deadline(world.case, 2)
    world.caseworker.save()
    client = Client(headers={"accept-language": language})
    client.force_login(world.caseworker)

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


def test_activity_leaves_out_what_only_echoes_another_change(world):
    """The engine's deadlines follow the record that triggered them, and acknowledging an alert
    changes no record: listed, they would bury what people did."""
    detention = f.DetentionFactory(case=world.case)
    f.RuleDeadlineFactory(case=world.case)  # its creation event is the engine's echo
    alert = f.AlertFactory(case=world.case)
    alert_acknowledge(acting_user=world.caseworker, alert=alert)
    event(world.case, world.caseworker, detention)

    kinds = [e.kind for e in client_for(world.caseworker).get(DASHBOARD).context["activity"]]

    assert kinds and all(not k.startswith(("alert.", "deadline.")) for k in kinds), kinds


def test_a_high_risk_person_in_two_cases_shows_only_the_decisions_of_the_case_one_may_open(world):
    """The decisions sit in the restricted case; the lawyer shares only world.case with the
    person: the flag is shown, the restricted case's decisions are not."""
    person = high_risk_person(world.restricted, family_name="Splitov")
    f.CasePartyFactory(case=world.case, person=person)
    f.ExtraditionRequestFactory(case=world.case, person=person)

    lawyer = content_of(world.lawyer)

    assert "Splitov" in lawyer
    assert "UNHCR: recognised as refugee" not in lawyer
    assert "National authority: rejected" not in lawyer
    assert "UNHCR: recognised as refugee" in content_of(world.admin)
