"""Single cases with other outcomes than the group case's: extradition refused and UNHCR
resettlement (like the 2006 case of DESIGN §1), a request withdrawn, a restricted deportation
case, a case pending today (shared with the outside lawyer), and Bishkek Legal Aid's case."""

import datetime

from django.utils import timezone

from cases import services as cs
from cases.choices import (
    AccessRole,
    DecisionOutcome,
    DecisionStage,
    DetentionBasis,
    PartyRole,
    RequestStatus,
)
from cases.models import Case
from cases.services.deadlines import deadline_create
from people.choices import RelationshipKind
from rulings import services as rs
from rulings.choices import Authority, ComplaintStatus, StatusOutcome, TreatyBody
from workspace.demo.cast import BIS_HUSBAND, BIS_WIFE, PENDING, REFUSED, RESTRICTED, WITHDRAWN
from workspace.demo.group import DETENTION, NATIONAL_BODY, UNHCR_ALMATY, UZ_CHARGES
from workspace.demo.recorder import Recorder, days

d = datetime.date


def refused_case(admin: Recorder, caseworker: Recorder) -> Case:
    """A UNHCR refugee whose extradition the prosecutor refuses; UNHCR resettles him."""
    case = admin.open(
        reference="ALA-2006-001",
        title="Extradition to Tajikistan refused; resettled by UNHCR",
        opened_on=d(2006, 2, 14),
        lead=caseworker.user,
    )
    person = admin.party(case, REFUSED)
    admin.status(
        case,
        person,
        Authority.UNHCR_MANDATE,
        StatusOutcome.RECOGNISED,
        d(2004, 10, 5),
        notified_after=7,
        body=UNHCR_ALMATY,
    )
    detention = admin.detain(
        case, person, DetentionBasis.PROVISIONAL_ARREST_EXTRADITION, d(2006, 2, 13), **DETENTION
    )
    request = admin.request(
        case,
        person,
        d(2006, 3, 1),
        requesting_state="TJ",
        reference="PG-TJ/2006-0412",
        charges="Criminal Code of Tajikistan art. 307 (public calls to overturn the "
        "constitutional order).",
    )
    admin.stage(
        request,
        DecisionStage.PROSECUTOR,
        DecisionOutcome.REFUSED,
        d(2006, 4, 11),
        served_after=1,
        body="Prosecutor General's Office of Kazakhstan",
        notes="A refugee under UNHCR's mandate: extradition would breach non-refoulement "
        "(1951 Convention art. 33).",
    )
    admin.request_status(request, RequestStatus.REFUSED)
    admin.release(detention, d(2006, 4, 12))
    caseworker.note(
        case, d(2006, 5, 18), "Handed to UNHCR on release; resettled to a third country today."
    )
    admin.close(case, d(2006, 6, 1))
    return case


def withdrawn_case(admin: Recorder, caseworker: Recorder) -> Case:
    """Uzbekistan withdraws its request; the man is released."""
    case = admin.open(
        reference="ALA-2011-001",
        title="Extradition request withdrawn; released",
        opened_on=d(2011, 2, 16),
        lead=caseworker.user,
    )
    person = admin.party(case, WITHDRAWN)
    detention = admin.detain(
        case, person, DetentionBasis.PROVISIONAL_ARREST_EXTRADITION, d(2011, 2, 15), **DETENTION
    )
    request = admin.request(
        case,
        person,
        d(2011, 3, 2),
        reference="17-11/87-2011",
        charges="Criminal Code of Uzbekistan art. 168 (fraud).",
    )
    admin.request_status(request, RequestStatus.WITHDRAWN)
    admin.release(detention, d(2011, 5, 23))
    caseworker.note(
        case, d(2011, 5, 23), "Uzbekistan withdrew the request on 20 May; released today."
    )
    admin.close(case, d(2011, 7, 1))
    return case


def restricted_case(admin: Recorder, caseworker: Recorder) -> Case:
    """Restricted: only the organisation's admins and the caseworker it is shared with see it."""
    case = admin.open(
        reference="ALA-2012-001",
        title="Deportation to Tajikistan halted by the Human Rights Committee",
        opened_on=d(2012, 3, 6),
        lead=caseworker.user,
        restricted=True,
        summary="Restricted: she gave evidence against officials; only her caseworker knows "
        "where she lives.",
    )
    cs.case_share(
        acting_user=admin.user, case=case, user=caseworker.user, role=AccessRole.CASEWORKER
    )
    person = admin.party(case, RESTRICTED)
    detention = admin.detain(
        case,
        person,
        DetentionBasis.IMMIGRATION,
        d(2012, 3, 4),
        facility="Special reception centre for foreign nationals",
        location="Almaty",
        authority="Migration Police, Almaty",
    )
    complaint = rs.complaint_submit(
        acting_user=admin.user,
        case=case,
        body=TreatyBody.HRC,
        state_party="KZ",
        submitted_on=d(2012, 3, 20),
        complainants=[person],
        counsel="Almaty Refugee Rights Centre",
        number="2193/2012",
    )
    rs.complaint_update(
        acting_user=admin.user,
        complaint=complaint,
        registered_on=d(2012, 3, 27),
        transmitted_on=d(2012, 3, 27),
        status=ComplaintStatus.REGISTERED,
    )
    rs.interim_measure_record(
        acting_user=admin.user,
        complaint=complaint,
        requested_on=d(2012, 3, 20),
        granted_on=d(2012, 3, 27),
        scope="Do not deport the author to Tajikistan while the communication is examined.",
    )
    admin.release(detention, d(2012, 4, 20))
    return case


def pending_case(caseworker: Recorder, lawyer) -> Case:
    """Open today, dated back from today so that its deadlines are live in the demo.

    Recognised by UNHCR, rejected nationally, with a pending request: a high-risk person
    (DESIGN §5). The caseworker shares it with the outside lawyer, who files an update.
    """
    today = timezone.localdate()
    opened_on = days(today, -23)
    case = caseworker.open(
        reference=f"ALA-{opened_on.year}-001",
        title="Provisional arrest pending extradition to Uzbekistan",
        opened_on=opened_on,
        lead=caseworker.user,
    )
    person = caseworker.party(case, PENDING)
    caseworker.relative(
        person,
        RelationshipKind.PARENT,
        relative_name="Shukurillaeva Dilorom",
        phone="+998 93 555 0164",
        notes="His mother, in Andijan; speaks Uzbek only.",
    )
    caseworker.status(
        case,
        person,
        Authority.UNHCR_MANDATE,
        StatusOutcome.RECOGNISED,
        days(today, -420),
        notified_after=7,
        body=UNHCR_ALMATY,
    )
    caseworker.status(
        case,
        person,
        Authority.NATIONAL,
        StatusOutcome.REJECTED,
        days(today, -70),
        notified_after=6,
        body=NATIONAL_BODY,
        grounds="Account found not credible.",
    )
    caseworker.detain(
        case,
        person,
        DetentionBasis.PROVISIONAL_ARREST_EXTRADITION,
        days(today, -24),
        facility="Temporary detention facility",
        location="Almaty",
        authority="Almaty City Police Department",
    )
    request = caseworker.request(
        case,
        person,
        days(today, -12),
        reference=f"17-11/511-{today.year}",
        charges=UZ_CHARGES,
    )
    # The prosecutor's approval, served four days ago: the 10-day appeal window (KZ CPC art.
    # 592(1)) is open in the demo, with its reminders coming due.
    caseworker.stage(
        request,
        DecisionStage.PROSECUTOR,
        DecisionOutcome.GRANTED,
        days(today, -5),
        served_after=1,
        body="Prosecutor General's Office",
    )
    # A date no rule computes: the court set it at the hearing of the asylum appeal.
    deadline_create(
        acting_user=caseworker.user,
        case=case,
        person=person,
        title="Written arguments on the asylum appeal to the administrative court",
        due_on=days(today, 3),
        responsible=caseworker.user,
        explanation="Set by the Specialised Inter-district Administrative Court of Almaty at the "
        "hearing; the next hearing follows a week later.",
    )
    cs.case_share(acting_user=caseworker.user, case=case, user=lawyer, role=AccessRole.LAWYER)
    caseworker.as_user(lawyer).note(
        case,
        days(today, -2),
        "Visited the client: he fears torture if returned. Filing the court appeal against the "
        "asylum refusal this week.",
    )
    return case


def bishkek_case(admin: Recorder, caseworker: Recorder) -> Case:
    """Bishkek Legal Aid: a man and his wife; the court quashes his extradition."""
    case = admin.open(
        reference="BIS-2011-001",
        title="Extradition from Osh to Uzbekistan quashed",
        opened_on=d(2011, 8, 12),
        lead=caseworker.user,
    )
    husband = admin.party(case, BIS_HUSBAND)
    wife = admin.party(case, BIS_WIFE, role=PartyRole.FAMILY)
    admin.relative(
        husband,
        RelationshipKind.SPOUSE,
        relative=wife,
        phone="+996 555 010 203",
        notes="Call her before every hearing.",
    )
    admin.status(
        case,
        husband,
        Authority.UNHCR_MANDATE,
        StatusOutcome.RECOGNISED,
        d(2010, 7, 1),
        body="UNHCR Bishkek",
    )
    detention = admin.detain(
        case,
        husband,
        DetentionBasis.PROVISIONAL_ARREST_EXTRADITION,
        d(2011, 8, 10),
        facility="Temporary detention facility",
        location="Osh",
        authority="Osh City Police Department",
    )
    request = admin.request(case, husband, d(2011, 8, 24), requested_state="KG", charges=UZ_CHARGES)
    admin.stage(
        request,
        DecisionStage.PROSECUTOR,
        DecisionOutcome.GRANTED,
        d(2011, 10, 3),
        served_after=3,
        body="Prosecutor General's Office of Kyrgyzstan",
    )
    admin.stage(
        request,
        DecisionStage.FIRST_INSTANCE,
        DecisionOutcome.QUASHED,
        d(2011, 12, 12),
        served_after=1,
        body="Osh City Court",
        notes="Real risk of torture if returned.",
    )
    admin.request_status(request, RequestStatus.REFUSED)
    admin.release(detention, d(2011, 12, 13))
    caseworker.note(
        case,
        d(2011, 12, 13),
        "Released after the court quashed the prosecutor's decision.",
    )
    admin.close(case, d(2012, 2, 1))
    return case
