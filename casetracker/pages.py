"""What every browser page that writes shares (STYLE.md "thin concrete classes").

``ServiceFormView`` is the one recipe for a create or edit form: the subclass names its form,
how it finds (and may touch) its object, and which service to call. This class does the rest:

* GET shows the form; POST validates it and calls the service in one transaction.
* A service's ValidationError is shown next to the field it names; the response is a 400 and
  nothing is saved. PermissionDenied is a 403; anything the user may not see is a 404.
* Without JavaScript the form posts and redirects (post/redirect/get). With HTMX the form is
  swapped in place: its errors come back as the form alone, and success sends ``HX-Redirect``
  unless the view answers with a fragment of its own (``htmx_success``).
"""

import copy
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View


def private(response: HttpResponse) -> HttpResponse:
    """Pages that hold case data or a secret: no shared or stored copy."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def is_htmx(request: HttpRequest) -> bool:
    """An HTMX request that swaps part of the page. Not a boosted whole-page navigation, nor a
    history restore: when the user goes back to an address whose snapshot htmx did not keep
    (case-data pages opt out with ``hx-history="false"`` so that no copy lands in the browser's
    storage), htmx asks for the whole page."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and not headers.get("HX-Boosted")
        and not headers.get("HX-History-Restore-Request")
    )


def safe_next(request: HttpRequest, default: str) -> str:
    """Where a form asked to go back to (its ``next``) when that is an address of this site;
    ``default`` otherwise: never an open redirect."""
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def errors_to_form(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on ``form``: next to each field it names that the form
    has, and above the form for the rest."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
        elif name == NON_FIELD_ERRORS:
            form.add_error(None, errors)
        else:
            label = name.replace("_", " ")
            form.add_error(None, [f"{label}: {message}" for e in errors for message in e.messages])


class ServiceFormView(LoginRequiredMixin, View):
    """A form that writes through one service. Subclasses set ``form_class`` and ``title`` and
    implement ``perform`` (or set ``service``); edit views also implement ``get_object``."""

    form_class: type[forms.BaseForm]
    title: str = ""
    submit_label = _("Save")
    template_name = "components/form_page.html"
    partial_template_name = "components/form.html"
    success_message = _("Saved.")
    #: The service to call: ``staticmethod(detention_create)``. ``perform`` passes it the acting
    #: user and ``service_kwargs(form)``.
    service: Callable[..., Any] | None = None
    http_method_names = ["get", "head", "post"]

    object: models.Model | None = None

    # --- what a subclass declares ----------------------------------------------------------

    def get_object(self) -> models.Model | None:
        """The record being edited, through ``visible_to`` (404 when hidden), or None."""
        return None

    def check_permission(self) -> None:
        """Raise PermissionDenied (403) when the user may see but not do this."""

    def new_instance(self) -> models.Model | None:
        """For a model form that creates: an unsaved instance carrying what the URL fixes (its
        case, its person), so that the model's own ``clean()`` can run on the form."""
        return None

    def get_initial(self) -> dict[str, Any]:
        return {}

    def service_kwargs(self, form: forms.BaseForm) -> dict[str, Any]:
        """What the service gets besides ``acting_user``: the cleaned data, or for an edit only
        the fields that changed."""
        if self.object is not None:
            return {name: form.cleaned_data[name] for name in form.changed_data}
        return dict(form.cleaned_data)

    def perform(self, form: forms.BaseForm) -> models.Model:
        return type(self).service(acting_user=self.request.user, **self.service_kwargs(form))

    def get_success_url(self, result: Any) -> str:
        return result.get_absolute_url()

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {"title": self.title, "submit_label": self.submit_label, "view": self, **context}

    # --- the recipe -----------------------------------------------------------------------

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_object()
        self.check_permission()
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None, files=None) -> forms.BaseForm:
        kwargs: dict[str, Any] = {"initial": self.get_initial(), "data": data, "files": files}
        if issubclass(self.form_class, forms.BaseModelForm):
            # A copy: validation writes the form's values onto the instance, and the service
            # must see the record as it is to record what changed.
            instance = copy.copy(self.object) if self.object is not None else self.new_instance()
            if instance is not None:
                kwargs["instance"] = instance
        return self.form_class(**kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.get_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form(data=request.POST, files=request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    result = self.perform(form)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                return self.form_valid(result)
        return self.render_form(form, status=400)

    def form_valid(self, result: Any) -> HttpResponse:
        if self.success_message:
            messages.success(self.request, self.success_message)
        url = self.get_success_url(result)
        if is_htmx(self.request):
            response = self.htmx_success(result)
            if response is not None:
                return response
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)

    def htmx_success(self, result: Any) -> HttpResponse | None:
        """A fragment to swap in after an inline add; None sends the browser to the success
        URL."""
        return None

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        template = self.partial_template_name if is_htmx(self.request) else self.template_name
        context = self.get_context_data(form=form)
        return private(render(self.request, template, context, status=status))
