"""The permission matrix and query budget every browser page inherits (DESIGN §9, issue #5).

A page's test class declares only its data:

* ``url_name``: the URL's name (``"workspace:case_detail"``); ``test_page_coverage.py`` fails when a
  page has no class naming it.
* ``url(world)``: the address of the page, for a record in ``world.case`` where it has one.
* ``status``: what each user of the ``world`` fixture gets: by default 200 for those who see
  ``world.case`` (its organisation's members and the lawyer it is shared with) and 404 for the
  rest, exactly as for a record that does not exist. A form that a viewer may see but not use
  answers them 403.
* ``add_row(world)``: one more row of what the page lists (a deadline on the dashboard, a note on
  the case page). The page is fetched with 1 row and with 50, and must make the same number of
  queries (``query_budget`` caps it).

``PageMatrix`` checks a GET. ``ActionMatrix`` checks a POST-only action (acknowledge, mark met,
close a case): allowed users are redirected, the others get 403 or 404 and nothing is written.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casetracker.access_log import NOT_LOGGED
from tests.helpers import nothing_written, own_queries, plant_contact_details, planted_in

USERS = ["admin", "caseworker", "viewer", "lawyer", "other_caseworker", "other_admin", "stranger"]
# Who sees world.case: its organisation's members, and the lawyer it is shared with.
SEES = {"admin", "caseworker", "viewer", "lawyer"}
VISIBLE = {who: (200 if who in SEES else 404) for who in USERS}
EVERYONE = dict.fromkeys(USERS, 200)
# A form for changing world.case's records: viewers and the lawyer see the case but may not.
EDIT_FORM = {**VISIBLE, "viewer": 403, "lawyer": 403}
# Filing an update (a note, a document, a decision): the lawyer may too.
FILE_FORM = {**VISIBLE, "viewer": 403}


def client_for(user) -> Client:
    client = Client()
    if user is not None and user.is_authenticated:
        user.save()  # the factory's password, which the session checks
        client.force_login(user)
    return client


def sql_of(context: CaptureQueriesContext) -> str:
    return "\n".join(q["sql"] for q in context.captured_queries)


class PageMatrix:
    url_name: str = ""
    status: dict[str, int] = VISIBLE
    #: The most queries the page may make with 50 rows.
    query_budget: int = 20
    #: Who fetches the page for the query budget.
    budget_user = "caseworker"

    def url(self, world) -> str:
        return reverse(self.url_name)

    def add_row(self, world) -> None:
        raise NotImplementedError

    def budget_viewer(self, world):
        """Who fetches the page for the query budget: ``budget_user`` of the world, unless a
        page that none of them may see (the operators' backups page) names someone else."""
        return getattr(world, self.budget_user)

    def test_anonymous_is_sent_to_sign_in(self, world):
        url = self.url(world)
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    @pytest.mark.parametrize("who", USERS)
    def test_access(self, world, who):
        url = self.url(world)
        plant_contact_details()
        response = client_for(getattr(world, who)).get(url)
        assert response.status_code == self.status[who], (who, url)
        if who == "viewer":
            # The contact details planted on every person and relative reach no viewer, on
            # the page or in a fragment (issue #17).
            assert not planted_in(response), url
        if response.status_code == 200:
            assert (
                response["Cache-Control"] == "no-store, private"
                or "no-store" in response["Cache-Control"]
            ), "a page of case data must not be cached"

    def test_queries_do_not_grow_with_rows(self, world):
        url = self.url(world)
        client = client_for(self.budget_viewer(world))
        self.add_row(world)
        with CaptureQueriesContext(connection) as one:
            assert client.get(url).status_code == 200
        for _ in range(49):  # 1 row, then 50
            self.add_row(world)
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        # The read audit writes one entry per request, whatever the rows (issue #10); the
        # budget is the page's own queries.
        audited = self.url_name not in NOT_LOGGED
        one_own, many_own = own_queries(one, audited=audited), own_queries(many, audited=audited)
        assert len(many_own) == len(one_own), sql_of(many)
        assert len(many_own) <= self.query_budget, sql_of(many)


class ActionMatrix:
    """A POST-only action. ``allowed``: who may do it (redirected, 302); whoever sees the case
    but may not gets 403, whoever cannot see it 404, and neither changes anything."""

    url_name: str = ""
    allowed: dict[str, bool] = {}

    def url(self, world) -> str:
        raise NotImplementedError

    def data(self, world) -> dict:
        return {}

    def test_anonymous_is_sent_to_sign_in(self, world):
        url = self.url(world)
        with nothing_written():
            response = Client().post(url, self.data(world))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_get_is_not_allowed(self, world):
        response = client_for(world.caseworker).get(self.url(world))
        assert response.status_code == 405

    @pytest.mark.parametrize("who", USERS)
    def test_post(self, world, who):
        url, data = self.url(world), self.data(world)
        client = client_for(getattr(world, who))
        if self.allowed.get(who, False):
            response = client.post(url, data)
            assert response.status_code == 302, response.content.decode()[:2000]
        else:
            with nothing_written():
                response = client.post(url, data)
            assert response.status_code == (403 if who in SEES else 404), who
