"""What the form tests share: posting as a user, reading the error shown next to a field, and
the events a write left on the timeline."""

import html
import re

from django.test import Client

from tests.helpers import Timeline, party
from tests.pages.matrix import EDIT_FORM, PageMatrix, client_for

__all__ = [
    "FormMatrix",
    "Timeline",
    "client_for",
    "field_errors",
    "field_value",
    "form_errors",
    "htmx",
]

# What ``components/form.html`` sends back with a form that failed: errors, nothing saved.
NOTHING_SAVED = "nothing was saved"


def field_errors(response, name: str) -> str:
    """The text of the error list rendered next to field ``name`` ("" when it has none)."""
    content = response.content.decode()
    match = re.search(
        rf'<ul class="field__errors" id="id_{re.escape(name)}_errors">(.*?)</ul>', content, re.S
    )
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""


def form_errors(response) -> str:
    """The errors shown above the form (those that name no field of it)."""
    content = response.content.decode()
    match = re.search(r'<div class="form__summary" role="alert">(.*?)</div>', content, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))) if match else ""


def field_value(response, name: str) -> str:
    """What the form shows in field ``name``: an input's value, a textarea's text, or the
    selected option's value."""
    content = response.content.decode()
    tag = re.search(rf'<(input|textarea|select)[^>]*\bname="{re.escape(name)}"[^>]*>', content)
    assert tag, f"no field {name}"
    if tag.group(1) == "input":
        value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
        return html.unescape(value.group(1)) if value else ""
    rest = content[tag.end() :]
    if tag.group(1) == "textarea":
        return html.unescape(rest[: rest.index("</textarea>")]).strip()
    options = rest[: rest.index("</select>")]
    selected = re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', options)
    return ",".join(html.unescape(v) for v in selected)


def htmx(user) -> Client:
    """A client whose requests come from HTMX swapping part of the page."""
    client = client_for(user)
    client.defaults["HTTP_HX_REQUEST"] = "true"
    return client


class FormMatrix(PageMatrix):
    """A form on a record of world.case: each added row is another party, so any select of
    the case's people grows while the form's queries stay the same."""

    status = EDIT_FORM
    query_budget = 10

    def add_row(self, world) -> None:
        party(world.case)
