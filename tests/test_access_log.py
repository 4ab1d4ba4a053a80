"""The read audit (issue #10): every route that shows case data writes an AccessLogEntry, for a
read and for a refused attempt; admins see who has read a file; the log is append-only."""

from urllib.parse import urlsplit

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, resolve, reverse
from rest_framework.test import APIClient

import casetracker.api.urls
from cases.models import Case
from cases.services.feeds import calendar_feed_create
from casetracker.access_log import NOT_LOGGED
from casetracker.models import AccessLogEntry
from organisations.choices import Role
from tests import factories as f
from tests.helpers import own_queries
from tests.pages.matrix import USERS, PageMatrix
from tests.pages.test_page_coverage import EXEMPT as PAGE_EXEMPT
from tests.pages.test_page_coverage import _names as page_names
from tests.test_contact_walk import (  # noqa: F401
    _crawl,
    _page_client,
    _user,
    duplicate_pages,
    planted,
)


def _path(address: str) -> str:
    return urlsplit(address).path


def test_every_page_that_shows_case_data_writes_an_entry(planted):  # noqa: F811
    pages = _crawl(
        _page_client("ala-admin"), ["/", "/cases/", "/people/", "/alerts/", *duplicate_pages()]
    )
    feed = reverse(
        "cases:calendar_feed_ics", args=[calendar_feed_create(acting_user=_user("ala-viewer"))[1]]
    )
    pages[feed] = Client().get(feed)
    logged = set(AccessLogEntry.objects.values_list("path", flat=True))

    unlogged = sorted(
        address
        for address, response in pages.items()
        if response.status_code == 200
        and resolve(_path(address)).view_name not in NOT_LOGGED
        and _path(address) not in logged
    )
    assert unlogged == []
    reached = {resolve(_path(address)).view_name for address in pages}
    unwalked = page_names(get_resolver().url_patterns) - set(PAGE_EXEMPT) - NOT_LOGGED - reached
    # Pages only the viewer's walk reaches in tests/test_contact_walk.py are POST-only.
    assert {name for name in unwalked if not name.endswith(("_revoke", "_delete"))} <= {"verify"}
    entry = AccessLogEntry.objects.get(path=_path(feed))
    assert (entry.channel, entry.username) == ("feed", "ala-viewer")


def test_every_api_list_and_detail_of_case_data_writes_entries(planted, settings):  # noqa: F811
    settings.API_THROTTLE_RATES = {"token": None, "ip": None}
    client = APIClient()
    client.force_authenticate(_user("ala-admin"))
    for include in casetracker.api.urls.urlpatterns:
        router = getattr(include.urlconf_module, "router", None)
        for _prefix, viewset, basename in router.registry if router else []:
            if basename == "deadline-rule":
                continue  # public law, the same for everyone: not case data
            model = viewset.queryset.model._meta.model_name
            with CaptureQueriesContext(connection) as listing:
                rows = client.get(reverse(f"{basename}-list")).json()["results"]
            own_queries(listing)  # one INSERT for the whole page of rows
            listed = AccessLogEntry.objects.filter(route=f"{basename}-list", record=model)
            assert sorted(listed.values_list("object_id", flat=True)) == sorted(
                str(row["id"]) for row in rows
            ), basename
            if rows:
                client.get(reverse(f"{basename}-detail", args=[rows[0]["id"]]))
                entry = AccessLogEntry.objects.get(route=f"{basename}-detail")
                assert (entry.record, entry.object_id, entry.channel) == (
                    model,
                    str(rows[0]["id"]),
                    "api",
                ), basename
                if "case" in rows[0]:
                    assert str(entry.case_id) == str(rows[0]["case"]), basename
    case = Case.objects.get(reference="ALA-2010-001")
    client.get(reverse("case-timeline", args=[case.pk]))
    assert AccessLogEntry.objects.filter(route="case-timeline", case_id=case.pk).count() == 1


# --- refused attempts ------------------------------------------------------------------------


def test_a_hidden_record_is_logged_as_a_denied_attempt(world):
    client = _reader(world.other_caseworker)
    assert client.get(world.case.get_absolute_url()).status_code == 404
    entry = AccessLogEntry.objects.get()
    assert (entry.denied, entry.status, entry.case_id, entry.username) == (
        True,
        404,
        world.case.pk,
        "other_caseworker",
    )


def test_a_forbidden_form_is_logged_as_denied(world):
    client = _reader(world.viewer)
    url = reverse("cases:case_update", args=[world.case.pk])
    assert client.get(url).status_code == 403
    assert AccessLogEntry.objects.filter(denied=True, status=403, path=url).exists()


def test_a_denied_api_detail_is_logged(world):
    client = APIClient()
    client.force_authenticate(world.other_caseworker)
    assert client.get(f"/api/v1/cases/{world.case.pk}/").status_code == 404
    entry = AccessLogEntry.objects.get()
    assert (entry.denied, entry.channel, entry.record, entry.object_id) == (
        True,
        "api",
        "case",
        str(world.case.pk),
    )


def test_an_entry_says_who_when_from_where(world):
    client = _reader(world.caseworker, REMOTE_ADDR="10.20.30.40", HTTP_USER_AGENT="Firefox/140")
    client.get(world.case.get_absolute_url() + "?tab=1")
    entry = AccessLogEntry.objects.get()
    assert entry.user_id == world.caseworker.pk
    assert (entry.ip, entry.user_agent, entry.channel, entry.query) == (
        "10.20.30.40",
        "Firefox/140",
        "page",
        "tab=1",
    )
    assert entry.at is not None


def test_the_admin_is_a_channel(world, extra_users):
    client = _reader(extra_users["superuser"])
    client.get(reverse("admin:cases_case_change", args=[world.case.pk]))
    entry = AccessLogEntry.objects.get(channel="admin")
    assert (entry.record, entry.object_id) == ("cases_case", str(world.case.pk))


def test_the_sign_in_and_the_account_pages_are_not_logged(world):
    client = _reader(world.caseworker)
    for name in ("account", "account_mfa", "language_set", "login"):
        client.get(reverse(name))
    assert not AccessLogEntry.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_log_is_append_only_in_the_database(world):
    client = _reader(world.caseworker)
    client.get(world.case.get_absolute_url())
    for change in (
        lambda: AccessLogEntry.objects.update(username="someone else"),
        lambda: AccessLogEntry.objects.all().delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert AccessLogEntry.objects.get().username == "caseworker"


# --- who has seen this -------------------------------------------------------------------------


def _reader(user, **defaults) -> Client:
    user.save()  # the factory's password, which the session checks
    client = Client(**defaults)
    client.force_login(user)
    return client


def test_admins_see_who_has_seen_a_case_and_others_do_not(world):
    _reader(world.viewer).get(world.case.get_absolute_url())
    admin_page = _reader(world.admin).get(world.case.get_absolute_url()).content.decode()
    assert "Who has seen this" in admin_page
    assert "<td>viewer</td>" in admin_page
    caseworker_page = _reader(world.caseworker).get(world.case.get_absolute_url())
    assert "Who has seen this" not in caseworker_page.content.decode()


def test_admins_see_who_has_seen_a_person(world):
    person = f.CasePartyFactory(case=world.case).person
    _reader(world.lawyer).get(person.get_absolute_url())
    page = _reader(world.admin).get(person.get_absolute_url()).content.decode()
    assert "<td>lawyer</td>" in page
    assert (
        "Who has seen this"
        not in _reader(world.viewer).get(person.get_absolute_url()).content.decode()
    )


# --- the access log page -----------------------------------------------------------------------

ADMINS = {"admin": 200, "other_admin": 200}
ACCESS_LOG_STATUS = {who: ADMINS.get(who, 403) for who in USERS}


class TestAccessLogPage(PageMatrix):
    url_name = "workspace:access_log"
    status = ACCESS_LOG_STATUS
    budget_user = "admin"
    # Session, user, the admin check, the count and the page of entries, the header's count.
    query_budget = 6

    def add_row(self, world):
        _reader(world.viewer).get(world.case.get_absolute_url())


class TestAccessLogExport(PageMatrix):
    url_name = "workspace:access_log_export"
    status = ACCESS_LOG_STATUS
    budget_user = "admin"
    query_budget = 6

    def add_row(self, world):
        _reader(world.viewer).get(world.case.get_absolute_url())


def test_an_admin_reads_only_their_organisations_entries_and_filters_them(world):
    _reader(world.viewer).get(world.case.get_absolute_url())
    _reader(world.other_caseworker).get(world.other_case.get_absolute_url())
    page = _reader(world.admin).get(reverse("workspace:access_log")).content.decode()
    assert world.case.get_absolute_url() in page
    assert world.other_case.get_absolute_url() not in page
    filtered = _reader(world.admin).get(reverse("workspace:access_log"), {"user": "nobody"})
    assert world.case.get_absolute_url() not in filtered.content.decode()
    bad = _reader(world.admin).get(reverse("workspace:access_log"), {"since": "not a date"})
    assert bad.status_code == 400
    assert "Enter a valid date" in bad.content.decode()


def test_the_export_is_csv_and_is_itself_logged(world):
    _reader(world.viewer).get(world.case.get_absolute_url())
    response = _reader(world.admin).get(reverse("workspace:access_log_export"))
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0].startswith("at,username,channel")
    assert "viewer" in body
    assert AccessLogEntry.objects.filter(channel="export", username="admin").exists()


def test_a_member_of_two_organisations_reading_the_others_file_stays_with_that_organisation(
    world,
):
    f.MembershipFactory(user=world.viewer, organisation=world.other_org, role=Role.VIEWER)
    _reader(world.viewer).get(world.other_case.get_absolute_url())
    _reader(world.viewer).get(reverse("cases:case_list"))
    own = _reader(world.admin).get(reverse("workspace:access_log")).content.decode()
    assert world.other_case.get_absolute_url() not in own
    assert reverse("cases:case_list") in own
    other = _reader(world.other_admin).get(reverse("workspace:access_log")).content.decode()
    assert world.other_case.get_absolute_url() in other


def test_the_dashboard_leads_admins_to_the_access_log(world):
    link = reverse("workspace:access_log")
    assert link in _reader(world.admin).get(reverse("workspace:dashboard")).content.decode()
    assert (
        link not in _reader(world.caseworker).get(reverse("workspace:dashboard")).content.decode()
    )
