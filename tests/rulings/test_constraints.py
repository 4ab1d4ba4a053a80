"""Database constraints of rulings, fired in the database itself (bypassing full_clean()), and
the rules between decisions that only the models can check.

Each row shares its setup between a valid record and the one change that breaks it.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from rulings.models import RefugeeStatusDecision
from tests import factories as f
from tests.helpers import violates

CHECKS = [
    # (constraint, factory, a valid record's fields, the change that breaks the constraint)
    pytest.param(
        "rulings_refugeestatusdecision_notified_after_decided",
        f.StatusDecisionFactory,
        {"decided_on": date(2009, 11, 1), "notified_on": date(2009, 11, 1)},
        {"notified_on": date(2009, 10, 31)},
        id="status decision notified before decided",
    ),
    pytest.param(
        "rulings_complaint_registered_after_submitted",
        f.ComplaintFactory,
        {"submitted_on": date(2010, 12, 1), "registered_on": date(2010, 12, 1)},
        {"registered_on": date(2010, 11, 30)},
        id="complaint registered before submitted",
    ),
    pytest.param(
        "rulings_complaint_transmitted_after_submitted",
        f.ComplaintFactory,
        {"submitted_on": date(2010, 12, 1), "transmitted_on": date(2010, 12, 1)},
        {"transmitted_on": date(2010, 11, 30)},
        id="complaint transmitted before submitted",
    ),
    pytest.param(
        "rulings_complaint_reply_after_transmission",
        f.ComplaintFactory,
        {"transmitted_on": date(2011, 1, 10), "state_reply_on": date(2011, 1, 10)},
        {"state_reply_on": date(2011, 1, 9)},
        id="State replied before transmission",
    ),
    pytest.param(
        "rulings_complaint_reply_after_transmission",
        f.ComplaintFactory,
        {"transmitted_on": date(2011, 1, 10), "state_reply_on": date(2011, 7, 1)},
        {"transmitted_on": None},
        id="State replied to an untransmitted complaint",
    ),
    pytest.param(
        "rulings_interimmeasure_granted_after_requested",
        f.InterimMeasureFactory,
        {"requested_on": date(2010, 12, 1), "granted_on": date(2010, 12, 1)},
        {"granted_on": date(2010, 11, 30)},
        id="measure granted before requested",
    ),
    pytest.param(
        "rulings_interimmeasure_reaffirmed_after_granted",
        f.InterimMeasureFactory,
        {"granted_on": date(2010, 12, 3), "reaffirmed_on": date(2010, 12, 3)},
        {"reaffirmed_on": date(2010, 12, 2)},
        id="measure reaffirmed before granted",
    ),
    pytest.param(
        "rulings_interimmeasure_reaffirmed_after_granted",
        f.InterimMeasureFactory,
        {"granted_on": date(2010, 12, 3), "reaffirmed_on": date(2011, 6, 1)},
        {"granted_on": None},
        id="ungranted measure reaffirmed",
    ),
    pytest.param(
        "rulings_interimmeasure_lifted_after_granted",
        f.InterimMeasureFactory,
        {"granted_on": date(2010, 12, 3), "lifted_on": date(2010, 12, 3)},
        {"lifted_on": date(2010, 12, 2)},
        id="measure lifted before granted",
    ),
    pytest.param(
        "rulings_interimmeasure_lifted_after_granted",
        f.InterimMeasureFactory,
        {"granted_on": date(2010, 12, 3), "lifted_on": date(2012, 6, 15)},
        {"granted_on": None},
        id="ungranted measure lifted",
    ),
    pytest.param(
        "rulings_committeedecision_transmitted_after_adopted",
        f.CommitteeDecisionFactory,
        {"adopted_on": date(2012, 6, 1), "transmitted_on": date(2012, 6, 1)},
        {"transmitted_on": date(2012, 5, 31)},
        id="committee decision transmitted before adopted",
    ),
    pytest.param(
        "rulings_committeedecision_follow_up_after_adopted",
        f.CommitteeDecisionFactory,
        {"adopted_on": date(2012, 6, 1), "follow_up_reply_on": date(2012, 6, 1)},
        {"follow_up_reply_on": date(2012, 5, 31)},
        id="follow-up reply before the decision",
    ),
]


@pytest.mark.parametrize(("constraint", "factory", "valid", "breaking"), CHECKS)
def test_check_constraint(db, constraint, factory, valid, breaking):
    factory(**valid)
    with violates(constraint):
        factory(**{**valid, **breaking})


def test_a_decision_is_not_an_appeal_against_itself(world):
    first = f.StatusDecisionFactory(case=world.case, authority="national", outcome="rejected")
    appeal = f.StatusDecisionFactory(
        case=world.case, person=first.person, authority="court", appeal_of=first
    )
    appeal.appeal_of = appeal
    with violates("rulings_refugeestatusdecision_not_own_appeal"):
        appeal.save()


def test_a_complaint_number_is_unique_per_case_and_body(world):
    f.ComplaintFactory(case=world.case, body="CAT", number="444/2010")
    f.ComplaintFactory(case=world.case, body="HRC", number="444/2010")
    f.ComplaintFactory(case=world.unshared, body="CAT", number="444/2010")
    f.ComplaintFactory(case=world.case, body="CAT", number="")
    f.ComplaintFactory(case=world.case, body="CAT", number="")
    with violates("rulings_complaint_unique_number"):
        f.ComplaintFactory(case=world.case, body="CAT", number="444/2010")


# --- rules between decisions (the models' clean()) --------------------------------------------


@pytest.fixture
def rejected(world) -> RefugeeStatusDecision:
    """A national rejection of 1 March 2010, of a party to ``world.case``."""
    return f.StatusDecisionFactory(
        case=world.case, authority="national", outcome="rejected", decided_on=date(2010, 3, 1)
    )


@pytest.mark.parametrize(
    ("whose", "decided_on", "field"),
    [
        ("same person", date(2010, 3, 1), None),
        ("another person", date(2010, 5, 1), "appeal_of"),
        ("same person", date(2010, 2, 28), "decided_on"),
    ],
)
def test_an_appeal_concerns_the_same_person_and_follows_the_decision(
    world, rejected, whose, decided_on, field
):
    person = (
        rejected.person if whose == "same person" else f.CasePartyFactory(case=world.case).person
    )
    appeal = RefugeeStatusDecision(
        case=world.case,
        person=person,
        authority="court",
        outcome="recognised",
        decided_on=decided_on,
        appeal_of=rejected,
    )
    if field is None:
        appeal.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            appeal.full_clean()
        assert list(error.value.message_dict) == [field]
