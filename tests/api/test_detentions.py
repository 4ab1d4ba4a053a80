import datetime

from cases.models import Detention
from tests import factories as f
from tests.api.matrix import EndpointMatrix, client_for
from tests.helpers import EDIT, party


class TestDetentions(EndpointMatrix):
    basename = "detention"

    def record(self, world):
        return f.DetentionFactory(case=world.case, person=party(world.case))

    def create_data(self, world):
        return {
            "case": str(world.case.pk),
            "person": str(party(world.case).pk),
            "basis": "provisional_arrest_extradition",
            "started_on": "2010-06-10",
            "facility": "Temporary detention facility",
        }

    def update_data(self, world, record):
        return {"facility": f"{record.facility} (block B)"}

    verbs = {"end": EDIT}

    def verb_call(self, world, verb):
        return self.record(world), {"ended_on": "2010-08-01", "end_reason": "released"}


def test_overlapping_detention_is_a_400_naming_the_field(world):
    detention = f.DetentionFactory(case=world.case, person=party(world.case))
    response = client_for(world.caseworker).post(
        "/api/v1/detentions/",
        {
            "case": str(world.case.pk),
            "person": str(detention.person.pk),
            "basis": "immigration",
            "started_on": "2010-07-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "overlap" in response.json()["started_on"][0]
    assert Detention.objects.count() == 1


def test_end_verb(world):
    detention = f.DetentionFactory(case=world.case, person=party(world.case))
    response = client_for(world.caseworker).post(
        f"/api/v1/detentions/{detention.pk}/end/",
        {"ended_on": "2010-08-01", "end_reason": "released"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    detention.refresh_from_db()
    assert detention.ended_on == datetime.date(2010, 8, 1)
