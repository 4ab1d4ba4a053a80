"""Opening, changing, closing and reopening a case; its parties; sharing it with a user."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import services
from cases.access import CaseAction, case_can, case_get
from cases.forms import (
    CaseCloseForm,
    CaseOpenForm,
    CasePartyForm,
    CaseShareForm,
    CaseUpdateForm,
)
from cases.models import Case, CaseAccess, CaseParty
from cases.views.base import CaseFormView, case_action
from casetracker.pages import ServiceFormView
from casetracker.selectors import visible_get
from organisations.selectors import staff_organisations


class CaseCreate(ServiceFormView):
    """Open a case in one of the user's organisations, where they are caseworker or admin."""

    form_class = CaseOpenForm
    title = gettext_lazy("Open a case")
    submit_label = gettext_lazy("Open the case")
    success_message = gettext_lazy("Case opened.")
    service = staticmethod(services.case_open)

    def check_permission(self) -> None:
        if not staff_organisations(self.request.user).exists():
            raise PermissionDenied(_("Only an organisation's caseworkers and admins open cases."))

    def new_instance(self) -> Case:
        return Case()

    def get_form(self, data=None, files=None) -> forms.BaseForm:
        form = super().get_form(data=data, files=files)
        form.scope_user(self.request.user)
        return form

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(cancel_url=reverse("cases:case_list"), **context)


class CaseUpdate(CaseFormView):
    form_class = CaseUpdateForm
    model = Case
    pk_url_kwarg = "case_id"
    select_related = ("organisation",)
    success_message = gettext_lazy("Case updated.")

    def get_title(self) -> str:
        return _("Change case %(reference)s") % {"reference": self.object.reference}

    def get_form(self, data=None, files=None) -> forms.BaseForm:
        form = super().get_form(data=data, files=files)
        if not case_can(user=self.request.user, case=self.case, action=CaseAction.RESTRICT):
            # Only admins decide who may see a case (DESIGN §4); for others it stays as it is.
            form.fields["restricted"].disabled = True
            form.fields["restricted"].help_text = _(
                "Only the organisation's admins may change who sees a case."
            )
        return form

    def perform(self, form: forms.BaseForm) -> Case:
        return services.case_update(
            acting_user=self.request.user, case=self.object, **self.service_kwargs(form)
        )


class CaseClose(CaseFormView):
    form_class = CaseCloseForm
    submit_label = gettext_lazy("Close the case")
    success_message = gettext_lazy("Case closed.")

    def get_title(self) -> str:
        return _("Close case %(reference)s") % {"reference": self.case.reference}

    def perform(self, form: forms.BaseForm) -> Case:
        return services.case_close(
            acting_user=self.request.user, case=self.case, **form.cleaned_data
        )


@login_required
@require_POST
def case_reopen_view(request: HttpRequest, case_id) -> HttpResponse:
    case = case_get(user=request.user, case_id=case_id)
    return case_action(
        request,
        case=case,
        action=CaseAction.EDIT,
        perform=lambda: services.case_reopen(acting_user=request.user, case=case),
        success=_("Case reopened: its deadlines are open again."),
    )


# --- parties ------------------------------------------------------------------------------


class CasePartyAdd(CaseFormView):
    form_class = CasePartyForm
    title = gettext_lazy("Add a person to the case")
    submit_label = gettext_lazy("Add to the case")
    success_message = gettext_lazy("Person added to the case.")
    service = staticmethod(services.case_party_add)

    def new_instance(self) -> CaseParty:
        return CaseParty(case=self.case)

    def service_kwargs(self, form: forms.BaseForm) -> dict[str, Any]:
        return {"case": self.case, **form.cleaned_data}


@login_required
@require_POST
def case_party_remove_view(request: HttpRequest, party_id) -> HttpResponse:
    party = visible_get(
        user=request.user,
        queryset=CaseParty.objects.select_related("case", "person"),
        pk=party_id,
    )
    return case_action(
        request,
        case=party.case,
        action=CaseAction.EDIT,
        perform=lambda: services.case_party_remove(acting_user=request.user, party=party),
        success=_("%(person)s is no longer a party to the case.") % {"person": party.person},
    )


# --- sharing ------------------------------------------------------------------------------


class CaseAccessAdd(CaseFormView):
    form_class = CaseShareForm
    action = CaseAction.SHARE
    submit_label = gettext_lazy("Share the case")
    success_message = gettext_lazy("Case shared.")

    def get_title(self) -> str:
        return _("Share case %(reference)s") % {"reference": self.case.reference}

    def get_intro(self) -> str:
        if self.case.restricted:
            return _("This case is restricted: only the people it is shared with see it.")
        return ""

    def perform(self, form: forms.BaseForm) -> CaseAccess:
        return services.case_share(
            acting_user=self.request.user, case=self.case, **form.service_data()
        )


@login_required
@require_POST
def case_access_remove_view(request: HttpRequest, access_id) -> HttpResponse:
    access = visible_get(
        user=request.user,
        queryset=CaseAccess.objects.select_related("case", "user"),
        pk=access_id,
    )
    return case_action(
        request,
        case=access.case,
        action=CaseAction.SHARE,
        perform=lambda: services.case_unshare(acting_user=request.user, access=access),
        success=_("%(user)s no longer has access to the case.") % {"user": access.user},
    )
