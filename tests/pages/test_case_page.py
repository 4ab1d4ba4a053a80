"""The case page (issue #5): who sees it, what each section shows, the timeline chart and its
list, deadlines with how they were computed, the links each user is offered, and a query count
that does not grow with the case's records."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from cases.choices import AccessRole, DeadlineStatus, DetentionEndReason, RequestStatus
from tests import factories as f
from tests.helpers import complaint_of, party
from tests.pages.matrix import PageMatrix, client_for
from workspace.selectors import TIMELINE_FORUMS, case_timeline


def page_of(world, who="caseworker", case=None):
    response = client_for(getattr(world, who)).get((case or world.case).get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def svg_of(html: str) -> str:
    return re.search(r"<svg class=\"timeline-chart\".*?</svg>", html, re.S).group(0)


def list_of(html: str) -> str:
    return re.search(r'<ol class="timeline-days">.*?</ol>\s*</details>', html, re.S).group(0)


def a_record_of_every_forum(case):
    """One record of each forum on ``case``, and what the timeline says of them."""
    person = party(case)
    detention = f.DetentionFactory(
        case=case,
        person=person,
        started_on=datetime.date(2010, 6, 10),
        ended_on=datetime.date(2011, 6, 9),
        end_reason=DetentionEndReason.EXTRADITED,
    )
    request = f.ExtraditionRequestFactory(
        case=case,
        person=person,
        status=RequestStatus.SURRENDERED,
        surrendered_on=datetime.date(2011, 6, 9),
    )
    decision = f.ExtraditionDecisionFactory(request=request)
    status = f.StatusDecisionFactory(case=case, person=person)
    complaint = complaint_of(case, transmitted_on=datetime.date(2011, 1, 10))
    measure = f.InterimMeasureFactory(complaint=complaint)
    committee = f.CommitteeDecisionFactory(complaint=complaint)
    note = f.NoteFactory(case=case, occurred_on=datetime.date(2011, 6, 10), body="Gone.\nAll.")
    deadline = f.RuleDeadlineFactory(case=case, basis=datetime.date(2011, 1, 10))
    return {
        "detention": detention,
        "extradition": request,
        "extradition_decision": decision,
        "refugee_status": status,
        "complaint": complaint,
        "interim_measure": measure,
        "committee": committee,
        "note": note,
        "deadline": deadline,
    }


class TestCasePage(PageMatrix):
    url_name = "workspace:case_detail"
    # Session, user and the alerts badge (3); the case, its lead and the user's role on it (4);
    # the parties, their visible statuses and three flags (5); the timeline, one per model (9);
    # deadlines and seven sections with their prefetches (13): 34 for 1 record or 50.
    query_budget = 35

    def url(self, world):
        return reverse(self.url_name, args=[world.case.pk])

    def add_row(self, world):
        a_record_of_every_forum(world.case)
        f.DocumentFactory(case=world.case)
        f.AlertFactory(case=world.case)
        f.ManualDeadlineFactory(case=world.case, responsible=world.caseworker)


def test_the_timeline_has_a_lane_per_forum_holding_the_case_records(world):
    records = a_record_of_every_forum(world.case)

    svg = svg_of(page_of(world))

    labels = re.findall(r'<text class="lane-label"[^>]*>([^<]+)</text>', svg)
    assert len(labels) == len(TIMELINE_FORUMS)
    for forum in TIMELINE_FORUMS:
        group = re.search(rf'<g class="lane-marks" data-forum="{forum}">(.*?)</g>', svg, re.S)
        assert group, forum
        record = records[forum]
        assert f'href="#{record._meta.model_name}-{record.pk}"' in group.group(1), forum
    # Periods are bars: the detention and the interim measure; the surrender is a danger mark.
    assert 'class="bar bar--detention"' in svg
    assert 'class="bar bar--measure"' in svg
    assert "mark--danger" in svg
    assert 'class="today"' in svg
    assert "<title" in svg and "aria-labelledby" in svg
    # Nothing inline: the Content-Security-Policy forbids styles.
    assert "style=" not in svg


def test_the_list_under_the_chart_has_every_entry_grouped_by_day(world):
    records = a_record_of_every_forum(world.case)
    entries = case_timeline(case=world.case)

    listed = list_of(page_of(world))

    days = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', listed)
    assert days == sorted({e["date"].isoformat() for e in entries})
    for e in entries:
        model_name = e["record_type"].rsplit(".", 1)[1]
        assert f'href="#{model_name}-{e["record_id"]}"' in listed
    assert listed.count("<li><a href=") == len(entries)
    # Every target exists on the page.
    html = page_of(world)
    for record in records.values():
        assert f'id="{record._meta.model_name}-{record.pk}"' in html


def test_an_empty_case_says_so_instead_of_drawing(world):
    html = page_of(world)

    assert "<svg" not in html
    assert "Nothing dated has been recorded on this case yet." in html


def test_deadlines_show_how_they_were_computed_open_first(world):
    computed = f.RuleDeadlineFactory(case=world.case, basis=datetime.date(2030, 1, 15))
    met = f.ManualDeadlineFactory(
        case=world.case,
        title="Old hearing",
        status=DeadlineStatus.MET,
        met_on=datetime.date(2029, 1, 1),
    )

    html = page_of(world)

    section = html[html.index('id="deadlines"') :]
    assert computed.explanation and computed.explanation in section
    assert computed.rule.code in section and computed.rule.source in section
    assert "version 1" in section
    assert section.index(f'id="deadline-{computed.pk}"') < section.index(f'id="deadline-{met.pk}"')
    assert "met on" in section


def test_an_overridden_deadline_shows_what_the_rule_gave_and_why(world):
    deadline = f.RuleDeadlineFactory(
        case=world.case,
        basis=datetime.date(2030, 1, 15),
        override_reason="The Committee's letter sets 1 August.",
        overridden_by=world.caseworker,
    )
    deadline.due_at = deadline.due_at + datetime.timedelta(days=10)
    deadline.save()

    html = page_of(world)

    assert "The Committee&#x27;s letter sets 1 August." in html
    assert "The rule gave" in html
    assert "Changed by caseworker." in html


def test_parties_show_status_flags_and_link_to_their_page(world):
    records = a_record_of_every_forum(world.case)
    person = records["detention"].person

    html = page_of(world)

    parties = html[html.index('id="parties"') : html.index('id="timeline"')]
    assert f'href="{person.get_absolute_url()}"' in parties
    assert "Recognised as refugee" in parties
    assert "Protected by an interim measure" in parties


def test_a_surrendered_party_is_shown_handed_over_in_breach_not_protected(world):
    person = party(world.case)
    complaint = complaint_of(world.case)
    complaint.complainants.set([person])
    f.InterimMeasureFactory(complaint=complaint)  # granted 2010-12-03, never lifted
    f.ExtraditionRequestFactory(
        case=world.case,
        person=person,
        status=RequestStatus.SURRENDERED,
        surrendered_on=datetime.date(2011, 6, 9),
    )

    html = page_of(world)

    parties = html[html.index('id="parties"') : html.index('id="timeline"')]
    assert "Surrendered on June 9, 2011" in parties
    assert "in breach of an interim measure" in parties
    assert "Protected by an interim measure" not in parties


def test_links_to_forms_follow_the_users_rights(world):
    records = a_record_of_every_forum(world.case)
    detention_edit = reverse("cases:detention_update", args=[records["detention"].pk])
    decision_add = reverse("rulings:status_decision_create", args=[world.case.pk])

    caseworker, lawyer, viewer = (page_of(world, who) for who in ("caseworker", "lawyer", "viewer"))

    assert detention_edit in caseworker and detention_edit not in lawyer
    assert decision_add in caseworker and decision_add in lawyer and decision_add not in viewer
    assert reverse("cases:case_access_add", args=[world.case.pk]) in caseworker
    assert reverse("cases:case_access_add", args=[world.case.pk]) not in lawyer
    assert 'id="quick-note"' in caseworker and 'id="quick-note"' in lawyer
    assert 'id="quick-note"' not in viewer
    for page in (viewer, lawyer):
        assert reverse("cases:deadline_missed", args=[records["deadline"].pk]) not in page


def test_the_lawyer_may_not_open_an_unshared_case_nor_a_restricted_one(world):
    for case in (world.unshared, world.restricted):
        assert client_for(world.lawyer).get(case.get_absolute_url()).status_code == 404
    assert client_for(world.caseworker).get(world.restricted.get_absolute_url()).status_code == 404
    assert client_for(world.admin).get(world.restricted.get_absolute_url()).status_code == 200


def test_a_lawyer_shared_as_viewer_gets_no_update_form(world):
    f.CaseAccessFactory(case=world.unshared, user=world.stranger, role=AccessRole.VIEWER)

    html = page_of(world, "stranger", case=world.unshared)

    assert 'id="quick-note"' not in html


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_page_renders_in_each_language_with_unlocalised_coordinates(world, language):
    a_record_of_every_forum(world.case)
    world.caseworker.save()
    client = Client(headers={"accept-language": language})
    client.force_login(world.caseworker)

    html = client.get(world.case.get_absolute_url()).content.decode()

    assert f'<html lang="{language}">' in html
    svg = svg_of(html)
    # A decimal comma would break every SVG attribute.
    assert not re.search(r'(?:x|y|width|height|cx|cy)="\d+,\d', svg)
