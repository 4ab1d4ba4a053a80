"""Text stored once and read by each reader in their own language (casetracker/i18n.py): alerts
and the deadlines' arithmetic, raised in a Russian request, read in English and in Russian."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import translation

from cases.choices import AlertKind
from cases.models import Alert, Deadline
from cases.services import extradition_request_surrender
from casetracker.i18n import StoredText, stored_plural, stored_text
from rulings.services import complaint_update
from tests import factories as f
from tests.helpers import complaint_of, party
from tests.pages.matrix import client_for


def test_a_stored_sentence_survives_json_and_renders_in_each_language():
    text = stored_plural(
        "%(title)s is due on %(due)s, in %(days)s day.",
        "%(title)s is due on %(due)s, in %(days)s days.",
        5,
        title=stored_text("Identity check after arrest"),
        due="2026-11-28",
        days=5,
    )

    again = StoredText.from_json(text.to_json())

    assert again == text
    assert again.render_stored() == "Identity check after arrest is due on 2026-11-28, in 5 days."
    with translation.override("ru"):
        russian = again.render()
    assert "Установление личности после задержания" in russian
    assert "2026-11-28" in russian and "5" in russian
    assert "is due" not in russian


def test_a_breach_raised_in_a_russian_request_is_stored_in_english_and_read_in_each_language(
    world,
):
    person = party(world.case)
    complaint = complaint_of(world.case)
    complaint.complainants.set([person])
    f.InterimMeasureFactory(complaint=complaint)  # granted 2010-12-03, never lifted
    request = f.ExtraditionRequestFactory(case=world.case, person=person)

    with translation.override("ru"):
        extradition_request_surrender(
            acting_user=world.caseworker, request=request, surrendered_on=datetime.date(2011, 6, 9)
        )

    alert = Alert.objects.get(kind=AlertKind.INTERIM_MEASURE_BREACH)
    assert alert.message.startswith("Surrender to ")
    assert "the State is in breach" in alert.message
    english = client_for(world.caseworker).get(reverse("cases:alerts")).content.decode()
    assert "the State is in breach" in english
    russian_client = client_for(world.caseworker)
    russian_client.post(reverse("language_set"), {"language": "ru"})
    russian = russian_client.get(reverse("cases:alerts")).content.decode()
    assert "the State is in breach" not in russian
    assert "2011-06-09" in russian


def test_the_arithmetic_of_a_deadline_is_stored_in_english_and_shown_in_russian(world):
    complaint = complaint_of(world.case, body="CAT")

    with translation.override("ru"):
        complaint_update(
            acting_user=world.caseworker,
            complaint=complaint,
            transmitted_on=datetime.date(2011, 9, 30),
        )

    deadline = Deadline.objects.get(case=world.case, rule__code="cat.state_reply")
    assert "complaint transmitted to the State 2011-09-30 + 6 months" in deadline.explanation
    client = Client(headers={"accept-language": "ru"})
    world.caseworker.save()
    client.force_login(world.caseworker)
    page = client.get(world.case.get_absolute_url()).content.decode()
    assert "жалоба препровождена государству 2011-09-30 + 6" in page
    assert "Ответ государства на жалобу в КПП" in page
