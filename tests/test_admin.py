"""The Django admin: scoped by ``visible_to``, permissions from our access model, every write
through a service, refusals shown on the form with nothing saved (DESIGN §3–§4)."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.choices import DetentionBasis
from cases.models import (
    Alert,
    CalendarFeed,
    Case,
    CaseEvent,
    CaseParty,
    DeadlineRule,
    Detention,
    Document,
)
from cases.services import case_open
from organisations.choices import Role
from organisations.models import Membership, Organisation
from people.access import sensitive_fields
from people.models import Person, Relationship
from people.services import person_update, relationship_create
from rulings.models import Complaint
from tests import factories as f

APPS = ("organisations", "people", "cases", "rulings")
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in APPS),
    key=lambda model: model._meta.label,
)


def url(model_or_obj, view: str = "changelist", *args) -> str:
    opts = model_or_obj._meta
    if view in ("change", "delete", "history"):
        args = (model_or_obj.pk, *args)
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def login(client, user):
    user.is_staff = True
    user.save()  # also stores the password the factory set, which the session checks
    client.force_login(user)
    return client


def management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def form_data(response) -> dict:
    """What the change page would post back unchanged: its form and inline rows as shown."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else value
    return data


def events() -> int:
    return CaseEvent.objects.count()


@pytest.fixture
def records(world, settings, tmp_path):
    """One record of every model in ``world.org``, reached through ``world.case``."""
    settings.MEDIA_ROOT = tmp_path
    person = f.CasePartyFactory(case=world.case).person
    request = f.ExtraditionRequestFactory(case=world.case, person=person)
    complaint = f.ComplaintFactory(case=world.case)
    complaint.complainants.add(person)
    built = [
        person,
        f.PersonNameFactory(person=person),
        f.RelationshipFactory(person=person),
        world.case,
        world.case.case_parties.get(),
        world.case.access.get(),
        f.DetentionFactory(case=world.case, person=person),
        request,
        f.ExtraditionDecisionFactory(request=request),
        f.NoteFactory(case=world.case),
        f.DocumentFactory(case=world.case),
        f.StatusDecisionFactory(case=world.case, person=person),
        complaint,
        f.InterimMeasureFactory(complaint=complaint),
        f.CommitteeDecisionFactory(complaint=complaint),
        CaseEvent.objects.record(
            kind="case.updated", actor=world.caseworker, subject=world.case, case=world.case
        ),
        world.org,
        Membership.objects.get(user=world.caseworker),
        DeadlineRule.objects.get(code="cat.state_reply"),
        f.ManualDeadlineFactory(case=world.case),
        f.AlertFactory(case=world.case),
        f.CalendarFeedFactory(user=world.caseworker),
    ]
    return {type(obj): obj for obj in built}


def test_every_model_has_an_admin_and_a_record_here(records):
    assert set(MODELS) == set(records)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_caseworker_loads_every_changelist_change_and_add_page(client, world, records, model):
    login(client, world.caseworker)
    assert client.get(url(model)).status_code == 200
    assert client.get(url(records[model], "change")).status_code == 200
    may_add = model not in (
        CaseEvent,
        Organisation,
        Membership,
        DeadlineRule,  # seeded; changed by operators
        Alert,  # raised by the engine
        CalendarFeed,  # its address is shown once, on /calendar/feed/
    )  # admins' and operators' acts
    assert client.get(url(model, "add")).status_code == (200 if may_add else 403)


def test_caseworker_sees_only_their_organisations_cases_and_people(client, world):
    own = f.PersonFactory(organisation=world.org, family_name="Ownclient")
    f.PersonFactory(organisation=world.other_org, family_name="Otherclient")
    login(client, world.caseworker)

    cases = client.get(url(Case)).content.decode()
    people = client.get(url(Person)).content.decode()

    assert world.case.reference in cases and world.unshared.reference in cases
    assert world.restricted.reference not in cases
    assert world.other_case.reference not in cases
    assert world.other_org.name not in cases
    assert own.family_name in people and "Otherclient" not in people


@pytest.mark.parametrize("hidden", ["other_case", "restricted"])
def test_a_case_the_user_may_not_see_is_answered_like_a_missing_one(client, world, hidden):
    case = getattr(world, hidden)
    login(client, world.caseworker)

    response = client.get(url(case, "change"), follow=True)

    assert response.redirect_chain[0] == (reverse("admin:index"), 302)
    assert "doesn’t exist" in response.content.decode()
    assert case.title not in response.content.decode()
    assert client.post(url(case, "change"), {"title": "Mine now"}).status_code == 302
    case.refresh_from_db()
    assert case.title != "Mine now"


def _shared_with_other_caseworker(world, role: str):
    """``world.case`` shared with a caseworker of the other organisation: a user who may use
    the admin (a caseworker somewhere) and reaches ``world.case`` only through the share."""
    f.CaseAccessFactory(case=world.case, user=world.other_caseworker, role=role)
    return world.other_caseworker


@pytest.mark.parametrize("who", ["viewer", "lawyer"])
def test_viewers_and_outside_lawyers_are_refused_the_admin(client, world, records, who):
    """Issue #17: the pages give them everything they may read and file; the admin is one
    channel less that could leak."""
    login(client, getattr(world, who))
    before = Case.objects.count(), events()

    pages = [reverse("admin:index"), reverse("admin:app_list", args=["cases"])]
    for model in MODELS:
        pages += [url(model), url(model, "add")]
        pages += [url(records[model], view) for view in ("change", "history", "delete")]
    answers = {page: client.get(page) for page in pages}
    add = client.post(url(Case, "add"), {"organisation": world.org.pk, "title": "X"})
    edit = client.post(url(world.case, "change"), {"title": "Renamed"})

    assert {page: r.status_code for page, r in answers.items() if r.status_code != 403} == {}
    assert "caseworkers and admins" in answers[reverse("admin:index")].content.decode()
    assert world.case.reference not in answers[url(Case)].content.decode()
    assert add.status_code == 403 and edit.status_code == 403
    assert (Case.objects.count(), events()) == before
    assert client.get(reverse("admin:logout")).status_code in (200, 302, 405)


@pytest.mark.parametrize("who", ["viewer", "lawyer"])
def test_the_admin_sign_in_tells_a_viewer_or_lawyer_to_use_the_pages(client, world, who):
    user = getattr(world, who)
    user.is_staff = True
    user.save()

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": user.username, "password": "correct horse battery", "next": "/admin/"},
    )

    assert response.status_code == 200
    assert "caseworkers and admins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_user_of_another_organisation_sees_only_the_case_shared_with_them(client, world):
    user = _shared_with_other_caseworker(world, "lawyer")
    login(client, user)

    content = client.get(url(Case)).content.decode()

    assert world.case.reference in content and world.other_case.reference in content
    assert world.unshared.reference not in content
    assert world.restricted.reference not in content


def test_a_case_shared_as_viewer_is_read_but_not_changed(client, world):
    user = _shared_with_other_caseworker(world, "viewer")
    login(client, user)
    before = Case.objects.count(), events()

    changelist = client.get(url(Case))
    change = client.get(url(world.case, "change"))
    edit = client.post(url(world.case, "change"), {"title": "Renamed"})

    assert changelist.status_code == 200 and world.case.reference in changelist.content.decode()
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert edit.status_code == 403
    assert (Case.objects.count(), events()) == before


def _case_form(world, **overrides) -> dict:
    return {
        "organisation": world.org.pk,
        "reference": "ALA-2011-009",
        "title": "Detained at the border",
        "opened_on": "2011-01-05",
        "summary": "",
        "lead": world.caseworker.pk,
        **management("case_parties"),
        **management("access"),
        **overrides,
    }


def test_a_case_created_in_the_admin_goes_through_the_service(client, world):
    login(client, world.caseworker)

    response = client.post(url(Case, "add"), _case_form(world))

    assert response.status_code == 302
    case = Case.objects.get(reference="ALA-2011-009")
    event = CaseEvent.objects.get(case=case, kind="case.created")
    assert event.actor == world.caseworker


def test_the_organisation_dropdown_offers_only_the_users_organisations(client, world):
    login(client, world.caseworker)

    form = client.get(url(Case, "add")).content.decode()
    response = client.post(url(Case, "add"), _case_form(world, organisation=world.other_org.pk))

    assert world.org.name in form and world.other_org.name not in form
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Case.objects.filter(reference="ALA-2011-009").exists()


def test_person_autocomplete_offers_only_visible_people(client, world):
    f.PersonFactory(organisation=world.org, family_name="Ownclient")
    f.PersonFactory(organisation=world.other_org, family_name="Otherclient")
    login(client, world.caseworker)

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cases", "model_name": "detention", "field_name": "person", "term": ""},
    )

    names = [result["text"] for result in response.json()["results"]]
    assert any("Ownclient" in name for name in names)
    assert not any("Otherclient" in name for name in names)


def test_a_person_created_in_the_admin_goes_through_the_service(client, world):
    login(client, world.caseworker)
    data = form_data(client.get(url(Person, "add")))

    response = client.post(
        url(Person, "add"),
        {**data, "organisation": world.org.pk, "family_name": "Newman", "languages": ""},
    )

    assert response.status_code == 302
    person = Person.objects.get(family_name="Newman")
    assert person.languages == []
    assert CaseEvent.objects.filter(person=person, kind="person.created").exists()


def test_person_search_matches_other_spellings(client, world):
    person = f.PersonFactory(organisation=world.org, family_name="Abdusamatov")
    login(client, world.caseworker)
    data = form_data(client.get(url(person, "change")))
    # The services keep the search text current: a spelling added in the admin is found.
    client.post(url(person, "change"), {**data, "names-0-name": "Абдусаматов"})

    found = client.get(url(Person), {"q": "Абдусаматов"}).content.decode()

    assert person.names.filter(name="Абдусаматов").exists()
    assert "Abdusamatov" in found


def _detention_form(world, person, **overrides) -> dict:
    return {
        "case": world.case.pk,
        "person": person.pk,
        "basis": DetentionBasis.PROVISIONAL_ARREST_EXTRADITION,
        "facility": "SIZO-1",
        "started_on": "2010-06-10",
        "ended_on": "",
        "end_reason": "",
        **overrides,
    }


def test_an_invalid_record_shows_the_error_and_saves_nothing(client, world):
    person = f.CasePartyFactory(case=world.case).person
    login(client, world.caseworker)
    before = events()

    response = client.post(
        url(Detention, "add"),
        _detention_form(world, person, ended_on="2010-06-01", end_reason="released"),
    )

    assert response.status_code == 200
    assert "A detention cannot end before it started." in response.content.decode()
    assert not Detention.objects.exists() and events() == before


def test_ending_a_detention_in_the_admin_is_recorded_as_its_end(client, world):
    detention = f.DetentionFactory(case=world.case)
    login(client, world.caseworker)

    response = client.post(
        url(detention, "change"),
        _detention_form(world, detention.person, ended_on="2011-06-09", end_reason="extradited"),
    )

    assert response.status_code == 302
    assert CaseEvent.objects.filter(subject_id=detention.pk, kind="detention.ended").exists()


@pytest.mark.parametrize(
    ("make", "changes", "kind"),
    [
        (lambda w: w.unshared, {"status": "closed", "closed_on": "2012-06-01"}, "case.closed"),
        (
            lambda w: f.ExtraditionRequestFactory(case=w.case),
            {"status": "surrendered", "surrendered_on": "2011-06-09"},
            "extraditionrequest.surrendered",
        ),
        (
            lambda w: f.InterimMeasureFactory(complaint=f.ComplaintFactory(case=w.case)),
            {"lifted_on": "2012-06-01"},
            "interimmeasure.lifted",
        ),
    ],
    ids=["case-closed", "request-surrendered", "measure-lifted"],
)
def test_a_change_that_is_a_verb_goes_through_its_own_service(client, world, make, changes, kind):
    record = make(world)
    login(client, world.caseworker)
    data = form_data(client.get(url(record, "change")))

    response = client.post(url(record, "change"), {**data, **changes})

    assert response.status_code == 302
    assert CaseEvent.objects.filter(subject_id=record.pk, kind=kind).exists()


def test_a_refusal_by_the_service_is_shown_on_the_form_and_saves_nothing(client, world):
    outsider = f.PersonFactory(organisation=world.org)  # not a party to the case
    login(client, world.caseworker)
    before = events()

    response = client.post(
        url(Complaint, "add"),
        {
            "case": world.case.pk,
            "complainants": [outsider.pk],
            "body": "CAT",
            "state_party": "KZ",
            "submitted_on": "2010-12-01",
            "status": "submitted",
        },
    )

    assert response.status_code == 200
    assert "Only parties to the case can be complainants" in response.content.decode()
    assert not Complaint.objects.exists() and events() == before


def test_a_refused_inline_row_rolls_back_the_whole_page(client, world):
    party = f.CasePartyFactory(case=world.unshared)
    f.DetentionFactory(case=world.unshared, person=party.person)
    login(client, world.caseworker)
    before = events()

    data = form_data(client.get(url(world.unshared, "change")))

    response = client.post(
        url(world.unshared, "change"),
        {**data, "title": "Renamed in the same request", "case_parties-0-DELETE": "on"},
    )

    assert response.status_code == 200
    assert "This person has records in the case" in response.content.decode()
    world.unshared.refresh_from_db()
    assert world.unshared.title != "Renamed in the same request"
    assert CaseParty.objects.filter(pk=party.pk).exists() and events() == before


def test_bulk_delete_goes_through_the_service(client, world):
    detentions = [
        f.DetentionFactory(case=world.case, started_on=datetime.date(2010, 6, day))
        for day in (1, 2)
    ]
    login(client, world.caseworker)

    response = client.post(
        url(Detention),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [d.pk for d in detentions],
        },
    )

    assert response.status_code == 302
    assert not Detention.objects.exists()
    assert CaseEvent.objects.filter(kind="detention.deleted").count() == 2


def test_a_document_uploaded_in_the_admin_is_checked_and_has_no_public_link(
    client, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    login(client, world.caseworker)

    response = client.post(
        url(Document, "add"),
        {
            "case": world.case.pk,
            "title": "Prosecutor's decision",
            "kind": "decision",
            "file": SimpleUploadedFile("decision.pdf", b"%PDF-1.4\n%test\n"),
        },
    )

    document = Document.objects.get()
    assert response.status_code == 302 and document.content_type == "application/pdf"
    change = client.get(url(document, "change")).content.decode()
    assert document.file.name not in change


def test_a_case_shared_as_viewer_shows_no_contact_details_anywhere_in_the_admin(client, world):
    """The person, their relative, and the timeline's stored before/after values of both:
    the field rule of people/access.py applies to every one (issue #17)."""
    person = f.PersonFactory(organisation=world.org)
    f.CasePartyFactory(case=world.case, person=person)
    person_update(
        acting_user=world.caseworker, person=person, phone="+7 701 555 0101", address="Orbita 9"
    )
    relationship = relationship_create(
        acting_user=world.caseworker,
        person=person,
        kind="spouse",
        relative_name="Dilnoza",
        phone="+7 701 555 0202",
        email="dilnoza@example.org",
    )
    person_events = CaseEvent.objects.filter(subject_id__in=[person.pk, relationship.pk])
    planted = ("+7 701 555 0101", "Orbita 9", "+7 701 555 0202", "dilnoza@example.org")
    caseworker_view = login(Client(), world.caseworker).get(url(person_events[0], "change"))
    login(client, _shared_with_other_caseworker(world, "viewer"))

    pages = [url(person, "change"), url(relationship, "change"), url(person, "history")]
    pages += [url(event, "change") for event in person_events]
    contents = {page: client.get(page).content.decode() for page in pages}

    assert len(person_events) == 2
    assert any(value in caseworker_view.content.decode() for value in planted)
    assert person.family_name in contents[url(person, "change")]
    assert "Dilnoza" in contents[url(relationship, "change")]
    leaks = {page: [v for v in planted if v in text] for page, text in contents.items()}
    assert {page: hit for page, hit in leaks.items() if hit} == {}


@pytest.mark.parametrize(
    ("model", "lookup"),
    [
        (Person, "phone"),
        (Person, "address__icontains"),
        (Relationship, "email__contains"),
        (CaseEvent, "data__after__phone"),
        (CaseEvent, "data__icontains"),
    ],
)
def test_a_changelist_cannot_be_filtered_by_a_field_it_does_not_offer(client, world, model, lookup):
    """Django accepts ``?<any field>=`` on a changelist: the number of rows it answers would
    tell anyone whether a phone number is on file. Only the offered filters are accepted."""
    person = f.PersonFactory(organisation=world.org, phone="+7 701 555 0101")
    f.RelationshipFactory(person=person, email="dilnoza@example.org")
    person_update(acting_user=world.caseworker, person=person, phone="+7 701 555 0102")
    login(client, world.caseworker)

    assert client.get(url(model), {lookup: "0101"}).status_code == 400
    assert client.get(url(model), {lookup: "9999"}).status_code == 400


def test_the_timeline_is_read_only(client, world):
    event = case_open(
        acting_user=world.caseworker,
        organisation=world.org,
        reference="ALA-2011-010",
        title="Group case",
        opened_on=datetime.date(2011, 1, 5),
    ).events.get()
    login(client, world.admin)

    changelist = client.get(url(CaseEvent), {"kind": "case.created"})
    change = client.get(url(event, "change"))
    post = client.post(url(event, "change"), {"kind": "case.deleted"})

    assert "ALA-2011-010" in changelist.content.decode()
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert post.status_code == 403
    assert client.post(url(event, "delete"), {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.kind == "case.created"


def test_a_superuser_without_membership_sees_no_case_data_but_manages_organisations(client, world):
    operator = f.UserFactory(username="operator", is_superuser=True)
    login(client, operator)

    organisations = client.get(url(Organisation)).content.decode()
    response = client.post(
        url(Membership, "add"),
        {"organisation": world.other_org.pk, "user": world.lawyer.pk, "role": Role.VIEWER},
    )
    created = client.post(
        url(Organisation, "add"),
        {
            "name": "Tashkent Refugee Law Clinic",
            "code": "TAS",
            **management("memberships", total=1),
            "memberships-0-user": world.stranger.pk,
            "memberships-0-role": Role.ADMIN,
        },
    )

    assert client.get(url(Case)).status_code == 403
    assert client.get(url(Person)).status_code == 403
    assert world.case.reference not in client.get(reverse("admin:index")).content.decode()
    assert world.org.name in organisations and world.other_org.name in organisations
    assert response.status_code == 302
    assert Membership.objects.filter(user=world.lawyer, organisation=world.other_org).exists()
    assert created.status_code == 302
    assert Membership.objects.get(user=world.stranger).organisation.code == "TAS"
    assert CaseEvent.objects.filter(kind="organisation.created", actor=operator).exists()


def test_an_organisation_admin_manages_only_their_own_members(client, world):
    login(client, world.admin)

    memberships = client.get(url(Membership)).content.decode()
    add_elsewhere = client.post(
        url(Membership, "add"),
        {"organisation": world.other_org.pk, "user": world.lawyer.pk, "role": Role.VIEWER},
    )
    add_here = client.post(
        url(Membership, "add"),
        {"organisation": world.org.pk, "user": world.lawyer.pk, "role": Role.VIEWER},
    )

    assert "other_caseworker" not in memberships
    assert add_elsewhere.status_code == 200 and "Select a valid choice" in (
        add_elsewhere.content.decode()
    )
    assert add_here.status_code == 302
    assert CaseEvent.objects.filter(kind="membership.created", actor=world.admin).exists()


@pytest.mark.parametrize(
    ("model", "make"),
    [
        (Case, lambda org, user: f.CaseFactory(organisation=org, lead=user)),
        (Person, lambda org, user: f.PersonFactory(organisation=org, citizenships=["UZ", "RU"])),
    ],
    ids=["case", "person"],
)
def test_changelist_queries_do_not_grow_with_rows(
    client, db, django_assert_num_queries, model, make
):
    membership = f.MembershipFactory(role=Role.CASEWORKER)
    user, org = membership.user, membership.organisation
    login(client, user)
    make(org, user)
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(url(model)).status_code == 200
    for _ in range(19):
        make(org, user)
    assert model.objects.visible_to(user).count() == 20

    with django_assert_num_queries(len(one_row)):  # on failure, prints the SQL
        assert client.get(url(model)).status_code == 200


@pytest.mark.django_db
def test_login_page_answers_an_anonymous_visitor(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content


@pytest.mark.django_db
def test_a_demo_user_logs_in_through_the_login_form(client, world):
    world.caseworker.is_staff = True
    world.caseworker.save()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "caseworker", "password": "correct horse battery", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert client.get("/admin/cases/case/").status_code == 200


def _field_paths(model, model_admin) -> list[str]:
    """The fields an admin searches, lists and filters by (plain field names and paths)."""
    paths = [path.lstrip("^=@") for path in model_admin.search_fields]
    for entry in (*model_admin.list_display, *model_admin.list_filter):
        name = entry[0] if isinstance(entry, list | tuple) else entry
        if isinstance(name, str) and not hasattr(model_admin, name):
            paths.append(name)
    return paths


def test_no_admin_searches_lists_or_filters_a_field_some_readers_may_not_see():
    """Issue #17: a search or filter over a contact field answers "is this phone number on
    file?" to anyone who may use it, whether or not they may see the column; a column in a
    list would show it. Such fields appear only on change pages, through the field rules."""
    used = {
        (model._meta.label, path): get_fields_from_path(model, path)[-1]
        for model, model_admin in admin.site._registry.items()
        for path in _field_paths(model, model_admin)
        if path != "__str__"
    }
    sensitive = {
        where: field
        for where, field in used.items()
        if field.name in sensitive_fields(field.model._meta.label)
        or isinstance(field, models.JSONField)
    }
    assert used and sensitive == {}
