"""/api/v1/deadlines/ and /api/v1/deadline-rules/: deadlines scoped like every case record,
entered by hand or computed, changed only through verbs; rules read by everyone signed in
and changed only by platform operators (DESIGN §6, §7)."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from cases.choices import DeadlineStatus
from cases.models import CaseEvent, Deadline, DeadlineRule
from cases.services.deadlines import deadline_mark_missed
from tests import factories as f
from tests.api.matrix import SEES, USERS, EndpointMatrix, client_for
from tests.helpers import EDIT, FILE, nothing_written

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
REASON = "The Committee's letter of 5 September 2011 sets 15 March 2012."


def url(deadline, verb: str = "") -> str:
    return f"/api/v1/deadlines/{deadline.pk}/" + (f"{verb}/" if verb else "")


class TestDeadlines(EndpointMatrix):
    basename = "deadline"
    writes = FILE  # entering a deadline by hand is filing: outside lawyers may
    can_update = can_delete = False  # the verbs say what happened; records cancel their own

    def record(self, world):
        return f.ManualDeadlineFactory(case=world.case)

    def create_data(self, world):
        return {
            "case": str(world.case.pk),
            "title": "Hearing at the Almaty city court",
            "due_on": "2030-05-10",
            "timezone": "Asia/Almaty",
        }

    def stale_write(self, world, record):
        return "post", url(record, "override"), {"due_on": "2030-04-01", "reason": REASON}

    # Recording what happened is filing; declaring a deadline missed, or reopening one, is a
    # caseworker's call.
    verbs = {"met": FILE, "override": FILE, "missed": EDIT, "reopen": EDIT}

    def verb_call(self, world, verb):
        deadline = self.record(world)
        if verb == "reopen":
            deadline_mark_missed(acting_user=world.caseworker, deadline=deadline)
        bodies = {
            "met": {"met_on": "2030-02-20"},
            "override": {"due_on": "2030-04-01", "reason": REASON},
        }
        return deadline, bodies.get(verb, {})


def test_the_representation_says_how_the_date_was_computed(world):
    deadline = f.RuleDeadlineFactory(case=world.case, basis=datetime.date(2030, 8, 31))

    body = client_for(world.viewer).get(url(deadline)).json()

    assert body["rule"] == "cat.state_reply"
    assert body["rule_version"] == 1
    assert body["basis_date"] == "2030-08-31"
    # CAT r.115: six calendar months, clamped to the month's end.
    assert body["due_date"] == "2031-02-28"
    assert body["due_at"] == body["computed_due_at"]
    assert "6 months" in body["explanation"]
    assert (body["is_overdue"], body["is_overridden"], body["override_reason"]) == (
        False,
        False,
        "",
    )


def test_a_deadline_entered_by_hand_ends_at_the_end_of_its_day(world):
    response = client_for(world.lawyer).post(
        "/api/v1/deadlines/",
        {
            "case": str(world.case.pk),
            "title": "Hearing at the Almaty city court",
            "due_on": "2030-05-10",
            "timezone": "Asia/Almaty",
            "responsible": world.caseworker.pk,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    due_at = datetime.datetime.fromisoformat(body["due_at"]).astimezone(ALMATY)
    assert due_at.replace(tzinfo=None) == datetime.datetime(2030, 5, 10, 23, 59, 59, 999999)
    assert (body["due_date"], body["rule"], body["status"]) == ("2030-05-10", None, "open")
    assert body["responsible"] == world.caseworker.pk
    assert CaseEvent.objects.filter(kind="deadline.created", actor=world.lawyer).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("responsible", "other_caseworker"),  # another organisation's staff: "does not exist"
        ("responsible", "stranger"),
        ("timezone", "Mars/Olympus_Mons"),
        ("due_on", "2030-02-30"),
    ],
)
def test_a_bad_field_is_a_400_naming_it(world, field, value):
    data = {"case": str(world.case.pk), "title": "Hearing", "due_on": "2030-05-10"}
    data[field] = getattr(world, value).pk if field == "responsible" else value

    with nothing_written():
        response = client_for(world.caseworker).post("/api/v1/deadlines/", data, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_the_responsible_user_must_see_the_case(world):
    # The lawyer shares a case with the caseworker, but not this one.
    data = {"case": str(world.unshared.pk), "title": "Hearing", "due_on": "2030-05-10"}

    with nothing_written():
        response = client_for(world.caseworker).post(
            "/api/v1/deadlines/", {**data, "responsible": world.lawyer.pk}, format="json"
        )

    assert response.status_code == 400
    assert "ALA-2010-003" in response.json()["responsible"][0]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_computed_fields_are_never_written_directly(world, method):
    deadline = f.RuleDeadlineFactory(case=world.case)

    with nothing_written():
        response = getattr(client_for(world.admin), method)(
            url(deadline), {"due_at": "2030-01-01T00:00:00Z"}, format="json"
        )

    assert response.status_code == 405


# --- verbs ------------------------------------------------------------------------------

VERBS = {
    "met": ({"met_on": "2030-02-20"}, FILE, DeadlineStatus.MET),
    "override": ({"due_on": "2030-04-01", "reason": REASON}, FILE, DeadlineStatus.OPEN),
    "missed": ({}, EDIT, DeadlineStatus.MISSED),
}


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("verb", VERBS)
def test_who_may_use_each_verb(world, verb, who):
    deadline = f.ManualDeadlineFactory(case=world.case)
    data, table, status = VERBS[verb]
    client = client_for(getattr(world, who))

    if table[who]:
        response = client.post(url(deadline, verb), data, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == status
        assert response["ETag"]
    else:
        with nothing_written():
            response = client.post(url(deadline, verb), data, format="json")
        assert response.status_code == (403 if who in SEES else 404)


def test_met_records_the_day_and_the_event(world):
    deadline = f.ManualDeadlineFactory(case=world.case)

    body = client_for(world.lawyer).post(url(deadline, "met"), {"met_on": "2030-02-20"}).json()

    assert (body["status"], body["met_on"]) == ("met", "2030-02-20")
    assert CaseEvent.objects.filter(kind="deadline.met", actor=world.lawyer).exists()


def test_met_twice_is_a_400(world):
    deadline = f.ManualDeadlineFactory(case=world.case)
    client = client_for(world.caseworker)
    client.post(url(deadline, "met"), {"met_on": "2030-02-20"})

    with nothing_written():
        again = client.post(url(deadline, "met"), {"met_on": "2030-02-21"})

    assert again.status_code == 400
    assert "status" in again.json()


def test_override_keeps_the_computed_date_beside_the_new_one(world):
    deadline = f.RuleDeadlineFactory(case=world.case, basis=datetime.date(2030, 8, 31))

    response = client_for(world.lawyer).post(
        url(deadline, "override"), {"due_on": "2031-03-15", "reason": REASON}, format="json"
    )

    body = response.json()
    assert response.status_code == 200, body
    assert (body["due_date"], body["override_reason"], body["is_overridden"]) == (
        "2031-03-15",
        REASON,
        True,
    )
    assert body["computed_due_at"].startswith("2031-02-28")
    assert body["overridden_by"] == world.lawyer.pk


@pytest.mark.parametrize("reason", ["", "   "])
def test_override_without_a_reason_is_a_400_naming_reason(world, reason):
    deadline = f.ManualDeadlineFactory(case=world.case)

    with nothing_written():
        response = client_for(world.caseworker).post(
            url(deadline, "override"), {"due_on": "2030-04-01", "reason": reason}, format="json"
        )

    assert response.status_code == 400
    assert response.json() == {"reason": ["Say why the computed date is overridden."]}


def test_a_stale_if_match_on_a_verb_is_a_412_and_changes_nothing(world):
    deadline = f.ManualDeadlineFactory(case=world.case)
    client = client_for(world.caseworker)
    etag = client.get(url(deadline))["ETag"]
    moved = client.post(
        url(deadline, "override"),
        {"due_on": "2030-04-01", "reason": REASON},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert moved.status_code == 200

    with nothing_written():
        stale = client.post(
            url(deadline, "met"), {"met_on": "2030-02-20"}, format="json", HTTP_IF_MATCH=etag
        )

    assert stale.status_code == 412
    fresh = client.post(
        url(deadline, "met"), {"met_on": "2030-02-20"}, format="json", HTTP_IF_MATCH=moved["ETag"]
    )
    assert fresh.status_code == 200


def test_reopen_needs_the_right_to_edit(world):
    deadline = f.ManualDeadlineFactory(case=world.case)
    client_for(world.caseworker).post(url(deadline, "missed"))

    with nothing_written():
        refused = client_for(world.lawyer).post(url(deadline, "reopen"))
    reopened = client_for(world.caseworker).post(url(deadline, "reopen"))

    assert (refused.status_code, reopened.status_code) == (403, 200)
    assert reopened.json()["status"] == "open"


# --- filters and queries ----------------------------------------------------------------


def test_filters(world):
    reply = f.RuleDeadlineFactory(case=world.case, basis=datetime.date(2030, 1, 15))
    hearing = f.ManualDeadlineFactory(case=world.case, responsible=world.caseworker)
    done = f.ManualDeadlineFactory(
        case=world.case, status=DeadlineStatus.MET, met_on=datetime.date(2030, 2, 1)
    )
    elsewhere = f.ManualDeadlineFactory(case=world.unshared)
    client = client_for(world.caseworker)

    def ids(**params) -> set:
        response = client.get("/api/v1/deadlines/", params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids(case=world.case.pk) == {str(d.pk) for d in (reply, hearing, done)}
    assert ids(case=world.unshared.pk) == {str(elsewhere.pk)}
    assert ids(status="met") == {str(done.pk)}
    assert ids(rule="cat.state_reply") == {str(reply.pk)}
    assert ids(responsible=world.caseworker.pk) == {str(hearing.pk)}
    # The state's reply is due 15 July 2030; the hearings on 1 March 2030.
    assert ids(due_after="2030-07-15") == {str(reply.pk)}
    assert ids(due_before="2030-03-01", case=world.case.pk) == {str(hearing.pk), str(done.pk)}
    assert ids(due_before="2030-02-28") == set()
    assert client.get("/api/v1/deadlines/", {"status": "late"}).status_code == 400


def _list_queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_the_list_costs_the_same_queries_for_1_or_50_deadlines(world):
    client = client_for(world.caseworker)
    f.RuleDeadlineFactory(case=world.case)
    one = _list_queries(client, "/api/v1/deadlines/")
    for n in range(49):
        if n % 2:
            f.RuleDeadlineFactory(case=world.case, code="cat.follow_up")
        else:
            f.ManualDeadlineFactory(
                case=world.case, responsible=world.caseworker, overridden_by=world.admin
            )
    many = _list_queries(client, "/api/v1/deadlines/")

    assert Deadline.objects.count() == 50
    assert len(many) == len(one), "\n".join(many)


# --- deadline rules ---------------------------------------------------------------------


@pytest.fixture
def operator(db):
    return f.UserFactory(username="root", is_superuser=True)


def rule_url(rule=None) -> str:
    return f"/api/v1/deadline-rules/{rule.pk}/" if rule else "/api/v1/deadline-rules/"


class TestDeadlineRules:
    """Rules are public law, not case data: the matrix's "who sees world.case" does not apply.
    Every signed-in user reads every rule; only a platform operator changes one."""

    covers_endpoint = "deadline-rule"
    matrix_exempt_reason = (
        "Rules are not case data: every signed-in user reads all of them, and only platform "
        "operators change them."
    )

    def test_anonymous_is_refused(self, world):
        rule = DeadlineRule.objects.first()
        assert APIClient().get(rule_url()).status_code == 401
        assert APIClient().get(rule_url(rule)).status_code == 401
        assert APIClient().patch(rule_url(rule), {"period": 1}).status_code == 401

    @pytest.mark.parametrize("who", [*USERS, "operator"])
    def test_everyone_signed_in_reads_every_rule(self, world, operator, who):
        client = client_for(operator if who == "operator" else getattr(world, who))
        rule = DeadlineRule.objects.get(code="cat.follow_up")

        listing = client.get(rule_url(), {"page_size": 200})
        detail = client.get(rule_url(rule))

        codes = [row["code"] for row in listing.json()["results"]]
        assert codes == list(DeadlineRule.objects.order_by("code").values_list("code", flat=True))
        assert detail.status_code == 200 and detail["ETag"]
        assert detail.json()["source"] == rule.source

    @pytest.mark.parametrize("who", USERS)
    def test_only_an_operator_changes_a_rule(self, world, who):
        rule = DeadlineRule.objects.get(code="cat.follow_up")

        with nothing_written():
            response = client_for(getattr(world, who)).patch(
                rule_url(rule), {"period": 91}, format="json"
            )

        assert response.status_code == 403
        assert "platform operator" in response.json()["detail"]

    def test_an_operators_change_raises_the_version(self, world, operator):
        rule = DeadlineRule.objects.get(code="cat.follow_up")

        response = client_for(operator).patch(
            rule_url(rule), {"period": 91, "source": "CAT r.118(5), checked"}, format="json"
        )

        assert response.status_code == 200, response.json()
        assert (response.json()["period"], response.json()["rule_version"]) == (91, 2)
        rule.refresh_from_db()
        assert (rule.period, rule.rule_version) == (91, 2)

    def test_what_defines_a_rule_cannot_change(self, world, operator):
        rule = DeadlineRule.objects.get(code="cat.follow_up")

        response = client_for(operator).patch(
            rule_url(rule), {"code": "cat.other", "trigger_field": "adopted_on"}, format="json"
        )

        rule.refresh_from_db()
        assert response.status_code == 200
        assert (rule.code, rule.trigger_field, rule.rule_version) == (
            "cat.follow_up",
            "transmitted_on",
            1,
        )

    def test_a_bad_value_is_a_400_naming_the_field(self, world, operator):
        rule = DeadlineRule.objects.get(code="cat.follow_up")

        with nothing_written():
            response = client_for(operator).patch(
                rule_url(rule), {"reminders": "every week"}, format="json"
            )

        assert response.status_code == 400
        assert list(response.json()) == ["reminders"]

    @pytest.mark.parametrize("method", ["post", "put", "delete"])
    def test_rules_are_not_created_replaced_or_deleted(self, world, operator, method):
        rule = DeadlineRule.objects.get(code="cat.follow_up")
        path = rule_url() if method == "post" else rule_url(rule)

        with nothing_written():
            response = getattr(client_for(operator), method)(path, {"period": 1}, format="json")

        assert response.status_code == 405

    def test_stale_if_match_is_refused_and_changes_nothing(self, world, operator):
        rule = DeadlineRule.objects.get(code="cat.follow_up")
        client = client_for(operator)
        etag = client.get(rule_url(rule))["ETag"]
        assert client.patch(rule_url(rule), {"period": 91}, HTTP_IF_MATCH=etag).status_code == 200

        with nothing_written():
            stale = client.patch(rule_url(rule), {"period": 92}, HTTP_IF_MATCH=etag)

        assert stale.status_code == 412

    def test_filters(self, world):
        DeadlineRule.objects.filter(code="cat.follow_up").update(active=False)
        client = client_for(world.viewer)

        inactive = client.get(rule_url(), {"active": "false"}).json()["results"]
        hours = client.get(rule_url(), {"unit": "hours"}).json()["results"]

        assert [row["code"] for row in inactive] == ["cat.follow_up"]
        assert [row["code"] for row in hours] == ["kz.identity_check"]

    def test_list_queries_do_not_grow_with_rows(self, world):
        client = client_for(world.caseworker)
        one = _list_queries(client, rule_url())
        template = DeadlineRule.objects.get(code="cat.follow_up")
        for n in range(5):
            template.pk, template.code = None, f"test.rule_{n}"
            template.save(force_insert=True)
        many = _list_queries(client, rule_url())

        assert len(many) == len(one), "\n".join(many)


# --- the schema -------------------------------------------------------------------------


def test_every_field_of_these_endpoints_is_described():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    mine = ("Deadline", "PatchedDeadlineRule", "Alert", "Document")
    undescribed = [
        f"{name}.{field}"
        for name, component in components.items()
        if name.startswith(mine)
        for field, spec in component.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert not undescribed
    paths = schema["paths"]
    assert set(paths["/api/v1/deadlines/{id}/"]) == {"get"}
    assert set(paths["/api/v1/deadlines/"]) == {"get", "post"}
    assert set(paths["/api/v1/alerts/"]) == {"get"}
    assert set(paths["/api/v1/alerts/{id}/acknowledge/"]) == {"post"}
    assert set(paths["/api/v1/deadline-rules/{id}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/documents/{id}/"]) == {"get", "delete"}
    assert set(paths["/api/v1/documents/{id}/download/"]) == {"get"}
    for verb in ("met", "override", "missed", "reopen"):
        assert set(paths[f"/api/v1/deadlines/{{id}}/{verb}/"]) == {"post"}
