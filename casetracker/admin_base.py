"""The admin's shared base classes: every read through ``visible_to``, every write through a
service, permissions from our access model rather than Django's model permissions (DESIGN §3–§4).

The apps' admins declare which service creates, changes and deletes a record and who may do
so; the rest lives here once:

* Reads: ``get_queryset`` is ``Model.objects.visible_to(user)``; every dropdown of a relation
  offers only records the user may see; a list filter on a relation lists only values found in
  the visible rows. Superusers are not special: need-to-know has no bypass.
* Writes: ``save_model``, ``save_formset``, ``delete_model`` and the bulk delete action call the
  model admin's ``service_*`` methods. A change passes the service only the fields the user
  changed.
* Refusals: a service raises ValidationError or PermissionDenied. The admin wraps the whole
  request in one transaction, so the exception rolls back everything the request wrote (the
  main record, its inline rows, their events, the log entry). The form is then shown again
  with the service's message on the field, the form or the inline row it concerns.

This module imports no app: the apps import it (dependencies point one way). It registers
nothing: casetracker/admin.py registers casetracker's own models on these classes.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import flatten_fieldsets, get_fields_from_path, quote
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import models, router, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: Every record's stamps, shown read-only on its change page.
TIMESTAMPS = ("created_at", "updated_at")


def _signed_in(request: HttpRequest) -> bool:
    # The login page asks for the app list too, as an anonymous user: answer before any query.
    return request.user.is_authenticated and request.user.is_active


def per_request(request: HttpRequest, key: Any, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per request: permission answers are asked many times per page."""
    cache = request.__dict__.setdefault("_casetracker_admin_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


class ServiceRejected(Exception):
    """A service refused a write. ``prefix`` names the form it concerns (None: the main form,
    else an inline row's prefix such as ``names-0``)."""

    def __init__(self, error: ValidationError | PermissionDenied, prefix: str | None) -> None:
        if not isinstance(error, ValidationError):
            error = ValidationError(str(error) or _("You may not make this change."))
        self.error, self.prefix = error, prefix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return " ".join(self.error.messages)


@contextmanager
def service_call(prefix: str | None = None) -> Iterator[None]:
    """Turn a service's refusal into ServiceRejected, which the admin views handle."""
    try:
        yield
    except (ValidationError, PermissionDenied) as exc:
        raise ServiceRejected(exc, prefix) from exc


def _rejection(request: HttpRequest) -> ServiceRejected | None:
    return getattr(request, "_casetracker_rejection", None)


def _with_rejection(form_class: type[forms.BaseForm], request: HttpRequest) -> type:
    rejection = _rejection(request)
    if rejection is None:
        return form_class
    return type(form_class.__name__, (form_class,), {"service_rejection": rejection})


class ServiceModelForm(forms.ModelForm):
    """The admin's form. It validates like any ModelForm (the user sees most mistakes before a
    service is called) and shows a service's refusal when the admin re-displays it.

    Errors about fields the form does not show (read-only on this page) go to the top of the
    form, labelled, instead of crashing the page.
    """

    service_rejection: ServiceRejected | None = None

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        rejection = self.service_rejection
        if rejection is not None and rejection.prefix == self.prefix:
            self.add_error(None, rejection.error)
        return cleaned_data

    def add_error(self, field: str | None, error: Any) -> None:
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        if field is not None and field not in self.fields and field != NON_FIELD_ERRORS:
            error, field = ValidationError({field: error}), None
        if field is None and hasattr(error, "error_dict"):
            routed: dict[str, list] = {}
            for name, errors in error.error_dict.items():
                if name == NON_FIELD_ERRORS or name in self.fields:
                    routed.setdefault(name, []).extend(errors)
                else:
                    label = self._label(name)
                    routed.setdefault(NON_FIELD_ERRORS, []).extend(
                        f"{label}: {message}" for message in ValidationError(errors).messages
                    )
            error = ValidationError(routed)
        super().add_error(field, error)

    def _label(self, name: str) -> str:
        try:
            return str(self._meta.model._meta.get_field(name).verbose_name).capitalize()
        except FieldDoesNotExist:
            return name


class ScopedAdminMixin:
    """What a model admin and an inline share: scoped reads and scoped choices."""

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = self.scoped_queryset(request)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def scoped_queryset(self, request: HttpRequest) -> models.QuerySet:
        return self.model._default_manager.visible_to(request.user)

    def choices_for(self, db_field: models.Field, request: HttpRequest) -> models.QuerySet:
        """What a relation's dropdown may offer: records the user may see. Models without
        ``visible_to`` (users) offer nothing unless the app admin says otherwise."""
        manager = db_field.related_model._default_manager
        if hasattr(manager, "visible_to"):
            return manager.visible_to(request.user)
        return manager.none()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", self.choices_for(db_field, request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", self.choices_for(db_field, request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def may_view(self, request: HttpRequest) -> bool:
        return False


class ServiceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """A model admin whose writes go through services and whose permissions come from our
    access model. Subclasses declare the fields and implement the ``may_*`` and ``service_*``
    methods; whatever they do not grant is refused (fail closed).
    """

    form = ServiceModelForm
    #: The fields of the add form: the create service's arguments.
    add_fields: tuple[str, ...] = ()
    #: The fields of a change page (default: ``add_fields``) and, of them, those the update
    #: service accepts. Every other field is read-only there.
    change_fields: tuple[str, ...] | None = None
    update_fields: tuple[str, ...] = ()
    #: Which writes have a service. Without one the admin does not offer the write at all.
    can_create = True
    can_update = True
    can_delete = True

    # Permissions. ``obj`` is None on the changelist and the index: "may the user do this to
    # some record?", which decides the buttons; the service decides each write.

    def may_add(self, request: HttpRequest) -> bool:
        return False

    def may_change(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def may_delete(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _signed_in(request) and self.may_view(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return _signed_in(request) and self.may_view(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _signed_in(request) and self.can_create and self.may_add(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return _signed_in(request) and self.can_update and self.may_change(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return _signed_in(request) and self.can_delete and self.may_delete(request, obj)

    # The services.

    def service_create(self, request: HttpRequest, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def service_update(
        self, request: HttpRequest, obj: models.Model, changes: dict[str, Any]
    ) -> models.Model:
        raise NotImplementedError

    def service_delete(self, request: HttpRequest, obj: models.Model) -> None:
        raise NotImplementedError

    # Forms.

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj is None:
            return list(self.add_fields)
        return list(self.change_fields if self.change_fields is not None else self.add_fields)

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            shown = flatten_fieldsets(self.get_fieldsets(request, obj))
            readonly += [f for f in shown if f not in self.update_fields and f not in readonly]
        return readonly

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        return _with_rejection(super().get_form(request, obj, change=change, **kwargs), request)

    def get_list_filter(self, request: HttpRequest) -> list:
        # Django's filter on a relation lists every row of the related table (every
        # organisation, every case); list only those the visible rows refer to.
        return [self._scoped_filter(entry) for entry in super().get_list_filter(request)]

    def lookup_allowed(self, lookup: str, value: Any, request: HttpRequest | None = None) -> bool:
        """Only the filters the page offers. Django also accepts a filter on any of the model's
        own fields from the address (``?phone=…``, ``?data__after__phone__contains=…``): the
        number of rows it answers tells whether a phone number or an address is on file, even
        to a user who may not see the column (issue #17). Anything else is a 400."""
        offered = [self.date_hierarchy] if self.date_hierarchy else []
        for entry in self.list_filter:
            if isinstance(entry, type) and issubclass(entry, admin.SimpleListFilter):
                offered.append(entry.parameter_name)
            else:
                offered.append(entry[0] if isinstance(entry, list | tuple) else entry)
        if not any(lookup == name or lookup.startswith(f"{name}__") for name in offered):
            return False
        return super().lookup_allowed(lookup, value, request)

    def _scoped_filter(self, entry: Any) -> Any:
        if isinstance(entry, str) and get_fields_from_path(self.model, entry)[-1].is_relation:
            return (entry, admin.RelatedOnlyFieldListFilter)
        return entry

    # Writes.

    def save_form(self, request: HttpRequest, form: forms.ModelForm, change: bool):
        # Nothing is saved here: save_model calls the service once the inlines are valid too.
        return form.instance

    def save_model(self, request: HttpRequest, obj, form: forms.ModelForm, change: bool) -> None:
        with service_call():
            if change:
                changes = {name: form.cleaned_data[name] for name in form.changed_data}
                if changes:
                    # The form has already copied its values onto ``obj``; the service must
                    # see the stored record to validate and audit the change.
                    obj.refresh_from_db()
                    self.service_update(request, obj, changes)
            else:
                created = self.service_create(request, dict(form.cleaned_data))
                # The admin goes on with the object it passed in (inlines, log entry,
                # redirect): make it the record the service created.
                obj.__dict__.update(created.__dict__)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # No form.save_m2m(): many-to-many fields are arguments of the services.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        inline: ServiceInline = formset.service_inline
        parent = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        own = {"id", "DELETE", formset.fk.name}
        for row in formset.forms:
            obj = row.instance
            with service_call(prefix=row.prefix):
                if row in formset.deleted_forms:
                    if not obj._state.adding:
                        obj.refresh_from_db()  # audit what is stored, not the posted row
                        inline.service_delete(request, obj)
                        formset.deleted_objects.append(obj)
                elif not row.has_changed():
                    continue
                elif obj._state.adding:
                    data = {k: v for k, v in row.cleaned_data.items() if k not in own}
                    formset.new_objects.append(inline.service_create(request, parent, data))
                else:
                    changes = {k: row.cleaned_data[k] for k in row.changed_data if k not in own}
                    obj.refresh_from_db()
                    inline.service_update(request, obj, changes)
                    formset.changed_objects.append((obj, list(changes)))

    def delete_model(self, request: HttpRequest, obj) -> None:
        with service_call():
            self.service_delete(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            description = actions["delete_selected"][2]
            actions["delete_selected"] = (delete_selected, "delete_selected", description)
        return actions

    # Views: a refusal rolls the request back and shows the form again with the message.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRejected as rejection:
            # changeform_view's transaction has rolled back every write of this request. The
            # second pass validates the same POST, and the form (or inline row) the refusal
            # concerns reports it, so nothing is saved and the page shows why.
            request._casetracker_rejection = rejection
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRejected as again:
            # Only if the refusal could not be pinned on any form: say it, and start over.
            self.message_user(request, again.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceRejected as rejection:
            self.message_user(request, rejection.message, messages.ERROR)
            opts = self.opts
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[quote(object_id)],
                current_app=self.admin_site.name,
            )
            return HttpResponseRedirect(url)


@admin.action(
    permissions=["delete"],
    description=gettext_lazy("Delete selected %(verbose_name_plural)s"),
)
def delete_selected(modeladmin: ServiceAdmin, request: HttpRequest, queryset):
    """Django's bulk delete, each deletion through the service, all of them or none."""
    try:
        with transaction.atomic(using=router.db_for_write(modeladmin.model)):
            return django_delete_selected(modeladmin, request, queryset)
    except ServiceRejected as rejection:
        modeladmin.message_user(request, rejection.message, messages.ERROR)
        return None


class ServiceInlineFormSet(forms.BaseInlineFormSet):
    """Shows a service's refusal to delete a row: a row marked for deletion is not validated,
    so the refusal goes above the rows."""

    service_rejection: ServiceRejected | None = None

    def clean(self) -> None:
        super().clean()
        rejection = self.service_rejection
        for row in self.forms:
            if (
                rejection is not None
                and row.prefix == rejection.prefix
                and self.can_delete
                and self._should_delete_form(row)
            ):
                raise ValidationError(rejection.error.messages)


class ServiceInline(ScopedAdminMixin, admin.TabularInline):
    """Rows of a record edited on its parent's page (a person's other spellings), each written
    through a service inside the parent's transaction."""

    form = ServiceModelForm
    formset = ServiceInlineFormSet
    extra = 1
    can_create = True
    can_update = True
    can_delete = True

    def may_write(self, request: HttpRequest, parent: models.Model | None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return _signed_in(request) and self.may_view(request)

    def has_add_permission(self, request: HttpRequest, obj) -> bool:
        return _signed_in(request) and self.can_create and self.may_write(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return _signed_in(request) and self.can_update and self.may_write(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return _signed_in(request) and self.can_delete and self.may_write(request, obj)

    def get_formset(self, request: HttpRequest, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _with_rejection(formset.form, request)
        formset.service_rejection = _rejection(request)
        formset.service_inline = self
        return formset

    def service_create(
        self, request: HttpRequest, parent: models.Model, data: dict[str, Any]
    ) -> models.Model:
        raise NotImplementedError

    def service_update(
        self, request: HttpRequest, obj: models.Model, changes: dict[str, Any]
    ) -> models.Model:
        raise NotImplementedError

    def service_delete(self, request: HttpRequest, obj: models.Model) -> None:
        raise NotImplementedError
