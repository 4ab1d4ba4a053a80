"""The merge form and the "not a duplicate" button (issue #12 item 2): for the organisation's
caseworkers and admins, a choice per conflicting field, the reason; nothing merged on error."""

import datetime

from django.urls import reverse

from cases.models import CaseEvent
from people.models import NotDuplicate, Person
from people.services import person_create
from tests import factories as f
from tests.pages.matrix import EDIT_FORM, ActionMatrix, PageMatrix, client_for


def _pair(world):
    keep = f.CasePartyFactory(case=world.case, person__family_name="Abdusamatov").person
    merge = f.CasePartyFactory(case=world.case, person__family_name="Abdusamatov").person
    keep.birth_date, merge.birth_date = datetime.date(1984, 3, 2), datetime.date(1984, 2, 3)
    keep.save()
    merge.save()
    return keep, merge


class TestMergePage(PageMatrix):
    url_name = "workspace:person_merge"
    status = EDIT_FORM
    # Session, user, the two records, the edit right, the header's unread count.
    query_budget = 8

    def url(self, world):
        keep, merge = _pair(world)
        return reverse(self.url_name, args=[keep.pk, merge.pk])

    def add_row(self, world):
        pass  # a form: nothing grows


class TestNotDuplicate(ActionMatrix):
    url_name = "people:person_not_duplicate"
    allowed = {"admin": True, "caseworker": True}

    def url(self, world):
        one, two = _pair(world)
        return reverse(self.url_name, args=[one.pk, two.pk])


def test_the_form_asks_for_each_conflict_and_merges_once_chosen(world):
    keep, merge = _pair(world)
    client = client_for(world.caseworker)
    url = reverse("workspace:person_merge", args=[keep.pk, merge.pk])
    page = client.get(url).content.decode()
    assert ("choice_birth_date" in page and "2 March 1984" in page) or "1984" in page

    unchosen = client.post(url, {"reason": "Same passport"})
    assert unchosen.status_code == 400
    assert Person.objects.get(pk=merge.pk).merged_into_id is None

    done = client.post(url, {"reason": "Same passport", "choice_birth_date": "keep"})
    assert done.status_code == 302
    assert Person.objects.get(pk=merge.pk).merged_into_id == keep.pk
    assert CaseEvent.objects.filter(kind="person.merged", case=world.case).exists()


def test_the_person_page_offers_merge_and_not_a_duplicate(world):
    one, two = (
        person_create(
            acting_user=world.caseworker,
            organisation=world.org,
            family_name="Abdusamatov",
            given_name="Rustam",
        )
        for _ in range(2)
    )
    client = client_for(world.caseworker)
    page = client.get(one.get_absolute_url()).content.decode()
    assert reverse("workspace:person_merge", args=[one.pk, two.pk]) in page
    marked = client.post(reverse("people:person_not_duplicate", args=[one.pk, two.pk]))
    assert marked.status_code == 302
    assert NotDuplicate.objects.count() == 1
    assert "Possible duplicates" not in client.get(one.get_absolute_url()).content.decode()
