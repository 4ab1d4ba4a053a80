"""The person page (issue #5): names in every spelling, details, contact details for those who
may see them only, relatives, status under each authority, and the person's records in the
cases the user may see, nothing from the others."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from cases.choices import RequestStatus
from people.choices import DatePrecision, NameKind, Script
from rulings.choices import Authority, StatusOutcome
from tests import factories as f
from tests.helpers import party
from tests.pages.matrix import PageMatrix, client_for

PHONE = "+7 701 555 0199"
ADDRESS = "Tole bi 12, Almaty"
RELATIVE_PHONE = "+7 777 123 4567"


def page_of(world, person, who="caseworker"):
    response = client_for(getattr(world, who)).get(person.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def person(world):
    """A party to ``world.case`` with contact details, a relative, and another spelling."""
    person = party(world.case)
    person.phone, person.address = PHONE, ADDRESS
    person.citizenships = ["UZ"]
    person.languages = ["uz", "ru"]
    person.birth_date, person.birth_date_precision = datetime.date(1978, 1, 1), DatePrecision.YEAR
    person.save()
    f.PersonNameFactory(person=person, name="Абдусаматов Рустам", script=Script.CYRILLIC)
    f.RelationshipFactory(person=person, relative_name="Dilnoza", phone=RELATIVE_PHONE)
    return person


class TestPersonPage(PageMatrix):
    url_name = "workspace:person_detail"
    # Session, user, alerts badge (3); the person and their names (2); statuses (1);
    # detentions, requests and their stages (3); complaints, measures, decisions (3); cases (1);
    # the high-risk flag (2); contact and edit rights (2); relatives, which are visible (2); the
    # interim-measure flag (1): 20 for 1 row or 50. Possible duplicates (issue #12): the
    # proposed people (1), and when there are some their spellings and shared cases (3): 24.
    query_budget = 24

    def url(self, world):
        return reverse(self.url_name, args=[party(world.case).pk])

    def add_row(self, world):
        person = world.case.parties.order_by("created_at").first()
        f.DetentionFactory(
            case=world.case,
            person=person,
            started_on=datetime.date(1990, 1, 1)
            + datetime.timedelta(days=10 * person.detentions.count()),
            ended_on=datetime.date(1990, 1, 1)
            + datetime.timedelta(days=10 * person.detentions.count() + 1),
            end_reason="released",
        )
        f.StatusDecisionFactory(case=world.case, person=person)
        request = f.ExtraditionRequestFactory(case=world.case, person=person)
        f.ExtraditionDecisionFactory(request=request)
        complaint = f.ComplaintFactory(case=world.case)
        complaint.complainants.set([person])
        f.InterimMeasureFactory(complaint=complaint)
        f.PersonNameFactory(person=person)
        f.RelationshipFactory(person=person, relative=party(world.case), relative_name="")


def test_a_viewer_gets_no_phone_or_address_anywhere_in_the_page(world, person):
    viewer = page_of(world, person, "viewer")
    caseworker = page_of(world, person, "caseworker")
    lawyer = page_of(world, person, "lawyer")

    for secret in (PHONE, ADDRESS, RELATIVE_PHONE, PHONE.replace(" ", "")):
        assert secret not in viewer
    assert PHONE in caseworker and ADDRESS in caseworker and RELATIVE_PHONE in caseworker
    assert PHONE in lawyer


def test_names_details_and_relatives_are_shown(world, person):
    html = page_of(world, person)

    assert "Абдусаматов Рустам" in html and "Cyrillic" in html and "transliteration" in html
    assert "Uzbekistan" in html
    assert "1978" in html and "year only" in html
    assert "Uzbek" in html and "Russian" in html
    assert "Dilnoza" in html


def test_a_stateless_person_is_shown_as_such(world):
    person = party(world.case)
    person.citizenships = ["XX"]
    person.save()

    assert "Stateless" in page_of(world, person)


def test_status_under_each_authority_is_the_latest_decision_with_history(world, person):
    f.StatusDecisionFactory(
        case=world.case,
        person=person,
        authority=Authority.UNHCR_MANDATE,
        outcome=StatusOutcome.RECOGNISED,
        decided_on=datetime.date(2009, 11, 1),
        body="UNHCR Almaty",
    )
    f.StatusDecisionFactory(
        case=world.case,
        person=person,
        authority=Authority.NATIONAL,
        outcome=StatusOutcome.REJECTED,
        decided_on=datetime.date(2010, 8, 13),
        body="Migration Police, Almaty",
    )
    f.ExtraditionRequestFactory(case=world.case, person=person, status=RequestStatus.PENDING)

    html = page_of(world, person)

    status = html[html.index('id="status-heading"') : html.index('id="relatives-heading"')]
    assert "Recognised as refugee" in status and "UNHCR Almaty" in status
    assert "Rejected" in status and "Migration Police, Almaty" in status
    assert "Court" in status and "no decision recorded" in status
    assert 'class="badge badge--high-risk"' in html
    assert "still seeks extradition" in html


def test_records_of_a_case_the_user_may_not_see_are_left_out(world, person):
    f.CasePartyFactory(case=world.restricted, person=person)
    f.DetentionFactory(
        case=world.restricted,
        person=person,
        facility="Secret facility",
        ended_on=datetime.date(2010, 7, 1),
        end_reason="released",
    )
    f.StatusDecisionFactory(case=world.restricted, person=person, body="Hidden body")
    f.DetentionFactory(
        case=world.case,
        person=person,
        facility="Known facility",
        started_on=datetime.date(2012, 1, 1),
    )

    caseworker = page_of(world, person, "caseworker")
    admin = page_of(world, person, "admin")

    assert "Known facility" in caseworker
    assert "Secret facility" not in caseworker and "Hidden body" not in caseworker
    assert world.restricted.reference not in caseworker
    assert "Secret facility" in admin and world.restricted.reference in admin


def test_the_lawyer_sees_only_people_of_the_shared_case(world):
    unshared = party(world.unshared)

    assert client_for(world.lawyer).get(unshared.get_absolute_url()).status_code == 404
    assert client_for(world.caseworker).get(unshared.get_absolute_url()).status_code == 200
    other = party(world.other_case)
    assert client_for(world.caseworker).get(other.get_absolute_url()).status_code == 404


def test_edit_links_only_for_who_may_change_the_person(world, person):
    edit = reverse("people:person_update", args=[person.pk])
    add_name = reverse("people:person_name_add", args=[person.pk])

    caseworker = page_of(world, person, "caseworker")

    assert edit in caseworker and add_name in caseworker
    for who in ("viewer", "lawyer"):
        html = page_of(world, person, who)
        assert edit not in html and add_name not in html


def test_detentions_requests_complaints_and_cases_are_listed(world, person):
    f.DetentionFactory(case=world.case, person=person, facility="SIZO-1")
    request = f.ExtraditionRequestFactory(case=world.case, person=person)
    f.ExtraditionDecisionFactory(request=request, body="Prosecutor General")
    complaint = f.ComplaintFactory(case=world.case, number="444/2010")
    complaint.complainants.set([person])
    f.InterimMeasureFactory(complaint=complaint)

    html = page_of(world, person)

    assert "SIZO-1" in html and "still detained" in html
    assert "Prosecutor General" in html
    assert "CAT 444/2010" in html and "in force" in html
    assert "Protected by an interim measure" in html
    assert f'href="{world.case.get_absolute_url()}"' in html


def test_the_page_renders_in_russian(world, person):
    world.caseworker.save()
    client = Client(headers={"accept-language": "ru"})
    client.force_login(world.caseworker)

    html = client.get(person.get_absolute_url()).content.decode()

    assert '<html lang="ru">' in html


def test_other_spelling_kinds_are_named(world, person):
    f.PersonNameFactory(person=person, name="Abdussamatov", kind=NameKind.MISSPELLING)

    assert "misspelling" in page_of(world, person)
