"""Opening, changing, closing and reopening a case; adding and removing its parties; sharing
it with a user (issue #5). Each form writes through its service or, refused, writes nothing
and says why next to the field."""

import re
from datetime import date

from django.urls import reverse

from cases.choices import AccessRole, CaseStatus
from cases.models import Case, CaseAccess, CaseParty
from organisations.choices import Role
from tests import factories as f
from tests.helpers import nothing_written, party
from tests.pages.form_helpers import (
    FormMatrix,
    Timeline,
    client_for,
    field_errors,
    field_value,
    form_errors,
)
from tests.pages.matrix import USERS, ActionMatrix

# Opening a case (or recording a person) needs a caseworker's or admin's membership, in any
# organisation; nothing else is looked up, so nobody gets a 404.
STAFF_ANYWHERE = {
    **dict.fromkeys(USERS, 403),
    "admin": 200,
    "caseworker": 200,
    "other_caseworker": 200,
    "other_admin": 200,
}
STAFF_OF_THE_CASE = {"admin": True, "caseworker": True}


# --- opening a case -----------------------------------------------------------------------


class TestCaseCreate(FormMatrix):
    url_name = "cases:case_create"
    status = STAFF_ANYWHERE

    def url(self, world) -> str:
        return reverse(self.url_name)

    def add_row(self, world) -> None:
        # Another colleague to choose as the lead.
        f.MembershipFactory(organisation=world.org, role=Role.CASEWORKER)


CASE = {"reference": "ALA-2011-007", "title": "Yusupbekov", "opened_on": "2011-02-01"}


def test_the_only_organisation_is_preselected(world):
    response = client_for(world.caseworker).get(reverse("cases:case_create"))
    assert field_value(response, "organisation") == str(world.org.pk)
    assert str(world.other_org.pk) not in response.content.decode()


def test_opening_a_case_writes_through_the_service(world):
    timeline = Timeline()
    response = client_for(world.caseworker).post(
        reverse("cases:case_create"),
        {**CASE, "organisation": world.org.pk, "lead": world.caseworker.pk},
    )
    assert response.status_code == 302
    case = Case.objects.get(reference="ALA-2011-007")
    assert response["Location"] == case.get_absolute_url()
    assert (case.organisation, case.lead, case.opened_on) == (
        world.org,
        world.caseworker,
        date(2011, 2, 1),
    )
    assert [(e.kind, e.actor) for e in timeline.new()] == [("case.created", world.caseworker)]


def test_a_reference_already_used_is_refused_next_to_it(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:case_create"),
            {**CASE, "reference": world.case.reference, "organisation": world.org.pk},
        )
    assert response.status_code == 400
    assert "already has this reference" in field_errors(response, "reference")


def test_a_case_cannot_be_opened_in_another_organisation(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:case_create"), {**CASE, "organisation": world.other_org.pk}
        )
    assert response.status_code == 400
    assert "valid choice" in field_errors(response, "organisation")


# --- changing and closing -----------------------------------------------------------------


class TestCaseUpdate(FormMatrix):
    url_name = "cases:case_update"

    def url(self, world) -> str:
        return reverse(self.url_name, args=[world.case.pk])

    def add_row(self, world) -> None:
        f.MembershipFactory(organisation=world.org, role=Role.CASEWORKER)


def test_the_case_edit_form_shows_and_changes_its_values(world):
    url = reverse("cases:case_update", args=[world.case.pk])
    client = client_for(world.caseworker)
    response = client.get(url)
    assert field_value(response, "reference") == "ALA-2010-001"
    assert field_value(response, "title") == world.case.title
    timeline = Timeline()
    response = client.post(url, {"reference": "ALA-2010-001", "title": "Group of 29"})
    assert response.status_code == 302
    assert response["Location"] == world.case.get_absolute_url()
    world.case.refresh_from_db()
    assert world.case.title == "Group of 29"
    [event] = timeline.new()
    assert (event.kind, event.actor, event.data["after"]) == (
        "case.updated",
        world.caseworker,
        {"title": "Group of 29"},
    )


def test_only_an_admin_may_restrict_a_case(world):
    url = reverse("cases:case_update", args=[world.case.pk])
    data = {"reference": "ALA-2010-001", "title": world.case.title, "restricted": "on"}
    caseworker = client_for(world.caseworker)
    box = re.search(r'<input[^>]*name="restricted"[^>]*>', caseworker.get(url).content.decode())
    assert "disabled" in box.group(0)
    with nothing_written():
        # The box is disabled for a caseworker: what it posts is ignored.
        assert caseworker.post(url, data).status_code == 302
    assert client_for(world.admin).post(url, data).status_code == 302
    assert Case.objects.get(pk=world.case.pk).restricted


def test_a_lead_from_another_organisation_is_refused(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:case_update", args=[world.case.pk]),
            {"reference": "ALA-2010-001", "title": "x", "lead": world.other_caseworker.pk},
        )
    assert response.status_code == 400
    assert "valid choice" in field_errors(response, "lead")


class TestCaseClose(FormMatrix):
    url_name = "cases:case_close"

    def url(self, world) -> str:
        return reverse(self.url_name, args=[world.case.pk])


def test_closing_a_case_writes_through_the_service(world):
    timeline = Timeline()
    response = client_for(world.admin).post(
        reverse("cases:case_close", args=[world.case.pk]), {"closed_on": "2012-12-31"}
    )
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert (world.case.status, world.case.closed_on) == (CaseStatus.CLOSED, date(2012, 12, 31))
    assert ("case.closed", world.admin) in [(e.kind, e.actor) for e in timeline.new()]


def test_a_case_cannot_close_before_it_opened(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:case_close", args=[world.case.pk]), {"closed_on": "2001-01-01"}
        )
    assert response.status_code == 400
    assert "cannot close before it opened" in field_errors(response, "closed_on")


def _closed(case) -> Case:
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=date(2012, 1, 1))
    return case


def test_closing_a_closed_case_says_so(world):
    _closed(world.case)
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:case_close", args=[world.case.pk]), {"closed_on": "2012-12-31"}
        )
    assert response.status_code == 400
    assert "already closed" in form_errors(response)


class TestCaseReopen(ActionMatrix):
    url_name = "cases:case_reopen"
    allowed = STAFF_OF_THE_CASE

    def url(self, world) -> str:
        return reverse(self.url_name, args=[_closed(world.case).pk])


def test_reopening_a_case_writes_through_the_service(world):
    _closed(world.case)
    timeline = Timeline()
    response = client_for(world.caseworker).post(reverse("cases:case_reopen", args=[world.case.pk]))
    assert response.status_code == 302
    assert response["Location"] == world.case.get_absolute_url()
    world.case.refresh_from_db()
    assert (world.case.status, world.case.closed_on) == (CaseStatus.OPEN, None)
    assert ("case.reopened", world.caseworker) in [(e.kind, e.actor) for e in timeline.new()]


def test_reopening_an_open_case_changes_nothing_and_says_why(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:case_reopen", args=[world.case.pk]), follow=False
        )
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("already open" in m for m in messages)


# --- parties ------------------------------------------------------------------------------


class TestCasePartyAdd(FormMatrix):
    url_name = "cases:case_party_add"

    def url(self, world) -> str:
        return reverse(self.url_name, args=[world.case.pk])

    def add_row(self, world) -> None:
        f.PersonFactory(organisation=world.org)  # one more person to choose


def test_the_party_form_offers_the_organisations_people_not_yet_parties(world):
    already = party(world.case)
    candidate = f.PersonFactory(organisation=world.org)
    foreign = f.PersonFactory(organisation=world.other_org)
    content = (
        client_for(world.caseworker)
        .get(reverse("cases:case_party_add", args=[world.case.pk]))
        .content.decode()
    )
    assert str(candidate.pk) in content
    assert str(already.pk) not in content and str(foreign.pk) not in content


def test_adding_a_party_writes_through_the_service(world):
    person = f.PersonFactory(organisation=world.org)
    timeline = Timeline()
    response = client_for(world.caseworker).post(
        reverse("cases:case_party_add", args=[world.case.pk]),
        {"person": person.pk, "role": "family"},
    )
    assert response.status_code == 302
    added = CaseParty.objects.get(case=world.case, person=person)
    assert response["Location"] == added.get_absolute_url()
    assert added.role == "family"
    assert [(e.kind, e.actor) for e in timeline.new()] == [("caseparty.created", world.caseworker)]


def test_a_person_of_another_organisation_cannot_be_added(world):
    foreign = f.PersonFactory(organisation=world.other_org)
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:case_party_add", args=[world.case.pk]),
            {"person": foreign.pk, "role": "principal"},
        )
    assert response.status_code == 400
    assert "valid choice" in field_errors(response, "person")


class TestCasePartyRemove(ActionMatrix):
    url_name = "cases:case_party_remove"
    allowed = STAFF_OF_THE_CASE

    def url(self, world) -> str:
        return reverse(self.url_name, args=[f.CasePartyFactory(case=world.case).pk])


def test_removing_a_party_with_records_in_the_case_is_refused(world):
    detention = f.DetentionFactory(case=world.case)
    link = CaseParty.objects.get(case=world.case, person=detention.person)
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:case_party_remove", args=[link.pk])
        )
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("has records in the case" in m for m in messages)


def test_removing_a_party_writes_through_the_service(world):
    link = f.CasePartyFactory(case=world.case)
    timeline = Timeline()
    response = client_for(world.caseworker).post(reverse("cases:case_party_remove", args=[link.pk]))
    assert response.status_code == 302
    assert not CaseParty.objects.filter(pk=link.pk).exists()
    assert [(e.kind, e.actor) for e in timeline.new()] == [("caseparty.deleted", world.caseworker)]


# --- sharing ------------------------------------------------------------------------------


class TestCaseAccessAdd(FormMatrix):
    url_name = "cases:case_access_add"

    def url(self, world) -> str:
        return reverse(self.url_name, args=[world.case.pk])


def test_sharing_a_case_by_username_writes_through_the_service(world):
    timeline = Timeline()
    response = client_for(world.caseworker).post(
        reverse("cases:case_access_add", args=[world.case.pk]),
        {"username": "stranger", "role": AccessRole.LAWYER},
    )
    assert response.status_code == 302
    access = CaseAccess.objects.get(case=world.case, user=world.stranger)
    assert response["Location"] == access.get_absolute_url()
    assert (access.role, access.granted_by) == (AccessRole.LAWYER, world.caseworker)
    assert [(e.kind, e.actor) for e in timeline.new()] == [("caseaccess.created", world.caseworker)]


def test_an_unknown_username_is_refused_next_to_it(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:case_access_add", args=[world.case.pk]),
            {"username": "nobody", "role": AccessRole.LAWYER},
        )
    assert response.status_code == 400
    assert "No active user signs in as “nobody”" in field_errors(response, "username")


class TestCaseAccessRemove(ActionMatrix):
    url_name = "cases:case_access_remove"
    allowed = STAFF_OF_THE_CASE

    def url(self, world) -> str:
        access = CaseAccess.objects.get(case=world.case, user=world.lawyer)
        return reverse(self.url_name, args=[access.pk])


def test_revoking_access_writes_through_the_service(world):
    access = CaseAccess.objects.get(case=world.case, user=world.lawyer)
    timeline = Timeline()
    response = client_for(world.admin).post(reverse("cases:case_access_remove", args=[access.pk]))
    assert response.status_code == 302
    assert not CaseAccess.objects.filter(pk=access.pk).exists()
    assert [(e.kind, e.actor) for e in timeline.new()] == [("caseaccess.deleted", world.admin)]
