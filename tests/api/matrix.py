"""The permission matrix every endpoint inherits (DESIGN §9, STYLE.md "inherited test
matrices"): a resource's test class declares only its data.

Subclass as ``Test<Resource>(EndpointMatrix)`` and define ``basename``, ``record(world)`` (a
record in ``world.case``), ``create_data(world)`` and ``update_data(world, record)``. Every user
of the ``world`` fixture then reads, creates, changes and deletes through the API, on the same
data, and the outcome is checked against the rights tables of tests/helpers.py. A resource with
verbs (``POST …/<id>/end/``) names each in ``verbs`` with who may call it, and gives the record
and body of a call in ``verb_call(world, verb)``: whoever may not gets exactly 403 if they see
the record and 404 if not, and nothing is written. The coverage test fails on a verb of the
viewset that ``verbs`` does not name.
``tests/api/test_matrix_coverage.py`` fails when an endpoint has no such class.

An endpoint whose access does not follow ``world.case`` cannot inherit the matrix: deadline
rules, shared reference data that every signed-in user reads. Its test class tests every user
and method itself, names the endpoint in ``covers_endpoint = "<basename>"`` without
subclassing EndpointMatrix, and says why in ``matrix_exempt_reason``; the coverage test counts
such a class as the endpoint's matrix.
"""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests.helpers import DELETE, EDIT, nothing_written, plant_contact_details, planted_in

USERS = ["admin", "caseworker", "viewer", "lawyer", "other_caseworker", "other_admin", "stranger"]
# Who sees world.case: its organisation's members, and the lawyer it is shared with.
SEES = {"admin", "caseworker", "viewer", "lawyer"}


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None and user.is_authenticated:
        client.force_authenticate(user)
    return client


class EndpointMatrix:
    basename: str = ""
    writes: dict[str, bool] = EDIT  # who may create and change (by role, on world.case)
    deletes: dict[str, bool] = DELETE
    # False for a resource that does not offer the method at all: it must answer 405 (or 404 to
    # whoever cannot see the record), and the stale-If-Match test is skipped without updates.
    can_create = can_update = can_delete = True
    #: How ``create_data`` is posted: "json", or "multipart" for an upload.
    create_format = "json"
    #: Fields a viewer never receives (contact details and addresses).
    contact_fields: tuple[str, ...] = ()
    #: The record's verbs (``POST …/<id>/<verb>/``) and who may call each, by role.
    verbs: dict[str, dict[str, bool]] = {}

    def record(self, world):
        raise NotImplementedError

    def create_data(self, world) -> dict:
        raise NotImplementedError

    def update_data(self, world, record) -> dict:
        raise NotImplementedError

    def verb_call(self, world, verb: str) -> tuple[Any, dict]:
        """A record on which ``verb`` may be called now, and the body a caller sends."""
        raise NotImplementedError

    def stale_write(self, world, record) -> tuple[str, str, dict] | None:
        """The write the If-Match test sends twice with one ETag: (method, url, data). A PATCH
        of ``update_data``; a resource without updates may name a verb (``POST .../met/``), or
        None when no write changes its records (the test is then skipped)."""
        if not self.can_update:
            return None
        return "patch", self.detail_url(record), self.update_data(world, record)

    def list_url(self) -> str:
        return reverse(f"{self.basename}-list")

    def detail_url(self, record) -> str:
        return reverse(f"{self.basename}-detail", args=[record.pk])

    # --- reads ------------------------------------------------------------------------

    def test_anonymous_is_refused(self, world):
        record = self.record(world)
        client = APIClient()
        assert client.get(self.list_url()).status_code == 401
        assert client.get(self.detail_url(record)).status_code == 401

    @pytest.mark.parametrize("who", USERS)
    def test_read(self, world, who):
        record = self.record(world)
        plant_contact_details()
        client = client_for(getattr(world, who))
        listing = client.get(self.list_url())
        detail = client.get(self.detail_url(record))
        if who == "viewer":
            # No field, nested record or stored value may hand a viewer the contact details
            # planted on every person and relative (issue #17).
            for response in (listing, detail):
                assert not planted_in(response), response.json()
        ids = {row["id"] for row in listing.json()["results"]}
        assert listing.status_code == 200
        if who in SEES:
            assert str(record.pk) in ids
            assert detail.status_code == 200
            assert detail["ETag"]
            hidden = set(self.contact_fields) & set(detail.json())
            assert not hidden if who == "viewer" else True, f"viewer got {hidden}"
        else:
            assert str(record.pk) not in ids
            assert detail.status_code == 404

    # --- writes -----------------------------------------------------------------------

    @pytest.mark.parametrize("who", USERS)
    def test_create(self, world, who):
        client = client_for(getattr(world, who))
        if not self.can_create:
            # No POST on the list: 405 to everyone signed in, before any validation.
            with nothing_written():
                response = client.post(self.list_url(), {}, format="json")
            assert response.status_code == 405
            return
        data = self.create_data(world)
        if self.writes.get(who, False):
            response = client.post(self.list_url(), data, format=self.create_format)
            assert response.status_code == 201, response.json()
        else:
            with nothing_written():
                response = client.post(self.list_url(), data, format=self.create_format)
            assert response.status_code in (400, 403), response.json()

    @pytest.mark.parametrize("who", USERS)
    def test_update(self, world, who):
        record = self.record(world)
        client = client_for(getattr(world, who))
        if not self.can_update:
            # No PUT/PATCH on the resource: 405, or 404 to whoever cannot see the record.
            with nothing_written():
                response = client.patch(self.detail_url(record), {}, format="json")
            assert response.status_code in ((405,) if who in SEES else (404, 405))
            return
        data = self.update_data(world, record)
        if self.writes.get(who, False):
            response = client.patch(self.detail_url(record), data, format="json")
            assert response.status_code == 200, response.json()
        else:
            with nothing_written():
                response = client.patch(self.detail_url(record), data, format="json")
            assert response.status_code == (403 if who in SEES else 404)

    @pytest.mark.parametrize("who", USERS)
    def test_delete(self, world, who):
        record = self.record(world)
        client = client_for(getattr(world, who))
        if self.can_delete and self.deletes.get(who, False):
            assert client.delete(self.detail_url(record)).status_code == 204
        else:
            with nothing_written():
                response = client.delete(self.detail_url(record))
            # A resource that offers no DELETE may answer 405 before looking the record up.
            hidden = (404,) if self.can_delete else (404, 405)
            assert response.status_code in ((403, 405) if who in SEES else hidden)

    def test_verb(self, world, verb, who):
        """One verb called by one user; parametrised from ``verbs`` (tests/api/conftest.py)."""
        record, data = self.verb_call(world, verb)
        url = reverse(f"{self.basename}-{verb}", args=[record.pk])
        client = client_for(getattr(world, who))
        if self.verbs[verb].get(who, False):
            response = client.post(url, data, format="json")
            assert response.status_code == 200, response.json()
            assert response.json()["id"] == str(record.pk)
            assert response["ETag"]
        else:
            with nothing_written():
                response = client.post(url, data, format="json")
            assert response.status_code == (403 if who in SEES else 404), response.json()

    def test_stale_if_match_is_refused_and_changes_nothing(self, world):
        record = self.record(world)
        write = self.stale_write(world, record)
        if write is None:
            pytest.skip("no write changes this record")
        method, url, data = write
        client = client_for(world.caseworker)
        send = getattr(client, method)
        etag = client.get(self.detail_url(record))["ETag"]
        fresh = send(url, data, format="json", HTTP_IF_MATCH=etag)
        assert fresh.status_code == 200, fresh.json()
        with nothing_written():
            stale = send(url, data, format="json", HTTP_IF_MATCH=etag)
        assert stale.status_code == 412

    def test_list_queries_do_not_grow_with_rows(self, world):
        client = client_for(world.caseworker)
        self.record(world)
        with CaptureQueriesContext(connection) as one:
            assert client.get(self.list_url()).status_code == 200
        for _ in range(49):  # 1 row, then 50 (issue #4)
            self.record(world)
        with CaptureQueriesContext(connection) as many:
            assert client.get(self.list_url()).status_code == 200
        assert len(many) == len(one), "\n".join(q["sql"] for q in many.captured_queries)
