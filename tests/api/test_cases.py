"""Cases, their parties and who they are shared with, through /api/v1/."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.choices import AccessRole
from cases.models import Case, CaseAccess, CaseParty
from cases.services import case_close
from tests import factories as f
from tests.api.matrix import EndpointMatrix, client_for
from tests.helpers import EDIT, SHARE, nothing_written, own_queries, party


class TestCases(EndpointMatrix):
    """The record is a new case of ``org`` shared with the lawyer, so that it is seen by exactly
    the users who see ``world.case`` (SEES), and the list grows with every record."""

    basename = "case"
    can_delete = False  # closed, never deleted

    def record(self, world):
        case = f.CaseFactory(organisation=world.org)
        f.CaseAccessFactory(case=case, user=world.lawyer, role=AccessRole.LAWYER)
        return case

    def create_data(self, world):
        return {
            "organisation": str(world.org.pk),
            "reference": "ALA-2012-100",
            "title": "Group of 29",
            "opened_on": "2012-01-10",
        }

    def update_data(self, world, record):
        return {"title": f"{record.title} (appeal)"}

    verbs = {"close": EDIT, "reopen": EDIT}

    def verb_call(self, world, verb):
        case = self.record(world)
        if verb == "reopen":
            case_close(acting_user=world.admin, case=case, closed_on=datetime.date(2012, 6, 1))
            return case, {}
        return case, {"closed_on": "2012-06-01"}


class TestCaseParties(EndpointMatrix):
    basename = "case-party"
    can_update = False  # a party is removed and added again

    def record(self, world):
        return f.CasePartyFactory(case=world.case)

    def create_data(self, world):
        person = f.PersonFactory(organisation=world.org)
        return {"case": str(world.case.pk), "person": str(person.pk), "role": "principal"}


class TestCaseAccess(EndpointMatrix):
    basename = "case-access"
    writes = SHARE
    deletes = SHARE

    def record(self, world):
        return f.CaseAccessFactory(case=world.case, user=f.UserFactory(), role=AccessRole.LAWYER)

    def create_data(self, world):
        return {"case": str(world.case.pk), "user": f.UserFactory().pk, "role": "lawyer"}

    def update_data(self, world, record):
        return {"role": "viewer"}


def _url(case, verb=None):
    return f"/api/v1/cases/{case.pk}/" + (f"{verb}/" if verb else "")


# --- cases ----------------------------------------------------------------------------------


def test_case_lists_its_parties(world):
    people = {party(world.case).pk, party(world.case).pk}
    response = client_for(world.caseworker).get(_url(world.case))
    assert {str(pk) for pk in people} == set(response.json()["parties"])


def test_case_list_queries_do_not_grow_with_50_cases(db):
    user = f.MembershipFactory().user
    organisation = user.memberships.get().organisation
    f.CasePartyFactory(case=f.CaseFactory(organisation=organisation, lead=user))
    client = client_for(user)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/cases/").json()["results"]) == 1
    for _ in range(49):
        case = f.CaseFactory(organisation=organisation, lead=user)
        f.CasePartyFactory.create_batch(2, case=case)
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get("/api/v1/cases/").json()["results"]) == 50
    # Two queries and the read audit's one INSERT, for 1 entry or 50 (issue #10).
    assert len(own_queries(fifty)) == len(own_queries(one)) == 2, "\n".join(
        q["sql"] for q in fifty.captured_queries
    )


def test_opening_a_case_records_who_opened_it(world):
    response = client_for(world.caseworker).post(
        "/api/v1/cases/",
        {
            "organisation": str(world.org.pk),
            "reference": "ALA-2012-101",
            "title": "Single case",
            "opened_on": "2012-02-01",
            "lead": world.caseworker.pk,
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "open"
    case = Case.objects.get(pk=response.json()["id"])
    assert case.events.get().actor == world.caseworker


def test_duplicate_reference_is_a_400_naming_the_reference(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            "/api/v1/cases/",
            {
                "organisation": str(world.org.pk),
                "reference": world.case.reference,
                "title": "Same reference",
                "opened_on": "2012-02-01",
            },
        )
    assert response.status_code == 400
    assert "already has this reference" in response.json()["reference"][0]


def test_lead_must_be_a_member_of_the_case_organisation(world):
    client = client_for(world.admin)
    with nothing_written():
        outsider = client.patch(_url(world.case), {"lead": world.other_caseworker.pk})
    assert outsider.status_code == 400
    assert "lead" in outsider.json()
    member = client.patch(_url(world.case), {"lead": world.viewer.pk})
    assert member.status_code == 200, member.json()
    assert member.json()["lead"] == world.viewer.pk


def test_only_admins_restrict_a_case(world):
    with nothing_written():
        denied = client_for(world.caseworker).patch(_url(world.case), {"restricted": True})
    assert denied.status_code == 403
    allowed = client_for(world.admin).patch(_url(world.case), {"restricted": True})
    assert allowed.status_code == 200, allowed.json()
    assert client_for(world.caseworker).get(_url(world.case)).status_code == 404


def test_opened_on_is_set_once(world):
    with nothing_written():
        response = client_for(world.caseworker).patch(_url(world.case), {"opened_on": "2010-01-01"})
    assert response.status_code == 400
    assert "opened_on" in response.json()


def test_close_and_reopen(world):
    client = client_for(world.caseworker)
    closed = client.post(_url(world.case, "close"), {"closed_on": "2012-06-01"})
    assert closed.status_code == 200, closed.json()
    assert (closed.json()["status"], closed.json()["closed_on"]) == ("closed", "2012-06-01")
    assert closed["ETag"]
    again = client.post(_url(world.case, "close"), {"closed_on": "2012-06-02"})
    assert again.status_code == 400
    assert "already closed" in again.json()["status"][0]
    reopened = client.post(_url(world.case, "reopen"))
    assert reopened.status_code == 200, reopened.json()
    assert (reopened.json()["status"], reopened.json()["closed_on"]) == ("open", None)
    kinds = list(world.case.events.order_by("at").values_list("kind", flat=True))
    assert kinds[-2:] == ["case.closed", "case.reopened"]


def test_closing_before_opening_is_a_400_naming_closed_on(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            _url(world.case, "close"), {"closed_on": "2010-01-01"}
        )
    assert response.status_code == 400
    assert "close before it opened" in response.json()["closed_on"][0]


def test_close_needs_a_date(world):
    with nothing_written():
        response = client_for(world.caseworker).post(_url(world.case, "close"), {})
    assert response.status_code == 400
    assert "closed_on" in response.json()


def test_verbs_follow_the_rights_and_the_scope(world):
    for who, status in [("viewer", 403), ("lawyer", 403), ("other_admin", 404)]:
        with nothing_written():
            response = client_for(getattr(world, who)).post(
                _url(world.case, "close"), {"closed_on": "2012-06-01"}
            )
        assert response.status_code == status, who


def test_stale_if_match_on_a_verb_is_a_412_and_changes_nothing(world):
    client = client_for(world.caseworker)
    etag = client.get(_url(world.case))["ETag"]
    assert client.patch(_url(world.case), {"title": "Renamed"}).status_code == 200
    with nothing_written():
        stale = client.post(
            _url(world.case, "close"), {"closed_on": "2012-06-01"}, HTTP_IF_MATCH=etag
        )
    assert stale.status_code == 412
    fresh = client.get(_url(world.case))["ETag"]
    closed = client.post(
        _url(world.case, "close"), {"closed_on": "2012-06-01"}, HTTP_IF_MATCH=fresh
    )
    assert closed.status_code == 200, closed.json()


def test_unknown_status_is_a_400(world):
    response = client_for(world.caseworker).get("/api/v1/cases/?status=bogus")
    assert response.status_code == 400
    assert "status" in response.json()


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_case_filters(world):
    client = client_for(world.admin)
    Case.objects.filter(pk=world.case.pk).update(lead=world.caseworker)
    person = party(world.case)
    closed = f.CaseFactory(
        organisation=world.org,
        opened_on=datetime.date(2011, 3, 1),
        status="closed",
        closed_on=datetime.date(2012, 1, 1),
    )
    case, restricted, unshared = (str(c.pk) for c in (world.case, world.restricted, world.unshared))
    assert _ids(client.get("/api/v1/cases/?status=closed")) == {str(closed.pk)}
    assert _ids(client.get("/api/v1/cases/?restricted=true")) == {restricted}
    assert _ids(client.get("/api/v1/cases/?opened_after=2011-01-01")) == {str(closed.pk)}
    assert _ids(client.get("/api/v1/cases/?opened_before=2011-01-01")) == {
        case,
        restricted,
        unshared,
    }
    assert _ids(client.get(f"/api/v1/cases/?lead={world.caseworker.pk}")) == {case}
    assert _ids(client.get(f"/api/v1/cases/?person={person.pk}")) == {case}
    # Another organisation's person filters to nothing, like an unknown one.
    stranger = f.CasePartyFactory(case=world.other_case).person
    assert _ids(client.get(f"/api/v1/cases/?person={stranger.pk}")) == set()


# --- case parties ---------------------------------------------------------------------------


def test_a_person_is_a_party_once(world):
    person = party(world.case)
    with nothing_written():
        response = client_for(world.caseworker).post(
            "/api/v1/case-parties/",
            {"case": str(world.case.pk), "person": str(person.pk), "role": "family"},
        )
    assert response.status_code == 400
    assert "already a party" in response.json()["person"][0]


def test_a_party_of_another_organisation_is_refused(world):
    person = f.PersonFactory(organisation=world.other_org)
    with nothing_written():
        response = client_for(world.caseworker).post(
            "/api/v1/case-parties/", {"case": str(world.case.pk), "person": str(person.pk)}
        )
    assert response.status_code == 400
    assert "person" in response.json()


def test_a_party_with_records_in_the_case_stays(world):
    detention = f.DetentionFactory(case=world.case)
    record = CaseParty.objects.get(case=world.case, person=detention.person)
    with nothing_written():
        response = client_for(world.caseworker).delete(f"/api/v1/case-parties/{record.pk}/")
    assert response.status_code == 400
    assert "remove those records first" in response.json()["person"][0]


def test_stale_if_match_on_removing_a_party_is_a_412(world):
    record = f.CasePartyFactory(case=world.case)
    client = client_for(world.caseworker)
    etag = client.get(f"/api/v1/case-parties/{record.pk}/")["ETag"]
    CaseParty.objects.filter(pk=record.pk).update(role="witness")
    with nothing_written():
        stale = client.delete(f"/api/v1/case-parties/{record.pk}/", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412


def test_case_party_filters(world):
    client = client_for(world.caseworker)
    principal = f.CasePartyFactory(case=world.case)
    witness = f.CasePartyFactory(case=world.case, role="witness")
    elsewhere = f.CasePartyFactory(case=world.unshared, person=principal.person)
    assert _ids(client.get(f"/api/v1/case-parties/?case={world.case.pk}")) == {
        str(principal.pk),
        str(witness.pk),
    }
    assert _ids(client.get(f"/api/v1/case-parties/?person={principal.person.pk}")) == {
        str(principal.pk),
        str(elsewhere.pk),
    }
    assert _ids(client.get("/api/v1/case-parties/?role=witness")) == {str(witness.pk)}


# --- sharing --------------------------------------------------------------------------------


def test_sharing_gives_access_and_revoking_takes_it_away(world):
    colleague = f.UserFactory(username="second_lawyer")
    case_url = _url(world.unshared)
    assert client_for(colleague).get(case_url).status_code == 404
    shared = client_for(world.caseworker).post(
        "/api/v1/case-access/",
        {"case": str(world.unshared.pk), "user": colleague.pk, "role": "lawyer"},
    )
    assert shared.status_code == 201, shared.json()
    assert shared.json()["granted_by"] == world.caseworker.pk
    assert client_for(colleague).get(case_url).status_code == 200
    revoked = client_for(world.caseworker).delete(f"/api/v1/case-access/{shared.json()['id']}/")
    assert revoked.status_code == 204
    assert client_for(colleague).get(case_url).status_code == 404


def test_changing_the_role_of_a_share(world):
    access = CaseAccess.objects.get(case=world.case, user=world.lawyer)
    response = client_for(world.admin).patch(
        f"/api/v1/case-access/{access.pk}/", {"role": "caseworker"}
    )
    assert response.status_code == 200, response.json()
    access.refresh_from_db()
    assert access.role == "caseworker"
    # The lawyer may now change the case's records, and name its lead.
    renamed = client_for(world.lawyer).patch(
        _url(world.case), {"title": "Renamed", "lead": world.caseworker.pk}
    )
    assert renamed.status_code == 200, renamed.json()


def test_a_share_cannot_move_to_another_user(world):
    access = CaseAccess.objects.get(case=world.case, user=world.lawyer)
    with nothing_written():
        response = client_for(world.admin).patch(
            f"/api/v1/case-access/{access.pk}/", {"user": world.stranger.pk}
        )
    assert response.status_code == 400
    assert "revoke it" in response.json()["user"][0]


def test_sharing_twice_is_a_400_pointing_to_patch(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            "/api/v1/case-access/",
            {"case": str(world.case.pk), "user": world.lawyer.pk, "role": "viewer"},
        )
    assert response.status_code == 400
    assert "PATCH" in response.json()["user"][0]


def test_sharing_with_a_disabled_or_unknown_user_is_a_400(world):
    disabled = f.UserFactory(username="disabled", is_active=False)
    client = client_for(world.caseworker)
    for user_id in (disabled.pk, 999_999):
        with nothing_written():
            response = client.post(
                "/api/v1/case-access/", {"case": str(world.case.pk), "user": user_id}
            )
        assert response.status_code == 400
        assert response.json()["user"] == [f"No active user has the id {user_id}."]


def test_case_access_filters(world):
    client = client_for(world.admin)
    other = f.CaseAccessFactory(case=world.unshared, user=world.lawyer)
    assert _ids(client.get(f"/api/v1/case-access/?user={world.lawyer.pk}")) == {
        str(CaseAccess.objects.get(case=world.case).pk),
        str(other.pk),
    }
    assert _ids(client.get(f"/api/v1/case-access/?case={world.unshared.pk}")) == {str(other.pk)}
