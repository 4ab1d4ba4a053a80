"""/api/v1/alerts/: the ledger, read-only and scoped, newest first; acknowledged through a verb
(DESIGN §6, §7)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.choices import AlertKind, AlertLevel
from cases.models import Alert, CaseEvent
from tests import factories as f
from tests.api.matrix import SEES, USERS, EndpointMatrix, client_for
from tests.helpers import nothing_written


def url(alert, verb: str = "") -> str:
    return f"/api/v1/alerts/{alert.pk}/" + (f"{verb}/" if verb else "")


class TestAlerts(EndpointMatrix):
    basename = "alert"
    # The ledger is written by the engine only: raised by the sweep and by events, never by hand.
    can_create = can_update = can_delete = False

    def record(self, world):
        return f.AlertFactory(case=world.case)

    def stale_write(self, world, record):
        return "post", url(record, "acknowledge"), {}

    verbs = {"acknowledge": {who: who in SEES for who in USERS}}  # seeing the case is enough

    def verb_call(self, world, verb):
        return self.record(world), {}


@pytest.mark.parametrize("who", USERS)
def test_whoever_sees_the_case_may_acknowledge(world, who):
    alert = f.AlertFactory(case=world.case)
    client = client_for(getattr(world, who))

    if who in SEES:
        response = client.post(url(alert, "acknowledge"))
        assert response.status_code == 200, response.json()
        assert response.json()["acknowledged_by"] == getattr(world, who).pk
        assert response.json()["acknowledged_at"]
    else:
        with nothing_written():
            response = client.post(url(alert, "acknowledge"))
        assert response.status_code == 404


def test_acknowledging_twice_keeps_the_first(world):
    alert = f.AlertFactory(case=world.case)
    first = client_for(world.viewer).post(url(alert, "acknowledge")).json()

    with nothing_written():
        second = client_for(world.caseworker).post(url(alert, "acknowledge"))

    assert second.status_code == 200
    assert second.json()["acknowledged_by"] == world.viewer.pk == first["acknowledged_by"]
    assert CaseEvent.objects.filter(kind="alert.acknowledged").count() == 1


def test_a_stale_if_match_is_a_412_and_changes_nothing(world):
    alert = f.AlertFactory(case=world.case)
    etag = client_for(world.viewer).get(url(alert))["ETag"]
    Alert.objects.filter(pk=alert.pk).update(
        acknowledged_by=world.admin, acknowledged_at=timezone.now()
    )

    with nothing_written():
        response = client_for(world.viewer).post(url(alert, "acknowledge"), HTTP_IF_MATCH=etag)

    assert response.status_code == 412


def test_acknowledge_is_post_only(world):
    alert = f.AlertFactory(case=world.case)
    assert client_for(world.caseworker).get(url(alert, "acknowledge")).status_code == 405


def _raised(world, minutes_ago: int, **fields) -> Alert:
    alert = f.AlertFactory(case=world.case, **fields)
    raised_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Alert.objects.filter(pk=alert.pk).update(created_at=raised_at)
    return alert


def test_newest_first_a_page_at_a_time(world):
    alerts = [_raised(world, minutes_ago=m) for m in (30, 10, 20)]
    client = client_for(world.caseworker)

    first = client.get("/api/v1/alerts/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    newest_first = [alerts[1], alerts[2], alerts[0]]
    pages = [row["id"] for row in first["results"] + second["results"]]
    assert pages == [str(a.pk) for a in newest_first]
    assert second["next"] is None


def test_filters(world):
    old = _raised(world, minutes_ago=120, kind=AlertKind.HIGH_RISK, level=AlertLevel.CRITICAL)
    seen = _raised(
        world,
        minutes_ago=5,
        kind=AlertKind.INTERIM_MEASURE_BREACH,
        level=AlertLevel.CRITICAL,
        acknowledged_by=world.admin,
        acknowledged_at=timezone.now(),
    )
    deadline = f.ManualDeadlineFactory(case=world.unshared)
    reminder = f.AlertFactory(
        case=world.unshared,
        deadline=deadline,
        kind=AlertKind.REMINDER,
        level=AlertLevel.INFO,
        offset_days=7,
    )
    client = client_for(world.caseworker)

    def ids(**params) -> set:
        response = client.get("/api/v1/alerts/", params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids(case=world.case.pk) == {str(old.pk), str(seen.pk)}
    assert ids(kind="reminder") == {str(reminder.pk)}
    assert ids(deadline=deadline.pk) == {str(reminder.pk)}
    assert ids(level="critical") == {str(old.pk), str(seen.pk)}
    assert ids(acknowledged="true") == {str(seen.pk)}
    assert ids(acknowledged="false") == {str(old.pk), str(reminder.pk)}
    since = (timezone.now() - datetime.timedelta(minutes=60)).isoformat()
    assert ids(raised_after=since) == {str(seen.pk), str(reminder.pk)}
    assert client.get("/api/v1/alerts/", {"level": "loud"}).status_code == 400


def test_the_list_costs_the_same_queries_for_1_or_50_alerts(world):
    client = client_for(world.caseworker)
    f.AlertFactory(case=world.case)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/alerts/").status_code == 200
    for n in range(49):
        deadline = f.ManualDeadlineFactory(case=world.case) if n % 2 else None
        f.AlertFactory(
            case=world.case,
            deadline=deadline,
            person=f.PersonFactory(organisation=world.org) if n % 3 else None,
            acknowledged_by=world.viewer if n % 5 else None,
            acknowledged_at=timezone.now() if n % 5 else None,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/alerts/")

    assert len(response.json()["results"]) == 50
    assert len(many) == len(one), "\n".join(q["sql"] for q in many.captured_queries)
