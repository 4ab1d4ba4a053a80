"""Every response carries a Content-Security-Policy with no inline script or style and no eval
(issue #5 point 7): pages, the admin, the API and its docs."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories as f


@pytest.mark.parametrize(
    "url",
    [
        reverse("login"),
        reverse("admin:login"),
        reverse("api-docs"),
        "/api/v1/cases/",
        "/no-such-page/",
    ],
)
def test_every_response_forbids_inline_code(db, url):
    response = Client().get(url)

    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_the_api_docs_load_their_script_from_our_own_origin(db):
    user = f.UserFactory()
    client = Client()
    client.force_login(user)

    page = client.get(reverse("api-docs")).content.decode()

    assert "<script>" not in page.replace(" ", "")
    assert "<style" not in page
    assert "cdn" not in page.lower()
