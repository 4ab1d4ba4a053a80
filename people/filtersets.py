"""Filters of people's records, shared by the API and the browser UI (DESIGN §3, §7): relations
are filters, not nested URLs (``/api/v1/relationships/?person=<uuid>``).

A filter that names a record accepts only records the user may see, so that a filter answers
alike for a record that does not exist and one that is not theirs. ``people`` may not import
``cases``, so cases' models are looked up by name, as in ``PersonQuerySet.visible_to``.
"""

import django_filters
from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, CharField, IntegerField, QuerySet, Value, When
from django.db.models.functions import Concat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from people.access import case_reach
from people.choices import NameKind, RelationshipKind, Script, Sex
from people.models import Person, PersonName, Relationship
from people.selectors import person_search

#: The most people a ``?search=`` answers with, best match first, in one unpaginated list.
SEARCH_LIMIT = 50


def _visible_cases(request) -> QuerySet:
    return case_reach().cases(AnonymousUser() if request is None else request.user)


def _visible_people(request) -> QuerySet:
    return Person.objects.none() if request is None else Person.objects.visible_to(request.user)


class PersonFilterSet(django_filters.FilterSet):
    organisation = django_filters.UUIDFilter(
        field_name="organisation",
        help_text=_("People of this organisation (UUID)."),
    )
    case = django_filters.ModelChoiceFilter(
        field_name="case_parties__case",
        queryset=_visible_cases,
        help_text=_("People party to this case (UUID of a case you can see)."),
    )
    citizenship = django_filters.ChoiceFilter(
        choices=Person._meta.get_field("citizenships").countries,
        method="filter_citizenship",
        help_text=_("People holding this citizenship (ISO 3166 code; “XX” is stateless)."),
    )
    sex = django_filters.ChoiceFilter(choices=Sex.choices, help_text=_("People of this sex."))
    search = django_filters.CharFilter(
        method="filter_search",
        help_text=format_lazy(
            _(
                "A name in any spelling and any script (“Абдусаматов” finds “Abdussamatov”). "
                "Answers the {limit} best matches, best first, in one unpaginated list; the "
                "other filters narrow those matches."
            ),
            limit=SEARCH_LIMIT,
        ),
    )

    class Meta:
        model = Person
        fields = ["organisation", "case", "citizenship", "sex", "search"]

    def filter_citizenship(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Several citizenships are stored as one comma-separated column ("RU,UZ"): pad it with
        # commas so that a code matches only as a whole item.
        return queryset.alias(
            padded_citizenships=Concat(
                Value(","), "citizenships", Value(","), output_field=CharField()
            )
        ).filter(padded_citizenships__contains=f",{value},")

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if self.request is None:  # nobody to search for
            return queryset.none()
        ranked = [
            person.pk
            for person in person_search(user=self.request.user, query=value, limit=SEARCH_LIMIT)
        ]
        rank = Case(
            *(When(pk=pk, then=Value(position)) for position, pk in enumerate(ranked)),
            output_field=IntegerField(),
        )
        return queryset.filter(pk__in=ranked).order_by(rank) if ranked else queryset.none()


class PersonNameFilterSet(django_filters.FilterSet):
    person = django_filters.ModelChoiceFilter(
        queryset=_visible_people, help_text=_("Spellings of this person's name (UUID).")
    )
    script = django_filters.ChoiceFilter(
        choices=Script.choices, help_text=_("Spellings in this script.")
    )
    kind = django_filters.ChoiceFilter(
        choices=NameKind.choices, help_text=_("Spellings of this kind.")
    )

    class Meta:
        model = PersonName
        fields = ["person", "script", "kind"]


class RelationshipFilterSet(django_filters.FilterSet):
    person = django_filters.ModelChoiceFilter(
        queryset=_visible_people, help_text=_("Relatives and contacts of this person (UUID).")
    )
    kind = django_filters.ChoiceFilter(
        choices=RelationshipKind.choices, help_text=_("Relationships of this kind.")
    )

    class Meta:
        model = Relationship
        fields = ["person", "kind"]
