"""Shortcuts over the services for the demo stories: one organisation, one acting user.

Every write still goes through people.services, cases.services and rulings.services, so the
access checks, validation and timeline events are the real ones.
"""

import datetime
from dataclasses import dataclass, replace
from typing import Any

from cases import services as cs
from cases.choices import DetentionEndReason, PartyRole
from cases.models import Case, Detention, ExtraditionRequest
from organisations.models import Organisation
from people import services as ps
from people.choices import DatePrecision, Script
from people.models import Person
from rulings import services as rs
from rulings.models import RefugeeStatusDecision
from workspace.demo.cast import Someone


def days(day: datetime.date, n: int) -> datetime.date:
    return day + datetime.timedelta(days=n)


@dataclass(frozen=True)
class Recorder:
    """Records the demo in ``organisation`` as ``user``; ``as_user`` switches the actor."""

    organisation: Organisation
    user: Any

    def as_user(self, user: Any) -> "Recorder":
        return replace(self, user=user)

    def open(self, **fields: Any) -> Case:
        return cs.case_open(acting_user=self.user, organisation=self.organisation, **fields)

    def person(self, someone: Someone) -> Person:
        year_only = isinstance(someone.born, int)
        person = ps.person_create(
            acting_user=self.user,
            organisation=self.organisation,
            family_name=someone.family_name,
            given_name=someone.given_name,
            patronymic=someone.patronymic,
            name_native=someone.native,
            sex=someone.sex,
            birth_date=datetime.date(someone.born, 1, 1) if year_only else someone.born,
            birth_date_precision=DatePrecision.YEAR if year_only else DatePrecision.DAY,
            birth_place=someone.birth_place,
            citizenships=[someone.citizenship],
            languages=list(someone.languages),
        )
        if someone.russian and someone.russian != someone.native:
            ps.person_name_add(
                acting_user=self.user, person=person, name=someone.russian, script=Script.CYRILLIC
            )
        for name, kind in someone.variants:
            ps.person_name_add(
                acting_user=self.user, person=person, name=name, kind=kind, script=Script.LATIN
            )
        return person

    def party(self, case: Case, someone: Someone, role: str = PartyRole.PRINCIPAL) -> Person:
        person = self.person(someone)
        cs.case_party_add(acting_user=self.user, case=case, person=person, role=role)
        return person

    def relative(self, person: Person, kind: str, **fields: Any) -> None:
        ps.relationship_create(acting_user=self.user, person=person, kind=kind, **fields)

    def status(
        self,
        case: Case,
        person: Person,
        authority: str,
        outcome: str,
        decided_on: datetime.date,
        notified_after: int = 5,
        **fields: Any,
    ) -> RefugeeStatusDecision:
        return rs.status_decision_record(
            acting_user=self.user,
            case=case,
            person=person,
            authority=authority,
            outcome=outcome,
            decided_on=decided_on,
            notified_on=days(decided_on, notified_after),
            **fields,
        )

    def detain(
        self, case: Case, person: Person, basis: str, started_on: datetime.date, **fields: Any
    ) -> Detention:
        return cs.detention_create(
            acting_user=self.user,
            case=case,
            person=person,
            basis=basis,
            started_on=started_on,
            **fields,
        )

    def release(
        self,
        detention: Detention,
        ended_on: datetime.date,
        end_reason: str = DetentionEndReason.RELEASED,
    ) -> None:
        cs.detention_end(
            acting_user=self.user, detention=detention, ended_on=ended_on, end_reason=end_reason
        )

    def request(
        self,
        case: Case,
        person: Person,
        received_on: datetime.date,
        requesting_state: str = "UZ",
        requested_state: str = "KZ",
        **fields: Any,
    ) -> ExtraditionRequest:
        return cs.extradition_request_create(
            acting_user=self.user,
            case=case,
            person=person,
            requesting_state=requesting_state,
            requested_state=requested_state,
            received_on=received_on,
            **fields,
        )

    def request_status(self, request: ExtraditionRequest, status: str) -> None:
        cs.extradition_request_update(acting_user=self.user, request=request, status=status)

    def stage(
        self,
        request: ExtraditionRequest,
        stage: str,
        outcome: str,
        decided_on: datetime.date,
        served_after: int = 2,
        **fields: Any,
    ) -> None:
        cs.extradition_decision_record(
            acting_user=self.user,
            request=request,
            stage=stage,
            outcome=outcome,
            decided_on=decided_on,
            served_on=days(decided_on, served_after),
            **fields,
        )

    def note(self, case: Case, occurred_on: datetime.date, body: str) -> None:
        cs.note_file(acting_user=self.user, case=case, occurred_on=occurred_on, body=body)

    def close(self, case: Case, closed_on: datetime.date) -> None:
        cs.case_close(acting_user=self.user, case=case, closed_on=closed_on)
