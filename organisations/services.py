"""Organisations and their members. Organisation events have no case and no person."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casetracker.audit import Verb, event_record, snapshot
from casetracker.mfa import mfa_devices_delete
from casetracker.services import model_create, model_update
from organisations.access import organisation_require
from organisations.choices import Role
from organisations.models import Membership, Organisation

# What an organisation's admins may change about it.
ORGANISATION_SETTINGS = ("require_mfa", "retention_years")


@transaction.atomic
def organisation_create(*, acting_user, name: str, code: str) -> Organisation:
    """Create an organisation: a platform operator's (superuser's) act."""
    if not acting_user.is_superuser:
        raise PermissionDenied(_("Only a platform operator may create organisations."))
    organisation = model_create(
        model=Organisation, data={"name": name, "code": code}, allowed=("name", "code")
    )
    event_record(
        verb=Verb.CREATED, actor=acting_user, subject=organisation, after=snapshot(organisation)
    )
    return organisation


def _require_admin_or_operator(*, user, organisation: Organisation) -> None:
    if not user.is_superuser:
        organisation_require(user=user, organisation=organisation, roles=(Role.ADMIN,))


def _keep_one_admin(membership: Membership) -> None:
    others = Membership.objects.filter(
        organisation_id=membership.organisation_id, role=Role.ADMIN
    ).exclude(pk=membership.pk)
    if membership.role == Role.ADMIN and not others.exists():
        raise ValidationError(
            {"role": _("An organisation needs at least one admin: appoint another one first.")}
        )


@transaction.atomic
def membership_add(*, acting_user, organisation: Organisation, user, role: str) -> Membership:
    _require_admin_or_operator(user=acting_user, organisation=organisation)
    membership = model_create(
        model=Membership,
        data={"role": role},
        allowed=("role",),
        organisation=organisation,
        user=user,
    )
    event_record(
        verb=Verb.CREATED, actor=acting_user, subject=membership, after=snapshot(membership)
    )
    return membership


@transaction.atomic
def membership_change_role(*, acting_user, membership: Membership, role: str) -> Membership:
    _require_admin_or_operator(user=acting_user, organisation=membership.organisation)
    if role != Role.ADMIN:
        _keep_one_admin(membership)
    before, after = model_update(instance=membership, data={"role": role}, allowed=("role",))
    if after:
        event_record(
            verb=Verb.UPDATED, actor=acting_user, subject=membership, before=before, after=after
        )
    return membership


@transaction.atomic
def membership_remove(*, acting_user, membership: Membership) -> None:
    _require_admin_or_operator(user=acting_user, organisation=membership.organisation)
    _keep_one_admin(membership)
    event_record(
        verb=Verb.DELETED, actor=acting_user, subject=membership, before=snapshot(membership)
    )
    membership.delete()


@transaction.atomic
def membership_mfa_reset(*, acting_user, membership: Membership) -> None:
    """Remove a member's two-factor devices (a lost phone): they enrol again at their next
    sign-in where an organisation of theirs requires it. On the organisation's timeline."""
    _require_admin_or_operator(user=acting_user, organisation=membership.organisation)
    mfa_devices_delete(membership.user)
    event_record(
        verb=Verb.MFA_RESET,
        actor=acting_user,
        subject=membership,
        after={"user": membership.user.get_username()},
    )


@transaction.atomic
def organisation_update(*, acting_user, organisation: Organisation, **changes) -> Organisation:
    """Change an organisation's settings (``require_mfa``): its admins or a platform operator."""
    _require_admin_or_operator(user=acting_user, organisation=organisation)
    before, after = model_update(instance=organisation, data=changes, allowed=ORGANISATION_SETTINGS)
    if after:
        event_record(
            verb=Verb.UPDATED, actor=acting_user, subject=organisation, before=before, after=after
        )
    return organisation
