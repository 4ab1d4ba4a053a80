"""The group case ALA-2010-001, shaped like DESIGN §1: fourteen men arrested in June 2010 at
Uzbekistan's request, a CAT complaint and interim measure, and thirteen surrendered anyway on
9 June 2011. One is released when the court quashes his extradition."""

import datetime

from cases import services as cs
from cases.choices import (
    DecisionOutcome,
    DecisionStage,
    DetentionBasis,
    DetentionEndReason,
    RequestStatus,
    Treaty,
)
from cases.models import Case, Detention, ExtraditionRequest
from people.choices import RelationshipKind
from people.models import Person
from rulings import services as rs
from rulings.choices import (
    Authority,
    CommitteeDecisionKind,
    CommitteeOutcome,
    ComplaintStatus,
    StatusOutcome,
    TreatyBody,
)
from workspace.demo.cast import GROUP, RELEASED
from workspace.demo.recorder import Recorder, days

d = datetime.date
REFERENCE = "ALA-2010-001"
SURRENDER_DAY = d(2011, 6, 9)
UZ_CHARGES = (
    "Criminal Code of Uzbekistan art. 159 (attempt on the constitutional order) and art. 244-2 "
    "(membership of a prohibited religious organisation)."
)
ASSURANCES = (
    "Letter of the Prosecutor General's Office of Uzbekistan: no torture, no death penalty, "
    "consular visits allowed. No monitoring mechanism."
)
UNHCR_ALMATY = "UNHCR Almaty"
NATIONAL_BODY = "Refugee status commission, Migration Police, Almaty"
DETENTION = {
    "facility": "Pre-trial detention centre No. 1",
    "location": "Almaty",
    "authority": "Almaty City Police Department",
}


def group_case(admin: Recorder, caseworker: Recorder) -> Case:
    case = admin.open(
        reference=REFERENCE,
        title="Fourteen asylum seekers held for extradition to Uzbekistan",
        opened_on=d(2010, 6, 12),
        lead=caseworker.user,
        summary="Uzbek and Tajik asylum seekers arrested in Almaty in June 2010 at Uzbekistan's "
        "request; most were recognised as refugees by UNHCR in 2009.",
    )
    people = [admin.party(case, someone) for someone in GROUP]
    admin.relative(
        people[0],
        RelationshipKind.SPOUSE,
        relative_name="Ergashbekova Malika",
        phone="+7 701 555 0142",
        address="Mkr. Orbita-9, 14-57, Almaty",
        notes="Visits the detention centre on Thursdays.",
    )
    admin.relative(
        people[10],
        RelationshipKind.SIBLING,
        relative_name="Xolmurodov Ilhom",
        phone="+998 90 555 0177",
        notes="Lives in Andijan; passes on news from the family.",
    )
    held = [_member(admin, case, person, i) for i, person in enumerate(people)]
    complaint = rs.complaint_submit(
        acting_user=admin.user,
        case=case,
        body=TreatyBody.CAT,
        state_party="KZ",
        submitted_on=d(2010, 12, 10),
        complainants=people,
        counsel="Droits et Exil (Paris), with the Almaty Refugee Rights Centre",
        number="901/2010",
    )
    rs.complaint_update(
        acting_user=admin.user,
        complaint=complaint,
        registered_on=d(2010, 12, 17),
        transmitted_on=d(2010, 12, 17),
        status=ComplaintStatus.PENDING,
    )
    # CAT rule 114: the Committee asks the State not to extradite while it examines the case.
    measure = rs.interim_measure_record(
        acting_user=admin.user,
        complaint=complaint,
        requested_on=d(2010, 12, 10),
        granted_on=d(2010, 12, 17),
    )
    rs.interim_measure_update(acting_user=admin.user, measure=measure, reaffirmed_on=d(2011, 5, 26))
    _surrender(admin, [pair for i, pair in enumerate(held) if i != RELEASED])
    caseworker.note(
        case,
        d(2011, 6, 10),
        "Thirteen of the fourteen were taken from the detention centre at night on 9 June and "
        "flown to Tashkent, despite the Committee's interim measure. Their families were not "
        "told; they learnt it at the gate.",
    )
    rs.complaint_update(
        acting_user=admin.user,
        complaint=complaint,
        state_reply_on=d(2011, 6, 20),
        comments_due_on=d(2011, 9, 5),
    )
    caseworker.note(
        case,
        d(2011, 11, 21),
        "Relatives report that two of the men were sentenced in Uzbekistan to 10 and 19 years' "
        "imprisonment.",
    )
    rs.committee_decision_record(
        acting_user=admin.user,
        complaint=complaint,
        kind=CommitteeDecisionKind.MERITS,
        symbol="CAT/C/48/D/901/2010",
        adopted_on=d(2012, 6, 1),
        transmitted_on=d(2012, 6, 14),
        outcome=CommitteeOutcome.VIOLATION,
        articles="3",
        remedies="Seek the complainants' return; provide redress, including fair and adequate "
        "compensation; inform the Committee within 90 days of the steps taken.",
    )
    rs.complaint_update(acting_user=admin.user, complaint=complaint, status=ComplaintStatus.DECIDED)
    caseworker.note(
        case,
        d(2012, 9, 13),
        "The 90 days for the State's follow-up reply (CAT rule 118(5)) passed without a reply; "
        "wrote to the Committee's rapporteur on follow-up.",
    )
    return case


def _member(
    admin: Recorder, case: Case, person: Person, i: int
) -> tuple[ExtraditionRequest, Detention]:
    """One man's path from UNHCR recognition (2009) to the failed appeals (March 2011).

    ``i`` spreads the dates over a few days, as they were for a real group.
    """
    admin.status(
        case,
        person,
        Authority.UNHCR_MANDATE,
        StatusOutcome.RECOGNISED,
        days(d(2009, 2, 2), 23 * i),
        notified_after=7,
        body=UNHCR_ALMATY,
        grounds="Well-founded fear of persecution for religious belief.",
    )
    detention = admin.detain(
        case,
        person,
        DetentionBasis.PROVISIONAL_ARREST_EXTRADITION,
        days(d(2010, 6, 9), i % 3),
        **DETENTION,
    )
    request = admin.request(
        case,
        person,
        days(d(2010, 6, 24), i % 4),
        reference=f"17-11/{230 + i}-2010",
        charges=UZ_CHARGES,
        treaty=Treaty.MINSK_1993,
        diplomatic_assurances=ASSURANCES,
    )
    national = admin.status(
        case,
        person,
        Authority.NATIONAL,
        StatusOutcome.REJECTED,
        days(d(2010, 8, 10), i % 5),
        body=NATIONAL_BODY,
        grounds="Excluded under 1951 Convention art. 1F(b): charged in Uzbekistan with serious "
        "non-political crimes.",
    )
    admin.status(
        case,
        person,
        Authority.COURT,
        StatusOutcome.REJECTED,
        days(d(2010, 10, 4), i % 6),
        appeal_of=national,
        body="Specialised Inter-District Administrative Court, Almaty",
        grounds="Appeal against the commission's refusal dismissed.",
    )
    admin.status(
        case,
        person,
        Authority.UNHCR_MANDATE,
        StatusOutcome.WITHDRAWN,
        days(d(2010, 11, 15), i % 4),
        body=UNHCR_ALMATY,
        grounds="Mandate status withdrawn after the national procedure.",
    )
    # The prosecutor general approves extradition (Minsk Convention 1993); KZ CPC art. 592(1)
    # gives 10 days from service of the copy to appeal, hence the separate service date.
    admin.stage(
        request,
        DecisionStage.PROSECUTOR,
        DecisionOutcome.GRANTED,
        days(d(2010, 9, 20), i % 3),
        served_after=4,
        body="Prosecutor General's Office of Kazakhstan",
    )
    if i == RELEASED:
        admin.stage(
            request,
            DecisionStage.FIRST_INSTANCE,
            DecisionOutcome.QUASHED,
            d(2011, 3, 9),
            served_after=1,
            body="Medeu District Court, Almaty",
            notes="Identity not established; real risk of torture.",
        )
        admin.request_status(request, RequestStatus.REFUSED)
        admin.release(detention, d(2011, 3, 10))
    else:
        admin.stage(
            request,
            DecisionStage.FIRST_INSTANCE,
            DecisionOutcome.UPHELD,
            days(d(2011, 3, 1), i % 4),
            body="Medeu District Court, Almaty",
        )
        admin.stage(
            request,
            DecisionStage.APPEAL,
            DecisionOutcome.UPHELD,
            days(d(2011, 3, 22), i % 3),
            body="Almaty City Court",
        )
        admin.request_status(request, RequestStatus.GRANTED)
    return request, detention


def _surrender(admin: Recorder, held: list[tuple[ExtraditionRequest, Detention]]) -> None:
    """9 June 2011: the surrender in breach of the interim measure (DESIGN §1, §6)."""
    for request, detention in held:
        cs.extradition_request_surrender(
            acting_user=admin.user, request=request, surrendered_on=SURRENDER_DAY
        )
        admin.release(detention, SURRENDER_DAY, DetentionEndReason.EXTRADITED)
