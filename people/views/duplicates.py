"""Possible duplicates (issue #12): the likeliest pairs of records of one person among the
people of the user's organisations, with the reasons (people/selectors.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from casetracker.pages import private
from people.forms import editable_organisations
from people.selectors import duplicate_pairs


@login_required
@require_safe
def duplicate_list(request: HttpRequest) -> HttpResponse:
    if not editable_organisations(request.user).exists():
        raise PermissionDenied(
            _("Only an organisation's caseworkers and admins review duplicates.")
        )
    context = {"pairs": duplicate_pairs(user=request.user)}
    return private(render(request, "people/duplicate_list.html", context))
