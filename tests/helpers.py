"""Shared by the service and constraint tests: who may make a write, what it leaves behind,
and the small builders many of them need."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from cases.models import CaseEvent
from tests import factories as f

# Who may make each kind of write on ``world.case`` (DESIGN §4, cases/access.py). Every service
# test runs the same write as each of these users, on the same data, so a denial cannot pass for
# a reason other than the user's role.
EDIT = {
    "caseworker": True,
    "admin": True,
    "viewer": False,
    "lawyer": False,
    "other_caseworker": False,
    "other_admin": False,
    "stranger": False,
}
# Filing notes, documents and decisions: outside lawyers may, on the cases shared with them.
FILE = {**EDIT, "lawyer": True}
DELETE = EDIT
SHARE = EDIT
# Changing a person's record: the owning organisation's caseworkers and admins.
PERSON = EDIT
# Filing on ``world.unshared``, the organisation's case that is not shared with the lawyer.
UNSHARED = {"lawyer": False, "caseworker": True}


def permission_params(tables: dict[str, dict[str, bool]]) -> list[tuple[str, str, bool]]:
    """(service, user, allowed) for every cell of the services' permission tables."""
    return [
        (service, who, allowed)
        for service, table in tables.items()
        for who, allowed in table.items()
    ]


def assert_permission(write, user, allowed: bool) -> None:
    """Make ``write`` as ``user``: allowed, it leaves one event, by ``user``; denied, it raises
    PermissionDenied and leaves nothing."""
    if allowed:
        timeline = Timeline()
        write(user)
        assert [e.actor for e in timeline.new()] == [user]
    else:
        with nothing_written(), pytest.raises(PermissionDenied):
            write(user)


def party(case):
    """A new person of the case's organisation, made a party to ``case``."""
    return f.CasePartyFactory(case=case).person


def complaint_of(case, **fields):
    """A complaint on ``case`` by one complainant, a party to the case."""
    complaint = f.ComplaintFactory(case=case, **fields)
    complaint.complainants.set([party(case)])
    return complaint


def db_state() -> dict[str, list[dict]]:
    """Every row of every table of the apps, many-to-many tables included, every column."""
    state = {}
    for label in ("organisations", "people", "cases", "rulings"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            state[model._meta.label] = list(model._base_manager.order_by("pk").values())
    return state


@contextmanager
def nothing_written() -> Iterator[None]:
    """Assert that the block leaves every row as it found it: no new row, no change, no event."""
    before = db_state()
    yield
    after = db_state()
    changed = {
        label: f"{len(rows)} rows before, {len(after[label])} after"
        for label, rows in before.items()
        if after[label] != rows
    }
    assert not changed, f"the write changed rows: {changed}"


class Timeline:
    """The events written since the timeline was opened.

    The deadlines a write triggers (``deadline.*`` events, written by the deadline engine in
    the same transaction) are left out: tests/cases/test_deadlines*.py check those.
    """

    def __init__(self) -> None:
        self._seen = set(CaseEvent.objects.values_list("pk", flat=True))

    def new(self) -> list[CaseEvent]:
        events = CaseEvent.objects.exclude(pk__in=self._seen).exclude(kind__startswith="deadline.")
        return list(events.order_by("at"))

    def only(self, kind: str, *, actor, case=None, person=None) -> CaseEvent:
        """The single new event, checked to be ``kind`` by ``actor`` about ``case``/``person``."""
        events = self.new()
        assert [e.kind for e in events] == [kind]
        event = events[0]
        assert event.actor == actor
        assert event.case == case
        assert event.person == person
        return event


@contextmanager
def violates(constraint: str) -> Iterator[None]:
    """Assert that the block is stopped by the database, by the named constraint.

    PostgreSQL names every constraint in its error; SQLite names check constraints, and for a
    unique constraint the columns, which begin with the table name the constraint also begins
    with.
    """
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        yield
    message = str(error.value)
    if connection.vendor == "sqlite" and message.startswith("UNIQUE constraint failed: "):
        table = message.removeprefix("UNIQUE constraint failed: ").split(".")[0]
        assert constraint.startswith(f"{table}_"), message
    else:
        assert constraint in message, message


# Planted in every person's and relative's contact details by ``plant_contact_details``: the
# permission matrices (tests/api/matrix.py, tests/pages/matrix.py) fail when a viewer's answer
# holds it (DESIGN §4, issue #17).
PLANTED = "PLANTEDCONTACT"


def plant_contact_details() -> None:
    """Give every person and relative on file contact details carrying ``PLANTED``, and put the
    change on each person's timeline (stored before/after values), as a service would."""
    person_model = apps.get_model("people", "Person")
    person_model.objects.update(phone=f"+7 701 {PLANTED}", address=f"Orbita 9, {PLANTED}")
    apps.get_model("people", "Relationship").objects.update(
        phone=f"+7 702 {PLANTED}",
        email=f"{PLANTED.lower()}@example.org",
        address=f"Abay 1, {PLANTED}",
    )
    for person in person_model.objects.select_related("organisation"):
        CaseEvent.objects.record(
            kind="person.updated",
            actor=None,
            subject=person,
            person=person,
            before={"phone": "", "address": ""},
            after={"phone": person.phone, "address": person.address},
        )


def response_body(response) -> bytes:
    """What a response sends, a streamed file download too."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def planted_in(response) -> bool:
    """Whether a response (a file download too) holds a planted contact value."""
    return PLANTED.lower().encode() in response_body(response).lower()


def force_login_verified(client, user) -> None:
    """``client.force_login(user)``, with the second factor given when the user has enrolled
    (as django_otp.login does after a right code): for tests about something else."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


AUDIT_TABLE = "casetracker_accesslogentry"


def own_queries(context, *, audited: bool = True) -> list[dict]:
    """A request's queries but the read audit's INSERT (issue #10), which is checked here to be
    exactly one whatever the number of rows (none for a route the audit leaves out)."""
    queries = context.captured_queries
    insert = f'INSERT INTO "{AUDIT_TABLE}"'
    audit = [q for q in queries if q["sql"].lstrip().startswith(insert)]
    assert len(audit) == (1 if audited else 0), "\n".join(q["sql"] for q in audit)
    return [q for q in queries if q not in audit]
