"""Every domain model has the parts of the recipe (docs/adding-a-model.md, issue #9): an admin, a
factory, an API resource with its serializer and filterset in the app's own modules (and so its
permission matrix, which tests/api/test_matrix_coverage.py demands), and a browser form. A model
without a part names it in ``WITHOUT`` and says why, so that a missing part is a decision, not
an oversight."""

import inspect

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin

import casetracker.api.urls
from tests import factories

DOMAIN = ("organisations", "people", "cases", "rulings")
PARTS = ("admin", "factory", "api", "form")
WITHOUT = {
    "organisations.Organisation": {
        "api": "managed by platform operators and organisation admins in the admin only",
        "form": "the admin's organisation page manages it and its members",
    },
    "organisations.Membership": {
        "api": "who belongs where is not data an API client needs; the admin manages it",
        "form": "the admin's organisation page manages members",
    },
    "cases.CaseEvent": {
        "api": "read through /api/v1/cases/<id>/timeline/ and the case page, never written",
        "form": "append-only: the services write it, nobody else",
        "factory": "tests record events through CaseEvent.objects.record, as the services do",
    },
    "cases.DeadlineRule": {
        "form": "seeded by a migration; platform operators change a rule in the admin",
        "factory": "the seeded rules are the ones tests use",
    },
    "cases.Deadline": {"form": "computed by the engine; its own forms change its state"},
    "cases.Alert": {"form": "raised by the engine; acknowledged from the inbox"},
    "cases.CalendarFeed": {
        "api": "a calendar app reads the feed itself (/calendar/<token>.ics)",
        "form": "created, regenerated and revoked on /calendar/feed/",
    },
    "people.NotDuplicate": {
        "admin": "marked from the duplicates shown on the person page; its event is the audit",
        "api": "a pair's mark is the duplicate suggestions' business, not an API client's",
        "form": "one button on the duplicates shown on the person page (issue #12)",
    },
    "cases.CaseAccess": {"form": "the case's share page (cases/views) is a plain form"},
    "cases.Note": {"form": "'File an update' on the case page is a plain form with a file"},
    "cases.Document": {"form": "uploaded with a note or on the upload page, a plain file form"},
}


def _models():
    return [model for label in DOMAIN for model in apps.get_app_config(label).get_models()]


def _resources() -> dict:
    found = {}
    for include in casetracker.api.urls.urlpatterns:
        router = getattr(include.urlconf_module, "router", None)
        for _prefix, viewset, _basename in router.registry if router else []:
            found[viewset.queryset.model] = viewset
    return found


def _model_forms() -> set:
    found = set()
    for label in DOMAIN:
        module = apps.get_app_config(label).module
        try:
            forms_module = __import__(f"{module.__name__}.forms", fromlist=["forms"])
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(forms_module, inspect.isclass):
            meta = getattr(cls, "_meta", None)
            if issubclass(cls, forms.ModelForm) and getattr(meta, "model", None) is not None:
                found.add(meta.model)
    return found


@pytest.mark.parametrize("model", _models(), ids=lambda m: m._meta.label)
def test_every_domain_model_has_every_part_of_the_recipe(model):
    resources, model_forms = _resources(), _model_forms()
    factory_models = {
        getattr(cls._meta, "model", None)
        for _name, cls in inspect.getmembers(factories, inspect.isclass)
        if hasattr(cls, "_meta")
    }
    has = {
        "admin": model in admin.site._registry,
        "factory": model in factory_models,
        "api": model in resources,
        "form": model in model_forms,
    }
    excused = WITHOUT.get(model._meta.label, {})
    missing = [part for part in PARTS if not has[part] and part not in excused]
    stale = [part for part in excused if has[part]]
    assert missing == [], f"{model._meta.label} lacks {missing}: add them or say why in WITHOUT"
    assert stale == [], f"{model._meta.label} has {stale} now: remove them from WITHOUT"


@pytest.mark.parametrize("model", list(_resources()), ids=lambda m: m._meta.label)
def test_a_resource_keeps_its_parts_in_its_own_app(model):
    """The serializer in ``<app>.api``, the filterset in ``<app>.filtersets`` (shared by the API
    and the pages), the viewset in ``<app>.api``."""
    viewset = _resources()[model]
    app = model._meta.app_label
    assert viewset.__module__.startswith(f"{app}.api."), viewset
    assert viewset.serializer_class.__module__.startswith(f"{app}.api."), viewset
    assert viewset.filterset_class.__module__ == f"{app}.filtersets", viewset
