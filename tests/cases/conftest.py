"""Fixtures of the cases tests: documents kept in a temporary folder, and the users the
``world`` fixture lacks."""

import pytest

from cases.choices import AccessRole, Role
from tests import factories as f


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded documents go to a folder of this test, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "documents"
    return settings.MEDIA_ROOT


@pytest.fixture
def extra_users(world) -> dict:
    """Users beyond ``world``'s, each given the strongest grants their case calls for.

    ``inactive`` is a disabled admin of ``org`` who also has ``case`` shared with them;
    ``superuser`` is a platform operator with no membership; ``restricted_member`` is a viewer
    of ``org`` with the restricted case shared with them as a caseworker.
    """
    inactive = f.UserFactory(username="inactive", is_active=False)
    f.MembershipFactory(user=inactive, organisation=world.org, role=Role.ADMIN)
    f.CaseAccessFactory(case=world.case, user=inactive, role=AccessRole.CASEWORKER)
    restricted_member = f.UserFactory(username="restricted_member")
    f.MembershipFactory(user=restricted_member, organisation=world.org, role=Role.VIEWER)
    f.CaseAccessFactory(case=world.restricted, user=restricted_member, role=AccessRole.CASEWORKER)
    return {
        "inactive": inactive,
        "superuser": f.UserFactory(username="root", is_superuser=True, is_staff=True),
        "restricted_member": restricted_member,
    }


@pytest.fixture
def user_named(world, extra_users):
    """Look up a user of ``world`` or ``extra_users`` by name, as the matrices name them."""

    def get(name: str):
        return extra_users[name] if name in extra_users else getattr(world, name)

    return get
