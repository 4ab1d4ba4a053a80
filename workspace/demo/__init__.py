"""Fictional demo data shaped like the story of DESIGN §1, loaded by ``manage.py load_demo``.

Every person, relative and phone number is invented (``cast.py``). The data goes through the
services of people, cases and rulings (``recorder.py``) with the acting user a real
organisation would have, so access checks, validation and the timeline are the real ones.

- ALA, Almaty Refugee Rights Centre: the group case (``group.py``: fourteen men, thirteen
  surrendered on 9 June 2011 despite the CAT interim measure, one released), and single cases
  (``single.py``): refused and resettled (2006), request withdrawn (2011), a restricted case
  (2012), and a case pending today, shared with the outside lawyer.
- BIS, Bishkek Legal Aid: one case of a man and his wife.

The package is split by topic (STYLE.md: no module past ~400 lines).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.choices import AccessRole
from cases.models import Case
from casetracker.audit import Verb, event_record, snapshot
from casetracker.services import model_create
from organisations.choices import Role
from organisations.models import Membership, Organisation
from organisations.services import membership_add
from people.models import Person
from workspace.demo.deadlines import settle_history
from workspace.demo.group import group_case
from workspace.demo.recorder import Recorder
from workspace.demo.single import (
    bishkek_case,
    pending_case,
    refused_case,
    restricted_case,
    withdrawn_case,
)

# Public by design, so the demo must never reach a database with real cases: load_demo refuses
# to run with DEBUG=False unless forced.
DEMO_PASSWORD = "demo-casetracker"
# ala-admin signs in with two factors: this key is in the authenticator app of whoever follows
# the README (type MNQXGZLUOJQWG23FOIWWIZLNN4WWC3DB, or compute the code with
# ``manage.py shell -c "from casetracker.mfa import totp_now; print(totp_now('…'))"``).
# Public like the password. The demo's organisations do not require two-factor sign-in.
DEMO_TOTP_USER = "ala-admin"
DEMO_TOTP_KEY = b"casetracker-demo-ala".hex()
ORGANISATIONS = {"ALA": "Almaty Refugee Rights Centre", "BIS": "Bishkek Legal Aid"}


class DemoConflict(Exception):
    """The database holds part of the demo, or users whose names the demo would take."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str  # the organisation's code; "" for the outside lawyer
    sees: str  # in words; the counts come from the access rules


LOGINS = (
    DemoLogin("ala-admin", Role.ADMIN, "ALA", "every ALA case, the restricted one too"),
    DemoLogin("ala-caseworker", Role.CASEWORKER, "ALA", "ALA cases; the restricted one is shared"),
    DemoLogin("ala-viewer", Role.VIEWER, "ALA", "unrestricted ALA cases, no contact details"),
    DemoLogin("bis-admin", Role.ADMIN, "BIS", "every BIS case, nothing of ALA"),
    DemoLogin("bis-caseworker", Role.CASEWORKER, "BIS", "BIS cases, nothing of ALA"),
    DemoLogin("bis-viewer", Role.VIEWER, "BIS", "BIS cases, no contact details"),
    DemoLogin("lawyer", AccessRole.LAWYER, "", "only the ALA case shared with them"),
)


def demo_is_loaded() -> bool:
    """True when the demo organisations exist; DemoConflict when only part of the demo does."""
    found = set(Organisation.objects.filter(code__in=ORGANISATIONS).values_list("code", flat=True))
    if found == set(ORGANISATIONS):
        return True
    if found:
        raise DemoConflict(
            f"Organisation {', '.join(sorted(found))} exists but the rest of the demo does not. "
            "Load the demo into an empty database (e.g. delete var/casetracker.sqlite3)."
        )
    taken = get_user_model().objects.filter(username__in=[x.username for x in LOGINS])
    if taken.exists():
        raise DemoConflict(
            f"Users {', '.join(taken.values_list('username', flat=True))} exist already. "
            "Load the demo into an empty database (e.g. delete var/casetracker.sqlite3)."
        )
    return False


@transaction.atomic
def demo_load() -> bool:
    """Load the demo unless it is loaded; True if it loaded. One transaction: a failure leaves
    nothing half-loaded."""
    if demo_is_loaded():
        return False
    users = {}
    for code, name in ORGANISATIONS.items():
        organisation = _organisation_bootstrap(code=code, name=name)
        logins = [x for x in LOGINS if x.organisation == code]
        admin = _admin_bootstrap(organisation, next(x for x in logins if x.role == Role.ADMIN))
        users[code] = {Role.ADMIN: Recorder(organisation, admin)}
        for login in logins:
            if login.role != Role.ADMIN:
                user = _user(login)
                membership_add(
                    acting_user=admin, organisation=organisation, user=user, role=login.role
                )
                users[code][login.role] = Recorder(organisation, user)
    lawyer = _user(LOGINS[-1])
    ala_admin, ala_caseworker = users["ALA"][Role.ADMIN], users["ALA"][Role.CASEWORKER]
    group_case(ala_admin, ala_caseworker)
    refused_case(ala_admin, ala_caseworker)
    withdrawn_case(ala_admin, ala_caseworker)
    restricted_case(ala_admin, ala_caseworker)
    live_case = pending_case(ala_caseworker, lawyer)
    bishkek_case(users["BIS"][Role.ADMIN], users["BIS"][Role.CASEWORKER])
    settle_history({code: roles[Role.ADMIN] for code, roles in users.items()}, live_case=live_case)
    TOTPDevice.objects.create(
        user=ala_admin.user, name="Demo authenticator", key=DEMO_TOTP_KEY, confirmed=True
    )
    return True


def demo_logins() -> list[dict[str, str]]:
    """One row per demo login, with what the user sees counted through the access rules."""
    users = get_user_model().objects.in_bulk([x.username for x in LOGINS], field_name="username")
    rows = []
    for login in LOGINS:
        user = users[login.username]
        cases = Case.objects.visible_to(user).count()
        people = Person.objects.visible_to(user).count()
        rows.append(
            {
                "username": login.username,
                "password": DEMO_PASSWORD,
                "role": str(login.role),
                "organisation": login.organisation or "(none)",
                "sees": f"{_count(cases, 'case')}, {_count(people, 'person', 'people')}: "
                f"{login.sees}",
            }
        )
    return rows


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _user(login: DemoLogin):
    # is_staff lets a user try the admin; organisations.access.admin_entry_allowed still
    # refuses it to viewers and outside lawyers, who are therefore not staff here.
    return get_user_model().objects.create_user(
        username=login.username,
        password=DEMO_PASSWORD,
        email=f"{login.username}@demo.invalid",
        first_name="Demo",
        last_name=f"{login.organisation} {login.role}".strip(),
        is_staff=login.role in (Role.ADMIN, Role.CASEWORKER),
    )


def _organisation_bootstrap(*, code: str, name: str) -> Organisation:
    # organisation_create is a platform operator's (superuser's) act, and the demo creates no
    # superuser: one with a public password would be a back door. So the organisation is made
    # here, validated and put on the timeline as the service would, with no actor.
    organisation = model_create(
        model=Organisation,
        data={"name": name, "code": code, "require_mfa": False},
        allowed=("name", "code", "require_mfa"),
    )
    event_record(verb=Verb.CREATED, actor=None, subject=organisation, after=snapshot(organisation))
    return organisation


def _admin_bootstrap(organisation: Organisation, login: DemoLogin):
    # membership_add needs an admin of the organisation or a superuser, and a new organisation
    # has neither: its first admin is made like the organisation. Every later member goes
    # through membership_add with this admin as the acting user.
    user = _user(login)
    membership = model_create(
        model=Membership,
        data={"role": Role.ADMIN},
        allowed=("role",),
        organisation=organisation,
        user=user,
    )
    event_record(verb=Verb.CREATED, actor=None, subject=membership, after=snapshot(membership))
    return user
