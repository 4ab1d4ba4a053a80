"""Viewers never see contact details or addresses (DESIGN §4), decided in one place."""

import pytest

from cases.choices import AccessRole
from people.access import contact_details_visible
from tests import factories as f


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("admin", True),
        ("caseworker", True),
        ("viewer", False),
        ("lawyer", True),
        ("other_caseworker", False),
        ("stranger", False),
        ("anonymous", False),
    ],
)
def test_contact_details_by_role(world, who, visible):
    assert contact_details_visible(user=getattr(world, who), organisation=world.org) is visible


def test_a_case_shared_as_viewer_shows_no_contact_details(world):
    reader = f.UserFactory(username="reader")
    f.CaseAccessFactory(case=world.case, user=reader, role=AccessRole.VIEWER)
    assert contact_details_visible(user=reader, organisation=world.org) is False


def test_inactive_caseworker_sees_no_contact_details(world):
    world.caseworker.is_active = False
    assert contact_details_visible(user=world.caseworker, organisation=world.org) is False


def test_one_case_shared_as_viewer_hides_contact_details_even_with_another_shared_as_lawyer(
    world,
):
    """Access is per case; the answer is per organisation, so it fails closed: the people of
    the case shared as viewer must not show their phone numbers (found in review)."""
    f.CaseAccessFactory(case=world.unshared, user=world.lawyer, role=AccessRole.VIEWER)

    assert contact_details_visible(user=world.lawyer, organisation=world.org) is False
