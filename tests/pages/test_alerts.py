"""The alerts inbox (issue 3 point 5, issue 5): who sees which alert, the unread count, the
new/all filter, breaches marked, and acknowledging inline (HTMX) or with a plain POST.

Moved here from tests/cases/test_alert_views.py with the other pages' tests."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.choices import AlertKind, AlertLevel
from cases.context_processors import alerts as alerts_context
from cases.models import Alert
from cases.services.alerts import alert_acknowledge
from tests import factories as f
from tests.factories import AlertFactory, RuleDeadlineFactory
from tests.helpers import Timeline, nothing_written, own_queries
from tests.pages.matrix import EVERYONE, ActionMatrix, PageMatrix

INBOX = reverse("cases:alerts")
# Session, user, the page's COUNT and rows, the unread COUNT (the header and the heading).
INBOX_QUERIES = 5
CSRF_TOKEN = re.compile(r'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"')
# The unread count in the header's Alerts link (templates/base.html).
HEADER_BADGE = (
    '<span class="badge badge--alert">{}<span class="visually-hidden"> unread</span></span>'
)


def acknowledge_url(alert) -> str:
    return reverse("cases:alert_acknowledge", args=[alert.pk])


def login(client, user):
    """Sign ``user`` in; saving stores the password the factory set, which the session checks."""
    user.save()
    client.force_login(user)
    return client


def without_csrf(response) -> str:
    """The page without its CSRF tokens, which are masked afresh on every response."""
    return CSRF_TOKEN.sub("", response.content.decode())


def listed(response) -> list[Alert]:
    return list(response.context["page"].object_list)


@pytest.fixture
def alerts(world):
    """One alert on each of ``world``'s cases, each with a message naming its case."""
    return {
        name: AlertFactory(case=getattr(world, name), message=f"Alert on {name}.")
        for name in ("case", "restricted", "unshared", "other_case")
    }


# Which of ``alerts`` each user sees (DESIGN §4): the same alerts for every user.
SEES = {
    "admin": {"case", "restricted", "unshared"},
    "caseworker": {"case", "unshared"},
    "viewer": {"case", "unshared"},
    "lawyer": {"case"},
    "other_caseworker": {"other_case"},
    "other_admin": {"other_case"},
    "stranger": set(),
}


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, alerts):
    response = client.get(INBOX)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={INBOX}"


@pytest.mark.parametrize("who", SEES)
def test_each_user_sees_the_alerts_of_the_cases_they_can_see(client, world, alerts, who):
    response = login(client, getattr(world, who)).get(INBOX)

    assert response.status_code == 200
    assert {a.pk for a in listed(response)} == {alerts[name].pk for name in SEES[who]}
    content = response.content.decode()
    for name, alert in alerts.items():
        assert (alert.message in content) == (name in SEES[who])
    if not SEES[who]:
        assert "No alerts for the cases you can see." in content


def test_the_inbox_shows_level_kind_case_message_and_when(client, world):
    deadline = RuleDeadlineFactory(case=world.case)
    AlertFactory(
        case=world.case,
        deadline=deadline,
        kind=AlertKind.REMINDER,
        offset_days=7,
        level=AlertLevel.WARNING,
        message="State's reply to the CAT complaint is due on 2030-07-15, in 7 days.",
    )

    content = login(client, world.viewer).get(INBOX).content.decode()

    for text in (
        "warning",
        "reminder",
        "ALA-2010-001",
        "State&#x27;s reply to the CAT complaint is due on 2030-07-15, in 7 days.",
        timezone.localtime().strftime("%Y-%m-%d"),
    ):
        assert text in content, text


def test_unacknowledged_alerts_come_first_then_the_newest(client, world):
    now = timezone.now()
    made = {}
    for name, hours_ago, acknowledged in [
        ("old_unread", 5, False),
        ("new_read", 1, True),
        ("new_unread", 2, False),
        ("old_read", 9, True),
    ]:
        alert = AlertFactory(case=world.case, message=name)
        Alert.objects.filter(pk=alert.pk).update(
            created_at=now - datetime.timedelta(hours=hours_ago),
            acknowledged_at=now if acknowledged else None,
            acknowledged_by=world.admin if acknowledged else None,
        )
        made[name] = alert

    response = login(client, world.caseworker).get(INBOX)

    assert [a.message for a in listed(response)] == [
        "new_unread",
        "old_unread",
        "new_read",
        "old_read",
    ]
    assert "By admin at" in response.content.decode()


def test_the_unread_count_is_in_the_heading_and_the_header(client, world, alerts):
    AlertFactory.create_batch(2, case=world.case)
    AlertFactory(case=world.case, acknowledged_at=timezone.now(), acknowledged_by=world.admin)

    response = login(client, world.caseworker).get(INBOX)

    # case, unshared and the two new ones; not the acknowledged one, nor the hidden ones.
    assert response.context["unread_alerts"] == 4
    content = response.content.decode()
    # The heading says it in words; the header's badge on every page says it too.
    assert content.count("(4 unread)") == 1
    assert HEADER_BADGE.format(4) in content
    page = client.get(reverse("cases:calendar_feed")).content.decode()
    assert HEADER_BADGE.format(4) in page


def test_the_unread_count_costs_one_query_and_none_for_a_visitor(
    world, alerts, django_assert_num_queries
):
    request = RequestFactory().get("/")
    request.user = world.lawyer
    context = alerts_context(request)
    with django_assert_num_queries(1):
        assert int(str(context["unread_alerts"])) == 1
        assert context["unread_alerts"] == 1  # evaluated once

    with django_assert_num_queries(0):
        response = Client().get(reverse("login"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_the_inbox_costs_the_same_queries_for_1_or_30_alerts(client, world, count):
    for i in range(count):
        # Half acknowledged (the row names who did), on two cases, each about a person.
        acknowledged = i % 2 == 0
        AlertFactory(
            case=world.case if acknowledged else world.unshared,
            person=f.CasePartyFactory(case=world.case).person,
            acknowledged_at=timezone.now() if acknowledged else None,
            acknowledged_by=f.UserFactory() if acknowledged else None,
        )
    login(client, world.caseworker)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(INBOX)
    assert len(own_queries(queries)) == INBOX_QUERIES

    assert len(listed(response)) == count


def test_the_inbox_shows_50_alerts_a_page(client, world):
    AlertFactory.create_batch(51, case=world.case)
    login(client, world.caseworker)

    first, second = client.get(INBOX), client.get(INBOX, {"page": 2})

    assert len(listed(first)) == 50
    assert len(listed(second)) == 1
    assert 'href="?page=2"' in first.content.decode()
    assert len(listed(client.get(INBOX, {"page": "nonsense"}))) == 50


# --- Acknowledging ----------------------------------------------------------------------------

# Who may acknowledge the alert on ``world.case``: whoever can see the case; the others are
# answered 404, as for an alert that does not exist.
ACKNOWLEDGE = {
    "admin": True,
    "caseworker": True,
    "viewer": True,
    "lawyer": True,
    "other_caseworker": False,
    "other_admin": False,
    "stranger": False,
}


@pytest.mark.parametrize(("who", "allowed"), ACKNOWLEDGE.items())
def test_who_may_acknowledge_an_alert(client, world, alerts, who, allowed):
    user = getattr(world, who)
    alert = alerts["case"]
    login(client, user)

    if allowed:
        timeline = Timeline()
        response = client.post(acknowledge_url(alert))
        assert response.status_code == 302
        assert response["Location"] == INBOX
        alert.refresh_from_db()
        assert alert.acknowledged_by == user
        assert alert.acknowledged_at is not None
        timeline.only("alert.acknowledged", actor=user, case=world.case)
    else:
        with nothing_written():
            assert client.post(acknowledge_url(alert)).status_code == 404


@pytest.mark.parametrize("hidden", ["other_case", "restricted"])
def test_a_hidden_alert_is_answered_like_a_missing_one(client, world, alerts, hidden):
    login(client, world.caseworker)

    missing = "00000000-0000-4000-8000-000000000000"

    with nothing_written():
        hidden_response = client.post(acknowledge_url(alerts[hidden]))
        missing_response = client.post(reverse("cases:alert_acknowledge", args=[missing]))

    assert hidden_response.status_code == missing_response.status_code == 404
    # The same page, but for its own address (the language switch returns to it).
    hidden_page = without_csrf(hidden_response).replace(str(alerts[hidden].pk), "ID")
    assert hidden_page == without_csrf(missing_response).replace(missing, "ID")


def test_an_anonymous_visitor_cannot_acknowledge(client, alerts):
    with nothing_written():
        response = client.post(acknowledge_url(alerts["case"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_acknowledging_needs_a_post_with_the_csrf_token(world, alerts):
    client = login(Client(enforce_csrf_checks=True), world.caseworker)

    with nothing_written():
        assert client.get(acknowledge_url(alerts["case"])).status_code == 405
        assert client.post(acknowledge_url(alerts["case"])).status_code == 403


def test_acknowledging_twice_keeps_the_first_acknowledgement(client, world, alerts):
    alert = alerts["case"]
    login(client, world.caseworker).post(acknowledge_url(alert))
    alert.refresh_from_db()
    first = alert.acknowledged_at

    login(client, world.admin)
    with nothing_written():
        client.post(acknowledge_url(alert))

    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledged_at) == (world.caseworker, first)


def test_acknowledging_returns_to_the_page_and_lowers_the_count(client, world, alerts):
    login(client, world.caseworker)

    response = client.post(acknowledge_url(alerts["case"]), {"page": "2"})
    assert response["Location"] == f"{INBOX}?page=2"
    response = client.get(INBOX)

    assert response.context["unread_alerts"] == 1
    assert "Alert acknowledged." in response.content.decode()
    assert [a.message for a in listed(response)] == ["Alert on unshared.", "Alert on case."]


# --- The page matrices ------------------------------------------------------------------------


class TestInboxPage(PageMatrix):
    url_name = "cases:alerts"
    # Everyone signed in has an inbox; each sees only the alerts of the cases they can see.
    status = EVERYONE
    query_budget = INBOX_QUERIES

    def add_row(self, world):
        acknowledged = AlertFactory(case=world.case, deadline=RuleDeadlineFactory(case=world.case))
        alert_acknowledge(acting_user=world.admin, alert=acknowledged)
        AlertFactory(case=world.case, kind=AlertKind.INTERIM_MEASURE_BREACH)


class TestAcknowledgeAction(ActionMatrix):
    url_name = "cases:alert_acknowledge"
    # alert_acknowledge: whoever can see the alert's case may acknowledge it.
    allowed = ACKNOWLEDGE

    def url(self, world):
        return acknowledge_url(AlertFactory(case=world.case))


# --- Filter, breaches, inline acknowledgement -------------------------------------------------


def test_the_new_filter_leaves_acknowledged_alerts_out(client, world, alerts):
    alert_acknowledge(acting_user=world.admin, alert=alerts["case"])
    login(client, world.caseworker)

    everything = client.get(INBOX)
    new = client.get(INBOX, {"show": "new"})

    assert {a.pk for a in listed(everything)} == {alerts["case"].pk, alerts["unshared"].pk}
    assert [a.pk for a in listed(new)] == [alerts["unshared"].pk]
    assert 'href="?show=new" aria-current="page"' in new.content.decode()
    assert 'href="?show=all" aria-current="page"' in everything.content.decode()


def test_nothing_new_says_so(client, world, alerts):
    for alert in alerts.values():
        Alert.objects.filter(pk=alert.pk).update(acknowledged_at=timezone.now())

    content = login(client, world.caseworker).get(INBOX, {"show": "new"}).content.decode()

    assert "No new alerts: every alert on the cases you can see has been acknowledged." in content


def test_breaches_are_marked_and_come_first_among_new_alerts(client, world):
    older_breach = AlertFactory(
        case=world.case, kind=AlertKind.INTERIM_MEASURE_BREACH, message="Surrendered."
    )
    Alert.objects.filter(pk=older_breach.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    newer = AlertFactory(case=world.case, message="Newer, but no breach.")

    response = login(client, world.caseworker).get(INBOX)

    assert [a.pk for a in listed(response)] == [older_breach.pk, newer.pk]
    content = response.content.decode()
    assert f'id="alert-row-{older_breach.pk}" class="alert-row--breach"' in content
    # Marked in words, not by colour alone.
    assert '<span class="badge badge--alert">interim measure breached</span>' in content


def test_htmx_acknowledge_answers_the_row_to_swap(client, world, alerts):
    alert = alerts["case"]
    login(client, world.viewer)
    content = client.get(INBOX).content.decode()
    assert f'hx-post="{acknowledge_url(alert)}"' in content
    assert f'hx-target="#alert-row-{alert.pk}"' in content

    response = client.post(acknowledge_url(alert), {"next": INBOX}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<tr id="alert-row-{alert.pk}" class=" is-acknowledged"')
    assert "<html" not in fragment
    assert "By viewer at" in fragment
    assert "Acknowledge</button>" not in fragment
    # The header's unread count follows, out of band: the viewer's other alert is still new.
    assert '<span id="unread-alerts" hx-swap-oob="true"><span class="badge badge--alert">1<' in (
        fragment
    )
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.viewer
    # No flash message waits for the next page: the row already said it.
    assert "Alert acknowledged." not in client.get(INBOX).content.decode()


def test_a_plain_post_returns_to_the_page_with_its_filter(client, world, alerts):
    login(client, world.caseworker)

    response = client.post(acknowledge_url(alerts["case"]), {"next": f"{INBOX}?show=new&page=1"})

    assert response.status_code == 302
    assert response["Location"] == f"{INBOX}?show=new&page=1"


def test_acknowledge_never_sends_the_user_to_another_site(client, world, alerts):
    login(client, world.caseworker)

    response = client.post(
        acknowledge_url(alerts["case"]), {"next": "https://evil.example/", "page": "3"}
    )

    assert response["Location"] == f"{INBOX}?page=3"


def test_the_inbox_renders_in_russian(world, alerts):
    client = login(Client(headers={"accept-language": "ru"}), world.caseworker)

    response = client.get(INBOX)

    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()
