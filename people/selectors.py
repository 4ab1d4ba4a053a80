"""Reads of people: the name search (``person_search``), which every list, filter and picker
uses. Who may see a person is ``PersonQuerySet.visible_to``; the keys the search compares are
made in ``people.search``.
"""

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.db.models import Case, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat, Greatest

from people.models import Person
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
