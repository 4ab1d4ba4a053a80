"""Filters of the people endpoints (people/filtersets.py): relations are filters, and a filter
naming a record accepts only records the user may see."""

import pytest

from people.search import person_search_text_refresh
from tests import factories as f
from tests.api.matrix import client_for
from tests.helpers import party


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_people_by_organisation(world):
    ours = f.PersonFactory(organisation=world.org)
    client = client_for(world.caseworker)
    assert _ids(client.get("/api/v1/people/", {"organisation": str(world.org.pk)})) == {
        str(ours.pk)
    }
    assert _ids(client.get("/api/v1/people/", {"organisation": str(world.other_org.pk)})) == set()


def test_people_by_case(world):
    in_case, elsewhere = party(world.case), party(world.unshared)
    client = client_for(world.caseworker)
    assert _ids(client.get("/api/v1/people/", {"case": str(world.case.pk)})) == {str(in_case.pk)}
    assert _ids(client.get("/api/v1/people/", {"case": str(world.unshared.pk)})) == {
        str(elsewhere.pk)
    }


@pytest.mark.parametrize("case", ["restricted", "other_case"])
def test_people_by_a_case_one_cannot_see_is_refused_as_if_it_did_not_exist(world, case):
    # The caseworker sees every person of the organisation, but must not learn who is party to
    # a restricted case that is not shared with them.
    party(getattr(world, case))
    client = client_for(world.caseworker)
    hidden = client.get("/api/v1/people/", {"case": str(getattr(world, case).pk)})
    missing = client.get("/api/v1/people/", {"case": "00000000-0000-0000-0000-000000000000"})
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json().keys() == missing.json().keys() == {"case"}


def test_people_by_citizenship(world):
    dual = f.PersonFactory(organisation=world.org, citizenships=["UZ", "RU"])
    kazakh = f.PersonFactory(organisation=world.org, citizenships=["KZ"])
    stateless = f.PersonFactory(organisation=world.org, citizenships=["XX"])
    f.PersonFactory(organisation=world.org)
    client = client_for(world.caseworker)
    for code, expected in [("RU", dual), ("UZ", dual), ("KZ", kazakh), ("XX", stateless)]:
        found = _ids(client.get("/api/v1/people/", {"citizenship": code}))
        assert found == {str(expected.pk)}, code
    bad = client.get("/api/v1/people/", {"citizenship": "Uzbekistan"})
    assert bad.status_code == 400
    assert "citizenship" in bad.json()


def test_people_by_sex(world):
    woman = f.PersonFactory(organisation=world.org, sex="female")
    f.PersonFactory(organisation=world.org, sex="male")
    client = client_for(world.caseworker)
    assert _ids(client.get("/api/v1/people/", {"sex": "female"})) == {str(woman.pk)}


def test_search_is_narrowed_by_the_other_filters(world):
    in_case = party(world.case)
    elsewhere = party(world.unshared)
    for person in (in_case, elsewhere):
        person.family_name = "Yusupov"
        person.save()
        person_search_text_refresh(person)
    client = client_for(world.caseworker)
    both = client.get("/api/v1/people/", {"search": "Юсупов"})
    assert _ids(both) == {str(in_case.pk), str(elsewhere.pk)}
    narrowed = client.get("/api/v1/people/", {"search": "Юсупов", "case": str(world.case.pk)})
    assert _ids(narrowed) == {str(in_case.pk)}


@pytest.mark.parametrize(
    ("url", "factory"),
    [
        ("/api/v1/person-names/", f.PersonNameFactory),
        ("/api/v1/relationships/", f.RelationshipFactory),
    ],
)
def test_by_person(world, url, factory):
    mine, other = factory(person=party(world.case)), factory(person=party(world.case))
    client = client_for(world.lawyer)
    assert _ids(client.get(url, {"person": str(mine.person.pk)})) == {str(mine.pk)}
    assert _ids(client.get(url)) == {str(mine.pk), str(other.pk)}
    # A person of another organisation is refused as a person that does not exist.
    theirs = client.get(url, {"person": str(party(world.other_case).pk)})
    assert theirs.status_code == 400
    assert "person" in theirs.json()
