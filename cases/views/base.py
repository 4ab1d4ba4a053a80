"""What every form and action on a case's records shares: find the case or the record the URL
names through the access choke point (404 for what the user may not see, exactly as for what
does not exist), then check the right the service will check (403), so that nobody is shown a
form whose POST the service would refuse.

``rulings`` builds its forms on these too (rulings may import cases; people may not).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from cases.access import CaseAction, case_get, case_require
from cases.models import Case
from casetracker.pages import ServiceFormView
from casetracker.selectors import visible_get


class CaseFormView(ServiceFormView):
    """A create or edit form on a case or one of its records.

    * Edit forms set ``model`` and ``pk_url_kwarg``: the record is fetched through
      ``model.objects.visible_to(user)`` (with ``select_related``).
    * Create forms under a record (a decision on a request, a measure in a complaint) set
      ``parent_model`` and ``parent_url_kwarg`` the same way.
    * Other create forms take the case from the URL's ``case_id``.

    ``action`` is the right on the case the service requires (EDIT, or FILE for what outside
    lawyers may record). The case is put in the context for the breadcrumb, and its page is
    where Cancel leads.
    """

    action: CaseAction = CaseAction.EDIT
    model: type[models.Model] | None = None
    pk_url_kwarg = ""
    parent_model: type[models.Model] | None = None
    parent_url_kwarg = ""
    select_related: tuple[str, ...] = ()

    case: Case
    parent: models.Model | None = None

    def get_object(self) -> models.Model | None:
        if self.model is None:
            return None
        return visible_get(
            user=self.request.user,
            queryset=self.model.objects.select_related(*self.select_related),
            pk=self.kwargs[self.pk_url_kwarg],
        )

    def get_parent(self) -> models.Model | None:
        if self.parent_model is None:
            return None
        return visible_get(
            user=self.request.user,
            queryset=self.parent_model.objects.select_related(*self.select_related),
            pk=self.kwargs[self.parent_url_kwarg],
        )

    def get_case(self) -> Case:
        if self.object is not None:
            return self.object if isinstance(self.object, Case) else self.object.case
        if self.parent is not None:
            return self.parent.case
        return case_get(user=self.request.user, case_id=self.kwargs["case_id"])

    def check_permission(self) -> None:
        self.parent = self.get_parent()
        self.case = self.get_case()
        case_require(user=self.request.user, case=self.case, action=self.action)

    def get_form(self, data=None, files=None) -> forms.BaseForm:
        form = super().get_form(data=data, files=files)
        scope = getattr(form, "scope", None)
        if scope is not None:
            # Choices limited to what belongs to the case and the user may see.
            scope(case=self.case, user=self.request.user)
        return form

    def get_title(self) -> str:
        return str(self.title)

    def get_intro(self) -> str:
        return ""

    def get_cancel_url(self) -> str:
        return self.case.get_absolute_url()

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(
            case=self.case,
            title=self.get_title(),
            cancel_url=self.get_cancel_url(),
            intro=self.get_intro(),
            **context,
        )


def case_action(
    request: HttpRequest,
    *,
    case: Case,
    action: CaseAction,
    perform,
    success: str,
    next_url: str | None = None,
) -> HttpResponse:
    """A POST-only action on a case or its record (reopen, remove, mark missed): check the
    right (403), call ``perform()`` in one transaction, and go back with a message. A refusal
    by the service (e.g. "already open") comes back as an error message; nothing is written."""
    case_require(user=request.user, case=case, action=action)
    try:
        with transaction.atomic():
            perform()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(next_url or case.get_absolute_url())
