"""Deadlines people set or correct (DESIGN §6): a manual deadline, moving a computed date with
the reason, marking one met (FILE: lawyers may), missed or open again (EDIT).

Computed deadlines are never edited directly: they follow their record.
"""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.access import CaseAction
from cases.forms import DeadlineCreateForm, DeadlineMetForm, DeadlineOverrideForm
from cases.models import Deadline
from cases.services.deadlines import (
    deadline_create,
    deadline_mark_met,
    deadline_mark_missed,
    deadline_override,
    deadline_reopen,
)
from cases.templatetags.deadline_text import deadline_explanation, deadline_title
from cases.views.base import CaseFormView, case_action
from casetracker.selectors import visible_get


class DeadlineCreate(CaseFormView):
    form_class = DeadlineCreateForm
    action = CaseAction.FILE
    title = gettext_lazy("Add a deadline")
    submit_label = gettext_lazy("Add the deadline")
    success_message = gettext_lazy("Deadline added.")
    service = staticmethod(deadline_create)

    def get_intro(self) -> str:
        return _(
            "For a date no rule computes, e.g. one a court set at a hearing. Deadlines that "
            "follow from recorded dates are computed by themselves."
        )

    def service_kwargs(self, form: forms.BaseForm) -> dict[str, Any]:
        return {"case": self.case, **form.cleaned_data}


class DeadlineFormView(CaseFormView):
    """A verb on one deadline, shown with its current due date."""

    model = Deadline
    pk_url_kwarg = "deadline_id"
    select_related = ("case", "rule")
    action = CaseAction.FILE

    def get_intro(self) -> str:
        deadline = self.object
        return _("Due %(day)s. %(explanation)s") % {
            "day": date_format(deadline.due_date),
            "explanation": deadline_explanation(deadline),
        }


class DeadlineOverride(DeadlineFormView):
    form_class = DeadlineOverrideForm
    submit_label = gettext_lazy("Move the due date")
    success_message = gettext_lazy("Due date moved.")

    def get_title(self) -> str:
        return _("Move the due date of “%(title)s”") % {"title": deadline_title(self.object)}

    def get_initial(self) -> dict[str, Any]:
        return {"due_on": self.object.due_date}

    def perform(self, form: forms.BaseForm) -> Deadline:
        return deadline_override(
            acting_user=self.request.user, deadline=self.object, **form.cleaned_data
        )


class DeadlineMet(DeadlineFormView):
    form_class = DeadlineMetForm
    submit_label = gettext_lazy("Mark met")
    success_message = gettext_lazy("Deadline marked met.")

    def get_title(self) -> str:
        return _("Mark “%(title)s” met") % {"title": deadline_title(self.object)}

    def perform(self, form: forms.BaseForm) -> Deadline:
        return deadline_mark_met(
            acting_user=self.request.user, deadline=self.object, **form.cleaned_data
        )


def _deadline(request: HttpRequest, deadline_id) -> Deadline:
    return visible_get(
        user=request.user,
        queryset=Deadline.objects.select_related("case"),
        pk=deadline_id,
    )


@login_required
@require_POST
def deadline_missed_view(request: HttpRequest, deadline_id) -> HttpResponse:
    deadline = _deadline(request, deadline_id)
    return case_action(
        request,
        case=deadline.case,
        action=CaseAction.EDIT,
        perform=lambda: deadline_mark_missed(acting_user=request.user, deadline=deadline),
        success=_("Deadline marked missed."),
        next_url=deadline.get_absolute_url(),
    )


@login_required
@require_POST
def deadline_reopen_view(request: HttpRequest, deadline_id) -> HttpResponse:
    deadline = _deadline(request, deadline_id)
    return case_action(
        request,
        case=deadline.case,
        action=CaseAction.EDIT,
        perform=lambda: deadline_reopen(acting_user=request.user, deadline=deadline),
        success=_("Deadline open again."),
        next_url=deadline.get_absolute_url(),
    )
