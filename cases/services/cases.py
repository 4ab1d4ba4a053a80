"""Opening, changing and closing cases; their parties; sharing a case with a user."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.access import CaseAction, case_require
from cases.choices import AccessRole, CaseStatus, PartyRole
from cases.deadlines.sync import deadlines_close_case, deadlines_reopen_case
from cases.models import Case, CaseAccess, CaseEvent, CaseParty
from cases.services.records import record_create
from casetracker.audit import Verb, event_record, snapshot
from casetracker.services import model_create, model_update
from organisations.access import organisation_require
from organisations.models import Membership, Organisation

CASE_FIELDS = ("title", "summary", "restricted", "lead")


@transaction.atomic
def case_open(
    *,
    acting_user,
    organisation: Organisation,
    reference: str,
    title: str,
    opened_on: datetime.date,
    **fields: Any,
) -> Case:
    organisation_require(user=acting_user, organisation=organisation, roles=Membership.STAFF_ROLES)
    case = model_create(
        model=Case,
        data={"reference": reference, "title": title, "opened_on": opened_on, **fields},
        allowed=("reference", "opened_on", *CASE_FIELDS),
        organisation=organisation,
    )
    event_record(
        verb=Verb.CREATED, actor=acting_user, subject=case, case=case, after=snapshot(case)
    )
    if case.restricted:
        # A caseworker who opens a restricted case must not lose sight of it at once.
        _access_grant(
            acting_user=acting_user, case=case, user=acting_user, role=AccessRole.CASEWORKER
        )
    return case


@transaction.atomic
def case_update(*, acting_user, case: Case, **changes: Any) -> Case:
    """Change a case's descriptive fields. Closing and reopening have their own services."""
    # Forms send every field: only a change of the restriction needs the right to restrict.
    restricting = changes.get("restricted", case.restricted) != case.restricted
    action = CaseAction.RESTRICT if restricting else CaseAction.EDIT
    case_require(user=acting_user, case=case, action=action)
    before, after = model_update(instance=case, data=changes, allowed=("reference", *CASE_FIELDS))
    if after:
        event_record(
            verb=Verb.UPDATED,
            actor=acting_user,
            subject=case,
            case=case,
            before=before,
            after=after,
        )
    return case


@transaction.atomic
def case_close(*, acting_user, case: Case, closed_on: datetime.date) -> Case:
    case_require(user=acting_user, case=case, action=CaseAction.EDIT)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"status": _("This case is already closed.")})
    before, after = model_update(
        instance=case,
        data={"status": CaseStatus.CLOSED, "closed_on": closed_on},
        allowed=("status", "closed_on"),
    )
    event_record(
        verb=Verb.CLOSED, actor=acting_user, subject=case, case=case, before=before, after=after
    )
    deadlines_close_case(case=case, actor=acting_user)
    return case


@transaction.atomic
def case_reopen(*, acting_user, case: Case) -> Case:
    case_require(user=acting_user, case=case, action=CaseAction.EDIT)
    if case.status == CaseStatus.OPEN:
        raise ValidationError({"status": _("This case is already open.")})
    before, after = model_update(
        instance=case,
        data={"status": CaseStatus.OPEN, "closed_on": None},
        allowed=("status", "closed_on"),
    )
    event_record(
        verb=Verb.REOPENED, actor=acting_user, subject=case, case=case, before=before, after=after
    )
    deadlines_reopen_case(case=case, actor=acting_user)
    return case


@transaction.atomic
def case_party_add(
    *, acting_user, case: Case, person: Any, role: str = PartyRole.PRINCIPAL
) -> CaseParty:
    return record_create(
        acting_user=acting_user,
        case=case,
        action=CaseAction.EDIT,
        model=CaseParty,
        data={"role": role},
        allowed=("role",),
        person=person,
    )


@transaction.atomic
def case_party_remove(*, acting_user, party: CaseParty) -> None:
    case_require(user=acting_user, case=party.case, action=CaseAction.EDIT)
    if _has_records_in_case(party):
        raise ValidationError(
            {"person": _("This person has records in the case; remove those records first.")}
        )
    event_record(
        verb=Verb.DELETED,
        actor=acting_user,
        subject=party,
        case=party.case,
        person=party.person,
        before=snapshot(party),
    )
    party.delete()


def _has_records_in_case(party: CaseParty) -> bool:
    """Whether the case holds records about the party's person: detentions, requests, and the
    records of apps that build on cases (rulings), which ``cases`` may not import by name."""
    for relation in party.person._meta.related_objects:
        model = relation.related_model
        if model in (CaseParty, CaseEvent) or "case" not in {
            field.name for field in model._meta.concrete_fields
        }:
            continue
        lookup = {relation.field.name: party.person_id, "case": party.case_id}
        if model._default_manager.filter(**lookup).exists():
            return True
    return False


def _access_grant(*, acting_user, case: Case, user: Any, role: str) -> CaseAccess:
    access = CaseAccess.objects.filter(case=case, user=user).first()
    if access is None:
        access = model_create(
            model=CaseAccess,
            data={"role": role},
            allowed=("role",),
            case=case,
            user=user,
            granted_by=acting_user,
        )
        event_record(
            verb=Verb.CREATED, actor=acting_user, subject=access, case=case, after=snapshot(access)
        )
        return access
    before, after = model_update(instance=access, data={"role": role}, allowed=("role",))
    if after:
        event_record(
            verb=Verb.UPDATED,
            actor=acting_user,
            subject=access,
            case=case,
            before=before,
            after=after,
        )
    return access


@transaction.atomic
def case_share(*, acting_user, case: Case, user: Any, role: str = AccessRole.LAWYER) -> CaseAccess:
    """Share one case with one user (e.g. an outside lawyer), or change their role on it."""
    case_require(user=acting_user, case=case, action=CaseAction.SHARE)
    if not user.is_active:
        raise ValidationError({"user": _("This user account is disabled.")})
    return _access_grant(acting_user=acting_user, case=case, user=user, role=role)


@transaction.atomic
def case_unshare(*, acting_user, access: CaseAccess) -> None:
    case_require(user=acting_user, case=access.case, action=CaseAction.SHARE)
    event_record(
        verb=Verb.DELETED,
        actor=acting_user,
        subject=access,
        case=access.case,
        before=snapshot(access),
    )
    access.delete()
