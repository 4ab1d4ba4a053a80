"""Shared fixtures: organisations with a user of every role, and an outside lawyer."""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import hypothesis
import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import translation

from cases.choices import AccessRole
from organisations.choices import Role
from tests import factories as f

# Speed is shown by benchmarks, never by a timed assertion (README "Benchmarks"): hypothesis's
# per-example deadline would fail a correct property on a busy CI machine.
hypothesis.settings.register_profile("casetracker", deadline=None)
hypothesis.settings.load_profile("casetracker")


@dataclass
class World:
    """Two organisations, a user of each role in each, and an outside lawyer with one case.

    ``case`` and ``restricted`` belong to ``org``; ``other_case`` to ``other_org``;
    ``lawyer`` has ``case`` shared with them and is a member of no organisation.
    """

    org: object
    other_org: object
    admin: object
    caseworker: object
    viewer: object
    other_caseworker: object
    other_admin: object
    lawyer: object
    stranger: object
    anonymous: object
    case: object
    restricted: object
    unshared: object
    other_case: object


@pytest.fixture
def world(db) -> World:
    org, other_org = f.OrganisationFactory(code="ALA"), f.OrganisationFactory(code="BIS")
    users = {}
    for name, organisation, role in [
        ("admin", org, Role.ADMIN),
        ("caseworker", org, Role.CASEWORKER),
        ("viewer", org, Role.VIEWER),
        ("other_caseworker", other_org, Role.CASEWORKER),
        ("other_admin", other_org, Role.ADMIN),
    ]:
        users[name] = f.MembershipFactory(
            organisation=organisation, role=role, user=f.UserFactory(username=name)
        ).user
    lawyer = f.UserFactory(username="lawyer")
    case = f.CaseFactory(organisation=org, reference="ALA-2010-001")
    restricted = f.CaseFactory(organisation=org, reference="ALA-2010-002", restricted=True)
    unshared = f.CaseFactory(organisation=org, reference="ALA-2010-003")
    other_case = f.CaseFactory(organisation=other_org, reference="BIS-2011-001")
    f.CaseAccessFactory(case=case, user=lawyer, role=AccessRole.LAWYER)
    return World(
        org=org,
        other_org=other_org,
        lawyer=lawyer,
        stranger=f.UserFactory(username="stranger"),
        anonymous=AnonymousUser(),
        case=case,
        restricted=restricted,
        unshared=unshared,
        other_case=other_case,
        **users,
    )


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


@pytest.fixture(scope="session", autouse=True)
def _required_services(django_db_setup, django_db_blocker) -> None:
    """In CI (CASETRACKER_REQUIRE_SERVICES=1) the suite runs on PostgreSQL and Redis, always:
    fail at once rather than pass on SQLite or without a broker."""
    if not os.environ.get("CASETRACKER_REQUIRE_SERVICES"):
        return
    from django.conf import settings
    from django.db import connection

    assert connection.vendor == "postgresql", "CI must run the suite on PostgreSQL"
    assert settings.REDIS_URL, "CI must set REDIS_URL"
    redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5).ping()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:
    """Hashing a password properly takes ~0.3 s by design; tests don't need that strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """The API's rate-limit counts live in the cache (Redis in CI, its own database there):
    each test starts with none, as each test starts with an empty database."""
    cache.clear()


@pytest.fixture(autouse=True)
def _site_language() -> Iterator[None]:
    """Each test starts in the site's language: a request in Russian leaves Russian active in
    its thread, which must not decide the language of the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def pytest_configure(config) -> None:
    # WhiteNoise warns on every request when STATIC_ROOT is missing (before collectstatic).
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
