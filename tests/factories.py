"""One factory per model (the "one recipe per model" rule): test data without the services."""

import datetime

import factory
from django.contrib.auth import get_user_model

from cases import models as cm
from cases.choices import AlertKind, AlertLevel, DecisionOutcome, DecisionStage, DetentionBasis
from cases.deadlines.arithmetic import compute_due
from cases.models.feeds import token_hash
from organisations import models as om
from organisations.choices import Role
from people import models as pm
from rulings import models as rm
from rulings.choices import Authority, CommitteeDecisionKind, CommitteeOutcome, StatusOutcome


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.Organisation

    name = factory.Sequence(lambda n: f"Refugee Rights Centre {n}")
    code = factory.Sequence(lambda n: f"ORG{n}")
    # The model's default is on; the tests of two-factor sign-in (tests/casetracker/test_mfa.py)
    # switch it on, the others test what a signed-in member sees.
    require_mfa = False


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = om.Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CASEWORKER


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Case

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"ALA-2010-{n:03d}")
    title = factory.Sequence(lambda n: f"Case {n}")
    opened_on = datetime.date(2010, 6, 10)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Person

    organisation = factory.SubFactory(OrganisationFactory)
    family_name = factory.Sequence(lambda n: f"Karimov{n}")
    given_name = "Rustam"


class PersonNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.PersonName

    person = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"Каримов{n}")


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Relationship

    person = factory.SubFactory(PersonFactory)
    relative_name = "Dilnoza"
    kind = "spouse"
    phone = "+7 700 000 0000"


class NotDuplicateFactory(factory.django.DjangoModelFactory):
    """A pair marked "not a duplicate", stored in its canonical order (smaller id first)."""

    class Meta:
        model = pm.NotDuplicate

    class Params:
        first = factory.LazyFunction(lambda: PersonFactory())
        pair = factory.LazyAttribute(
            lambda o: pm.NotDuplicate.ordered(
                o.first, PersonFactory(organisation=o.first.organisation)
            )
        )

    person = factory.LazyAttribute(lambda o: o.pair[0])
    other = factory.LazyAttribute(lambda o: o.pair[1])
    organisation = factory.SelfAttribute("person.organisation")


class CasePartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.CaseParty

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..case.organisation")
    )


class CaseAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.CaseAccess

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(UserFactory)


class _PartyRecordFactory(factory.django.DjangoModelFactory):
    """A record about a person in a case: the person is made a party to the case."""

    case = factory.SubFactory(CaseFactory)
    person = factory.LazyAttribute(lambda o: CasePartyFactory(case=o.case).person)


class DetentionFactory(_PartyRecordFactory):
    class Meta:
        model = cm.Detention

    basis = DetentionBasis.PROVISIONAL_ARREST_EXTRADITION
    facility = "Temporary detention facility"
    started_on = datetime.date(2010, 6, 10)


class ExtraditionRequestFactory(_PartyRecordFactory):
    class Meta:
        model = cm.ExtraditionRequest

    requesting_state = "UZ"
    requested_state = "KZ"
    received_on = datetime.date(2010, 6, 20)


class ExtraditionDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.ExtraditionDecision

    request = factory.SubFactory(ExtraditionRequestFactory)
    stage = DecisionStage.PROSECUTOR
    decided_on = datetime.date(2010, 9, 9)
    outcome = DecisionOutcome.GRANTED


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Note

    case = factory.SubFactory(CaseFactory)
    occurred_on = datetime.date(2010, 7, 1)
    body = "Hearing adjourned."


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Document

    case = factory.SubFactory(CaseFactory)
    file = factory.django.FileField(filename="decision.pdf", data=b"%PDF-1.4\n%test\n")
    filename = "decision.pdf"
    title = "Prosecutor's decision"
    content_type = "application/pdf"
    sha256 = "0" * 64
    size = 16


class StatusDecisionFactory(_PartyRecordFactory):
    class Meta:
        model = rm.RefugeeStatusDecision

    authority = Authority.UNHCR_MANDATE
    outcome = StatusOutcome.RECOGNISED
    decided_on = datetime.date(2009, 11, 1)


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.Complaint

    case = factory.SubFactory(CaseFactory)
    body = "CAT"
    state_party = "KZ"
    number = factory.Sequence(lambda n: f"{400 + n}/2010")
    submitted_on = datetime.date(2010, 12, 1)


class InterimMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.InterimMeasure

    complaint = factory.SubFactory(ComplaintFactory)
    requested_on = datetime.date(2010, 12, 1)
    granted_on = datetime.date(2010, 12, 3)


class CommitteeDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.CommitteeDecision

    complaint = factory.SubFactory(ComplaintFactory)
    kind = CommitteeDecisionKind.MERITS
    adopted_on = datetime.date(2012, 6, 1)
    outcome = CommitteeOutcome.VIOLATION


class RuleDeadlineFactory(factory.django.DjangoModelFactory):
    """A deadline computed from a seeded rule, stored as the engine stores it."""

    class Meta:
        model = cm.Deadline

    class Params:
        code = "cat.state_reply"
        basis = datetime.date(2030, 1, 15)
        computation = factory.LazyAttribute(lambda o: compute_due(o.rule, o.basis))

    case = factory.SubFactory(CaseFactory)
    rule = factory.LazyAttribute(lambda o: cm.DeadlineRule.objects.get(code=o.code))
    title = factory.SelfAttribute("rule.title")
    basis_date = factory.SelfAttribute("computation.basis_date")
    due_at = factory.SelfAttribute("computation.due_at")
    computed_due_at = factory.SelfAttribute("computation.due_at")
    explanation = factory.SelfAttribute("computation.explanation")
    timezone = factory.SelfAttribute("rule.timezone")
    reminders = factory.LazyAttribute(lambda o: list(o.rule.reminders))
    rule_version = factory.SelfAttribute("rule.rule_version")


class ManualDeadlineFactory(factory.django.DjangoModelFactory):
    """A deadline typed in by a user: its title and explanation are free text."""

    class Meta:
        model = cm.Deadline

    case = factory.SubFactory(CaseFactory)
    title = "Hearing at the city court"
    due_at = datetime.datetime(2030, 3, 1, 23, 59, 59, 999999, tzinfo=datetime.UTC)
    timezone = "UTC"
    reminders = [7, 1, 0]
    explanation = "Entered by hand."


class AlertFactory(factory.django.DjangoModelFactory):
    """An event alert (no deadline), so that many can be raised on one case."""

    class Meta:
        model = cm.Alert

    case = factory.SubFactory(CaseFactory)
    kind = AlertKind.HIGH_RISK
    level = AlertLevel.CRITICAL
    message = factory.Sequence(lambda n: f"Alert number {n}.")


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    """A feed whose token is known to the test: ``CalendarFeedFactory(token="…")``."""

    class Meta:
        model = cm.CalendarFeed

    class Params:
        token = factory.Sequence(lambda n: f"test-token-{n:04d}-{'x' * 30}")

    user = factory.SubFactory(UserFactory)
    token_hash = factory.LazyAttribute(lambda o: token_hash(o.token))
