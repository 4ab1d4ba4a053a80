"""Services of organisations and their members. Organisation events have no case and no
person: they are for the organisation's admins."""

import pytest
from django.core.exceptions import ValidationError

from cases.models import Case
from organisations.choices import Role
from organisations.models import Membership, Organisation
from organisations.services import (
    membership_add,
    membership_change_role,
    membership_remove,
    organisation_create,
)
from tests import factories as f
from tests.helpers import EDIT, Timeline, assert_permission, nothing_written, permission_params

# Members of an organisation are managed by its admins and by the platform's operators.
ORG_ADMIN = {**dict.fromkeys(EDIT, False), "admin": True, "superuser": True}
OPERATOR = {**dict.fromkeys(EDIT, False), "superuser": True}

# Each scenario builds its data on ``world`` and returns the write, to be made by any user.


def _organisation_create(w):
    return lambda user: organisation_create(
        acting_user=user, name="Kadir Rights Bureau", code="KRB"
    )


def _membership_add(w):
    newcomer = f.UserFactory(username="newcomer")
    return lambda user: membership_add(
        acting_user=user, organisation=w.org, user=newcomer, role=Role.VIEWER
    )


def _membership_change_role(w):
    membership = w.viewer.memberships.get()
    return lambda user: membership_change_role(
        acting_user=user, membership=membership, role=Role.CASEWORKER
    )


def _membership_remove(w):
    membership = w.viewer.memberships.get()
    return lambda user: membership_remove(acting_user=user, membership=membership)


SCENARIOS = {
    "organisation_create": _organisation_create,
    "membership_add": _membership_add,
    "membership_change_role": _membership_change_role,
    "membership_remove": _membership_remove,
}
PERMISSIONS = {
    "organisation_create": OPERATOR,
    "membership_add": ORG_ADMIN,
    "membership_change_role": ORG_ADMIN,
    "membership_remove": ORG_ADMIN,
}


@pytest.mark.parametrize(("service", "who", "allowed"), permission_params(PERMISSIONS))
def test_who_may_write(world, user_named, service, who, allowed):
    assert_permission(SCENARIOS[service](world), user_named(who), allowed)


def test_organisation_create(user_named):
    root = user_named("superuser")
    timeline = Timeline()
    organisation = organisation_create(acting_user=root, name="Kadir Rights Bureau", code="KRB")
    event = timeline.only("organisation.created", actor=root)
    assert event.organisation == organisation
    assert event.data["after"]["code"] == "KRB"


def test_organisation_create_refuses_a_bad_code(user_named):
    with nothing_written(), pytest.raises(ValidationError) as error:
        organisation_create(acting_user=user_named("superuser"), name="Kadir", code="krb")
    assert "code" in error.value.message_dict
    assert not Organisation.objects.filter(name="Kadir").exists()


def test_membership_add_change_and_remove(world):
    newcomer = f.UserFactory(username="newcomer")
    timeline = Timeline()
    membership = membership_add(
        acting_user=world.admin, organisation=world.org, user=newcomer, role=Role.VIEWER
    )
    event = timeline.only("membership.created", actor=world.admin)
    assert (event.organisation, event.data["after"]["role"]) == (world.org, "viewer")
    assert world.case in Case.objects.visible_to(newcomer)
    timeline = Timeline()
    membership_change_role(acting_user=world.admin, membership=membership, role=Role.CASEWORKER)
    event = timeline.only("membership.updated", actor=world.admin)
    assert event.data == {"before": {"role": "viewer"}, "after": {"role": "caseworker"}}
    timeline = Timeline()
    membership_remove(acting_user=world.admin, membership=membership)
    event = timeline.only("membership.deleted", actor=world.admin)
    assert event.data["before"]["user"] == newcomer.pk
    assert world.case not in Case.objects.visible_to(newcomer)


def test_membership_change_role_that_changes_nothing_writes_nothing(world):
    with nothing_written():
        membership_change_role(
            acting_user=world.admin, membership=world.viewer.memberships.get(), role=Role.VIEWER
        )


def test_membership_add_refuses_an_unknown_role(world):
    newcomer = f.UserFactory(username="newcomer")
    with nothing_written(), pytest.raises(ValidationError) as error:
        membership_add(acting_user=world.admin, organisation=world.org, user=newcomer, role="boss")
    assert "role" in error.value.message_dict


def test_the_last_admin_can_be_neither_demoted_nor_removed(world):
    membership = Membership.objects.get(user=world.admin)
    with nothing_written(), pytest.raises(ValidationError) as error:
        membership_change_role(acting_user=world.admin, membership=membership, role=Role.VIEWER)
    assert "role" in error.value.message_dict
    with nothing_written(), pytest.raises(ValidationError) as error:
        membership_remove(acting_user=world.admin, membership=membership)
    assert "role" in error.value.message_dict
