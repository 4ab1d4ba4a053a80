"""People: find a person by any spelling of their name, in either script, or browse them all.

The search box in the header of every page submits ``q`` here. With ``q`` the results come
from ``person_search`` ("Абдусаматов", "Abdusamatov" and "Abdussamatov" find the same person),
best match first; without it the people the user may see, alphabetically, 50 a page. Only
``Person.objects.visible_to(user)`` is ever searched or listed: organisations never discover
each other's clients (DESIGN §4).

With HTMX, typing in the page's own search field swaps the results and updates the address;
without JavaScript the form submits and the whole page comes back.

``people`` may not import ``cases``: the cases a person is party to are reached through the
reverse relation ``case_parties`` and the Case model looked up by name, as in people/models.py.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from casetracker.pages import is_htmx, private
from organisations.models import Membership
from people.access import case_reach
from people.models import Person
from people.search import name_key
from people.selectors import person_search

PEOPLE_PER_PAGE = 50
SEARCH_LIMIT = 50


def _with_names_and_cases(people: list[Person], user) -> None:
    """Prefetch each person's other spellings and the cases (visible to ``user``) they are
    party to: two queries, whatever the number of people."""
    parties = case_reach().parties(user)
    prefetch_related_objects(
        people, "names", Prefetch("case_parties", parties, to_attr="visible_parties")
    )


def matched_spelling(person: Person, query: str) -> str:
    """The spelling of ``person``'s names that the query matches, when it is not the name
    shown anyway (an alias, a transliteration): first as typed ("Абдусаматов" finds the
    Cyrillic spelling), then by key ("Abdussamatov"); "" when none matches every word, as can
    happen with the fuzzy trigram search on PostgreSQL."""
    shown = [person.full_name, person.name_native]
    spellings = [s for s in [*shown, *(n.name for n in person.names.all())] if s]
    for fold in (str.lower, name_key):
        words = fold(query).split()
        for spelling in spellings:
            folded = fold(spelling)
            if words and all(word in folded for word in words):
                return "" if spelling in shown else spelling
    return ""


def _can_create(user) -> bool:
    """Whether the user is a caseworker or admin of some organisation, as ``person_can_edit``
    asks of one organisation: who may record people."""
    return Membership.objects.filter(user=user, role__in=Membership.STAFF_ROLES).exists()


@login_required
@require_safe
def person_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    query = request.GET.get("q", "").strip()
    context: dict[str, Any] = {"search_query": query}
    if query:
        people = person_search(user=user, query=query, limit=SEARCH_LIMIT)
        _with_names_and_cases(people, user)
        for person in people:
            person.matched = matched_spelling(person, query)
        context.update(people=people, limited=len(people) >= SEARCH_LIMIT)
    else:
        visible = Person.objects.visible_to(user).order_by("family_name", "given_name", "id")
        page = Paginator(visible, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
        people = list(page.object_list)
        _with_names_and_cases(people, user)
        context.update(people=people, page=page)
    # is_htmx is false for a history restore, which needs the whole page.
    if is_htmx(request):
        response = render(request, "people/_person_results.html", context)
    else:
        context["may_create"] = _can_create(user)
        response = render(request, "people/person_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return private(response)
