"""When a page answers with a fragment instead of the whole page."""

from django.http import HttpRequest

from casetracker.pages import is_htmx


def wants_fragment(request: HttpRequest) -> bool:
    """An HTMX swap of part of the page. Not a history restore: when the user goes back to an
    address whose snapshot htmx did not keep (case-data pages opt out with ``hx-history="false"``
    so that no copy lands in the browser's storage), htmx asks for the whole page."""
    return is_htmx(request) and not request.headers.get("HX-History-Restore-Request")
