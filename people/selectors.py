"""Reads of people: the name search (``person_search``), which every list, filter and picker
uses. Who may see a person is ``PersonQuerySet.visible_to``; the keys the search compares are
made in ``people.search``.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.db.models import Case, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat, Greatest
from django.utils.translation import gettext as _

from organisations.models import Membership
from people.access import case_reach
from people.models import NotDuplicate, Person
from people.search import as_written, name_key


def person_search(*, user, query: str, limit: int = 20) -> list[Person]:
    """People visible to ``user`` whose names resemble ``query``, best match first.

    Searches only ``Person.objects.visible_to(user)``: organisations never discover each
    other's clients (DESIGN §4). Each person carries ``search_rank``, higher is better.
    """
    written, key = as_written(query), name_key(query)
    if not written or (not key and connections[Person.objects.db].vendor != "postgresql"):
        # Nothing to match (no letters, e.g. "2009"): no one, rather than everyone.
        return []
    people = Person.objects.visible_to(user)
    if connections[people.db].vendor == "postgresql":
        ranked = _rank_by_trigrams(people, [q for q in dict.fromkeys((written, key)) if q])
    else:
        ranked = _rank_by_words(people, key.split())
    return list(ranked.order_by("-search_rank", "family_name", "given_name", "id")[:limit])


def _rank_by_trigrams(people: QuerySet, queries: list[str]) -> QuerySet:
    """Rank by the greater word similarity of the query as typed and of its key.

    The ``%>`` operator (lookup ``trigram_word_similar``) keeps people above
    ``pg_trgm.word_similarity_threshold`` (default 0.6) and can use the GIN index; see
    https://www.postgresql.org/docs/15/pgtrgm.html. The threshold admits a letter or two of
    difference in a surname while keeping unrelated names out.
    """
    matches = Q()
    for q in queries:
        matches |= Q(search_text__trigram_word_similar=q)
    similarities = [TrigramWordSimilarity(q, "search_text") for q in queries]
    rank = Greatest(*similarities) if len(similarities) > 1 else similarities[0]
    return people.filter(matches).annotate(search_rank=rank)


def _rank_by_words(people: QuerySet, tokens: list[str]) -> QuerySet:
    """SQLite fallback: every query word's key must occur in ``search_text``; people in whose
    names a word occurs whole rank above those where it is only part of a word."""
    for token in tokens:
        people = people.filter(search_text__contains=token)
    people = people.alias(
        padded=Concat(Value(" "), "search_text", Value(" "), output_field=TextField())
    )
    whole_words = [
        Case(
            When(padded__contains=f" {token} ", then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for token in tokens
    ]
    return people.annotate(search_rank=sum(whole_words[1:], whole_words[0]))


# --- duplicates (issue #12) ------------------------------------------------------------------

CANDIDATES_SCANNED = 50  # people the index proposes, then scored here
DUPLICATE_THRESHOLD = 0.45  # the score from which a candidate is shown
_WORD_MIN = 4  # shorter words ("Ali", "Li") would match half the organisation


@dataclass
class DuplicateCandidate:
    person: Person
    score: float
    reasons: list[str]


def _trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of ``text``: each word padded with two spaces before, one after."""
    grams: set[str] = set()
    for word in text.split():
        padded = f"  {word} "
        grams |= {padded[i : i + 3] for i in range(len(padded) - 2)}
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity``: shared trigrams over all trigrams of both."""
    left, right = _trigrams(a), _trigrams(b)
    return len(left & right) / len(left | right) if left | right else 0.0


def _full_names(person: Person) -> set[str]:
    """Every way the person's full name is written, as keys with their words sorted: the order
    of given and family names and a missing patronymic then make no difference."""
    spellings = [
        f"{person.family_name} {person.given_name}",
        person.name_native,
        *(n.name for n in person.names.all()),
    ]
    keys = set()
    for spelling in spellings:
        words = name_key(spelling).split()
        if words:
            keys.add(" ".join(sorted(words[:2] if len(words) > 2 else words)))
            keys.add(" ".join(sorted(words)))
    return keys


def _family_words(person: Person) -> list[str]:
    words = [name_key(person.family_name), *(name_key(n.name) for n in person.names.all())]
    found = dict.fromkeys(w for key in words for w in key.split() if len(w) >= _WORD_MIN)
    return list(found)[:6]


def _name_similarity(a: Person, b: Person) -> float:
    """The best trigram similarity of two full names; when one of them lacks a given name,
    of the family names too, a little discounted (the given name might have told them apart)."""
    best = max(
        (trigram_similarity(x, y) for x in _full_names(a) for y in _full_names(b)), default=0.0
    )
    if not (a.given_name and b.given_name):
        family = trigram_similarity(name_key(a.family_name), name_key(b.family_name))
        best = max(best, 0.9 * family)
    return best


def _proposed(person: Person, people: QuerySet) -> QuerySet:
    """The people whose names the index says resemble ``person``'s family names: pg_trgm's
    word similarity (GIN index) on PostgreSQL, the words' keys on SQLite."""
    words = _family_words(person)
    if not words:
        return people.none()
    matches = Q()
    if connections[people.db].vendor == "postgresql":
        for word in words:
            matches |= Q(search_text__trigram_word_similar=word)
        similarities = [TrigramWordSimilarity(w, "search_text") for w in words]
        rank = Greatest(*similarities) if len(similarities) > 1 else similarities[0]
        return people.filter(matches).annotate(proposed=rank).order_by("-proposed", "id")
    # SQLite, in development: the word's stem (its last two letters may differ: -ov, -of, -ev).
    for word in words:
        matches |= Q(search_text__contains=word[: max(_WORD_MIN, len(word) - 2)])
    return people.filter(matches).order_by("id")


def duplicate_candidates(*, user, person: Person, limit: int = 10) -> list[DuplicateCandidate]:
    """People of ``person``'s organisation that may be the same person, best first, each with
    the reasons in words: names similar after transliteration (any script, either order,
    patronymic or not), the birth date at its precision, citizenship, a shared case. Only
    people ``user`` may see; never a merged record, nor a pair marked "not a duplicate"."""
    people = Person.objects.visible_to(user).filter(organisation_id=person.organisation_id)
    people = people.exclude(pk=person.pk).prefetch_related("names")
    if person.pk is not None:  # a pair marked "not a duplicate" is never proposed again
        people = people.exclude(pk__in=NotDuplicate.objects.partners_of(person))
    proposed = list(_proposed(person, people)[:CANDIDATES_SCANNED])
    shared = _shared_cases(user, person, proposed)
    scored = [_scored(person, other, shared.get(other.pk, [])) for other in proposed]
    ranked = sorted(
        (c for c in scored if c.score >= DUPLICATE_THRESHOLD),
        key=lambda c: (-c.score, c.person.family_name, str(c.person.pk)),
    )
    return ranked[:limit]


def _shared_cases(user, person: Person, others: list[Person]) -> dict:
    if person.pk is None or not others:
        return {}
    parties = case_reach().parties(user)
    mine = set(parties.filter(person=person).values_list("case_id", flat=True))
    shared: dict = {}
    rows = parties.filter(person__in=others, case_id__in=mine).values_list(
        "person_id", "case__reference"
    )
    for person_id, reference in rows:
        shared.setdefault(person_id, []).append(reference)
    return shared


def _scored(person: Person, other: Person, shared: list[str]) -> DuplicateCandidate:
    names = _name_similarity(person, other)
    score, reasons = (
        0.7 * names,
        [_("names %(percent)s%% similar after transliteration") % {"percent": round(names * 100)}],
    )
    born = _birth_comparison(person, other)
    if born is not None:
        weight, reason = born
        score += weight
        reasons.append(reason)
    common = _country_codes(person) & _country_codes(other)
    if common:
        score += 0.1
        reasons.append(
            _("both citizens of %(countries)s") % {"countries": ", ".join(sorted(common))}
        )
    if shared:
        score += 0.05
        reasons.append(_("on the same case (%(cases)s)") % {"cases": ", ".join(sorted(shared))})
    return DuplicateCandidate(person=other, score=round(min(score, 1.0), 2), reasons=reasons)


def _country_codes(person: Person) -> set[str]:
    return {getattr(country, "code", country) for country in person.citizenships or []}


def _birth_comparison(a: Person, b: Person) -> tuple[float, str] | None:
    """How the two birth dates compare, at the coarser of the two precisions."""
    if a.birth_date is None or b.birth_date is None:
        return None
    precisions = {a.birth_date_precision, b.birth_date_precision}
    if a.birth_date.year != b.birth_date.year:
        return -0.3, _("born in different years (%(a)s, %(b)s)") % {
            "a": a.birth_date.year,
            "b": b.birth_date.year,
        }
    if precisions == {"day"} and a.birth_date == b.birth_date:
        return 0.3, _("same date of birth")
    if precisions <= {"day", "month"} and a.birth_date.month == b.birth_date.month:
        return 0.2, _("born in the same month")
    return 0.15, _("same birth year")


PAIRS_SCANNED = 200  # pairs the database proposes for the candidates page, then scored here


def duplicate_pairs(*, user, limit: int = 50) -> list[tuple[Person, DuplicateCandidate]]:
    """The likeliest pairs of duplicates among the people of the organisations where ``user``
    is a caseworker or admin, best first (the candidates page). The database proposes the
    pairs in one query (PostgreSQL: pg_trgm's ``%`` over the stored spellings, through the
    GIN index; SQLite: the same family-name stem), then each pair is scored as on the person
    page."""
    people = Person.objects.visible_to(user).filter(
        organisation__memberships__user=user,
        organisation__memberships__role__in=Membership.STAFF_ROLES,
    )
    ids = _proposed_pairs(people)
    by_id = {
        p.pk: p
        for p in Person.objects.filter(pk__in={i for pair in ids for i in pair}).prefetch_related(
            "names"
        )
    }
    marked = set(
        NotDuplicate.objects.filter(person_id__in=by_id).values_list("person_id", "other_id")
    )
    pairs = []
    for left, right in ids:
        if (left, right) in marked or (right, left) in marked:
            continue
        if left in by_id and right in by_id:
            candidate = _scored(by_id[left], by_id[right], [])
            if candidate.score >= DUPLICATE_THRESHOLD:
                pairs.append((by_id[left], candidate))
    pairs.sort(key=lambda pair: (-pair[1].score, pair[0].family_name, str(pair[0].pk)))
    return pairs[:limit]


def _proposed_pairs(people: QuerySet) -> list[tuple]:
    table = Person._meta.db_table
    scope_sql, scope_params = people.values("id").query.sql_with_params()
    if connections[people.db].vendor == "postgresql":
        # The table is the model's and the scope Django's own SQL with its parameters.
        sql = (
            f'SELECT a.id, b.id FROM "{table}" a JOIN "{table}" b '  # noqa: S608
            "ON a.organisation_id = b.organisation_id AND a.id < b.id "
            "AND a.search_text %% b.search_text "
            f"WHERE a.id IN ({scope_sql}) AND b.id IN ({scope_sql}) "
            "ORDER BY similarity(a.search_text, b.search_text) DESC LIMIT %s"
        )
        with connections[people.db].cursor() as cursor:
            cursor.execute(sql, [*scope_params, *scope_params, PAIRS_SCANNED])
            return list(cursor.fetchall())
    # SQLite, in development: people whose family names share a stem.
    stems: dict = {}
    for pk, organisation_id, family in people.values_list("pk", "organisation_id", "family_name"):
        key = name_key(family).split()
        if key:
            stems.setdefault(
                (organisation_id, key[0][: max(_WORD_MIN, len(key[0]) - 2)]), []
            ).append(pk)
    pairs = [
        (a, b) for group in stems.values() for i, a in enumerate(group) for b in group[i + 1 :]
    ]
    return pairs[:PAIRS_SCANNED]
