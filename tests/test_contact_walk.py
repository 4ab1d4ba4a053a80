"""The planted-value walk (issue #17): on the demo data, every person and relative of ALA is
given contact details through the services (so the timeline's before/after values hold them
too), then every admin, page and API route is fetched as a user who must never see them. A
single planted value in any answer fails the test, and so does a search or filter whose answer
differs between a planted value and a made-up one (an oracle that tells a phone number is on
file without showing it).

The pages are found by crawling what ala-admin is shown (every link, htmx address and form),
so a new page is walked without a line here; a page name the crawl never reaches fails.
"""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve, reverse
from rest_framework.test import APIClient

import casetracker.api.urls
from cases.choices import AccessRole
from cases.models import Case, CaseEvent
from cases.services import calendar_feed_create, case_share, document_upload
from casetracker.api.tokens import api_token_create
from people.models import Person, Relationship
from people.services import person_update, relationship_update
from tests.helpers import force_login_verified, response_body
from tests.pages.test_page_coverage import EXEMPT as PAGE_EXEMPT
from tests.pages.test_page_coverage import _names as page_names
from workspace.demo import demo_load

PLANTED = ("SECRETPHONE", "SECRETADDR", "SECRETMAIL")
DECOY = "NOSUCHVALUE"
# Each URL name is walked with at most this many different records (every person page of a
# group case of fourteen is the same template on the same kind of data).
PER_NAME = 25
# The admin's pages of a model share one template: this many records of each (every person's
# and relative's timeline events are walked whatever their number).
ADMIN_PER_MODEL = 10
LINK = re.compile(r'(?:href|hx-get|action)="(/[^"]*)"')
# Differs between two fetches of one page without saying anything about the data.
# (the CSRF token, masked anew for every answer).
NOISE = re.compile(r"\b[A-Za-z0-9]{64}\b")
# Never followed: they change the session rather than show data. Page names the crawl cannot
# reach as a GET and that hold no record (POST-only actions answer 405 to a GET, which the
# crawl also checks when it finds their form).
NOT_FOLLOWED = ("/accounts/logout/", "/language/", "/static/", "/admin/", "/api/")


def _user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def planted(db, settings, tmp_path):
    """The demo, with planted contact details on every ALA person and relative."""
    settings.MEDIA_ROOT = tmp_path
    demo_load()
    caseworker = _user("ala-caseworker")
    people = Person.objects.filter(organisation__code="ALA").order_by("pk")
    for i, person in enumerate(people):
        person_update(
            acting_user=caseworker,
            person=person,
            phone=f"+7 701 SECRETPHONE-{i}",
            address=f"Mkr. Orbita {i}, SECRETADDR",
        )
    relatives = Relationship.objects.filter(person__organisation__code="ALA").order_by("pk")
    for i, relationship in enumerate(relatives):
        relationship_update(
            acting_user=caseworker,
            relationship=relationship,
            phone=f"+7 702 SECRETPHONE-R{i}",
            email=f"secretmail{i}@example.org",
            address=f"Abay {i}, SECRETADDR",
        )
    # The demo keeps no files: one document, so that its download and delete pages are walked.
    document_upload(
        acting_user=caseworker,
        case=Case.objects.get(reference="ALA-2010-001"),
        file=SimpleUploadedFile("decision.pdf", b"%PDF-1.4\n%demo\n"),
        title="Prosecutor's decision",
    )
    # A token each, so that the account page's revoke form is walked too.
    for username in ("ala-admin", "ala-viewer"):
        api_token_create(acting_user=_user(username), user=_user(username), name="laptop")
    assert people.count() > 10 and relatives.exists()
    return people


def _hits(body: bytes) -> list[str]:
    text = body.decode(errors="replace").upper()
    return [value for value in PLANTED if value in text]


def _same_answer(client, url: str, planted_value: str) -> bool:
    """Whether ``url`` answers a planted value exactly as it answers a made-up one."""
    answers = []
    for value in (planted_value, DECOY):
        response = client.get(url.format(value))
        text = response_body(response).decode(errors="replace").replace(value, "{}")
        answers.append((response.status_code, NOISE.sub("", text)))
    return answers[0] == answers[1]


def _crawl(client, start: list[str]) -> dict[str, object]:
    """Every address reachable from ``start`` by the links, htmx addresses and forms of the
    pages, at most ``PER_NAME`` per URL name: {address: response}."""
    seen: dict[str, object] = {}
    per_name: dict[str, int] = {}
    queue = deque(start)
    while queue:
        address = urldefrag(queue.popleft())[0]
        if address in seen or address.startswith(NOT_FOLLOWED):
            continue
        try:
            match = resolve(urlsplit(address).path)
        except Resolver404:
            continue
        if per_name.get(match.view_name, 0) >= PER_NAME:
            continue
        per_name[match.view_name] = per_name.get(match.view_name, 0) + 1
        response = seen[address] = client.get(address)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            for link in LINK.findall(response.content.decode(errors="replace")):
                queue.append(link.replace("&amp;", "&"))
    return seen


def _page_client(username: str) -> Client:
    client = Client()
    force_login_verified(client, _user(username))
    return client


def test_planting_reaches_those_who_may_see_contact_details(planted):
    """The walk's control: the planted values are on file and the pages do show them to a
    caseworker, so a walk that finds none has looked where they would be."""
    client = _page_client("ala-caseworker")
    body = client.get(planted[0].get_absolute_url()).content
    assert {"SECRETPHONE", "SECRETADDR"} <= set(_hits(body))


# The platform operators' pages, which no organisation's member is shown a link to (each
# answers them 403): walked from their addresses.
OPERATOR_PAGES = ["/backups/", "/backups/runs/", "/backups/start/"]


def duplicate_pages() -> list[str]:
    """The merge form and the "not a duplicate" action for two ALA people: the demo holds no
    likely duplicates, so no person page links to them (issue #12)."""
    one, two = Person.objects.filter(organisation__code="ALA").order_by("family_name")[:2]
    return [
        reverse("workspace:person_merge", args=[one.pk, two.pk]),
        reverse("people:person_not_duplicate", args=[one.pk, two.pk]),
    ]


def test_no_page_hands_a_viewer_a_planted_value(planted):
    admin_pages = _crawl(
        _page_client("ala-admin"),
        ["/", "/cases/", "/people/", "/alerts/", *OPERATOR_PAGES, *duplicate_pages()],
    )
    viewer = _page_client("ala-viewer")
    feed_token = calendar_feed_create(acting_user=_user("ala-viewer"))[1]
    addresses = [*admin_pages, reverse("cases:calendar_feed_ics", args=[feed_token])]

    answers = {address: viewer.get(address) for address in addresses}
    answers.update(_crawl(viewer, ["/"]))  # what the viewer's own pages link to, too

    # A streamed download can be read once: each answer's hits are taken once.
    hits = {address: _hits(response_body(r)) for address, r in answers.items()}
    leaks = {address: found for address, found in hits.items() if found}
    assert leaks == {}
    reached = {resolve(urlsplit(address).path).view_name for address in answers}
    unreached = page_names(get_resolver().url_patterns) - set(PAGE_EXEMPT) - reached
    assert unreached == set(), "pages the walk never reached: add a link or a start address"
    shown = {address for address, r in answers.items() if r.status_code == 200}
    viewer_user = _user("ala-viewer")
    for record in [*Case.objects.visible_to(viewer_user), *planted.visible_to(viewer_user)]:
        assert record.get_absolute_url() in shown, record
    for probe in ("/people/?q={}", "/cases/?q={}", "/people/?q=+7+701+{}-0"):
        for value in PLANTED:
            assert _same_answer(viewer, probe, value), probe


def test_no_api_route_hands_a_viewer_a_planted_value(planted, settings):
    # Every route in a few seconds: more than the API's rate limit allows one user.
    settings.API_THROTTLE_RATES = {"token": None, "ip": None}
    client = APIClient()
    client.force_authenticate(_user("ala-viewer"))
    addresses: list[str] = []
    for include in casetracker.api.urls.urlpatterns:
        router = getattr(include.urlconf_module, "router", None)
        for _prefix, _viewset, basename in router.registry if router else []:
            addresses.append(reverse(f"{basename}-list"))
    answers: dict[str, object] = {}
    queue = deque(addresses)
    while queue:
        address = queue.popleft()
        if address in answers:
            continue
        response = answers[address] = client.get(address)
        assert response.status_code == 200, address
        page = response.json()
        if page.get("next"):
            queue.append(urlsplit(page["next"])._replace(scheme="", netloc="").geturl())
        list_name = resolve(urlsplit(address).path).url_name
        if list_name.endswith("-list"):
            basename = list_name.removesuffix("-list")
            for row in page["results"]:
                queue.append(reverse(f"{basename}-detail", args=[row["id"]]))
    for case in Case.objects.visible_to(_user("ala-viewer")):
        address = reverse("case-timeline", args=[case.pk])
        answers[address] = client.get(address)

    leaks = {address: _hits(r.content) for address, r in answers.items() if _hits(r.content)}
    assert leaks == {}
    assert len(answers) > 100
    for probe in (
        "/api/v1/people/?search={}",
        "/api/v1/people/?phone={}",
        "/api/v1/relationships/?email={}",
        "/api/v1/relationships/?phone__contains={}",
    ):
        for value in PLANTED:
            assert _same_answer(client, probe, value), probe


@pytest.mark.parametrize("username", ["ala-viewer", "lawyer"])
def test_the_admin_is_closed_to_viewers_and_outside_lawyers(planted, username):
    user = _user(username)
    user.is_staff = True  # even a staff flag set by mistake does not open it
    user.save()
    client = _page_client(username)
    # Refused at the door, before any record is looked up: one record of each model will do.
    addresses = _admin_addresses(None, everything=True, per_model=1)
    addresses += [f"{address}?q={value}" for address in _changelists() for value in PLANTED]

    answers = {address: client.get(address) for address in addresses}

    assert {a for a, r in answers.items() if r.status_code != 403} == set()
    # A search's 403 page names the address it refused (the sign-out form's "next"): only
    # what is not the address itself would be a leak.
    leaks = {a for a, r in answers.items() if _hits(r.content.replace(a.encode(), b""))}
    assert leaks == set()


def test_the_admin_hides_planted_values_from_a_case_shared_as_viewer(planted):
    """A caseworker of BIS may use the admin; ALA's group case is shared with them as a
    viewer. Every admin page of every record they reach there holds no planted value, and no
    search or filter tells a planted value from a made-up one."""
    group = Case.objects.get(reference="ALA-2010-001")
    reader = _user("bis-caseworker")
    case_share(acting_user=_user("ala-admin"), case=group, user=reader, role=AccessRole.VIEWER)
    client = _page_client("bis-caseworker")
    addresses = _admin_addresses(reader, everything=False, per_model=ADMIN_PER_MODEL)

    answers = {address: client.get(address) for address in addresses}

    assert {a: r.status_code for a, r in answers.items() if r.status_code >= 500} == {}
    leaks = {address: _hits(r.content) for address, r in answers.items() if _hits(r.content)}
    assert leaks == {}
    reached = [a for a, r in answers.items() if r.status_code == 200 and "/change/" in a]
    assert any("/people/person/" in a for a in reached)
    assert any("/cases/caseevent/" in a for a in reached)
    for changelist in _changelists():
        for value in PLANTED:
            assert _same_answer(client, f"{changelist}?q={{}}", value), changelist
    for model, probes in {
        Person: ["phone={}", "phone__contains={}", "address__icontains={}"],
        Relationship: ["email__icontains={}", "phone={}"],
        CaseEvent: [
            "data__icontains={}",
            "data__after__phone__contains={}",
        ],
    }.items():
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for probe in probes:
            for value in PLANTED:
                assert _same_answer(client, f"{changelist}?{probe}", value), (model, probe)


def _admin_addresses(reader, *, everything: bool, per_model: int) -> list[str]:
    """The admin's index, every app's index, and for every registered model its changelist,
    its add form, and the change, history and delete pages of its records (``everything``, or
    those ``reader``'s changelist holds): every change of a person or relative, and up to
    ``per_model`` records of every other model."""
    addresses = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        addresses.append(reverse("admin:app_list", args=[opts.app_label]))
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        addresses += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        if everything or not hasattr(model_admin, "scoped_queryset"):  # Django's own admins
            records = model._default_manager.all()
        else:
            records = model_admin.scoped_queryset(_FakeRequest(reader))
        if model is CaseEvent and per_model > 1:  # every change of a person or relative
            records = records.filter(subject_type__model__in=["person", "relationship"])
        else:
            records = records[:per_model]
        for pk in records.values_list("pk", flat=True):
            for view in ("change", "history", "delete"):
                addresses.append(reverse(f"{prefix}_{view}", args=[pk]))
    return list(dict.fromkeys(addresses))


def _changelists() -> list[str]:
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


class _FakeRequest:
    """What ``scoped_queryset`` reads of a request: the user."""

    def __init__(self, user) -> None:
        self.user = user
