"""The OpenAPI schema documents every field, filter and verb of the cases endpoints (issue 4,
item 7)."""

import pytest
from rest_framework.test import APIClient

COMPONENTS = [
    "Case",
    "CaseParty",
    "CaseAccess",
    "ExtraditionRequest",
    "ExtraditionDecision",
    "Note",
    "CaseCloseRequest",
    "ExtraditionSurrenderRequest",
]
LISTS = [
    "cases",
    "case-parties",
    "case-access",
    "extradition-requests",
    "extradition-decisions",
    "notes",
]


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = APIClient().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("component", COMPONENTS)
def test_every_field_is_described(schema, component):
    schemas = schema["components"]["schemas"]
    variants = [component, f"{component}Request", f"Patched{component}Request"]
    found = [v for v in variants if v in schemas]
    assert found, component
    for variant in found:
        undescribed = [
            name
            for name, field in schemas[variant]["properties"].items()
            if not field.get("description")
        ]
        assert not undescribed, f"{variant}: {undescribed}"


@pytest.mark.parametrize("resource", LISTS)
def test_every_filter_is_described(schema, resource):
    parameters = schema["paths"][f"/api/v1/{resource}/"]["get"]["parameters"]
    assert all(p.get("description") for p in parameters), parameters


def test_methods_that_do_not_exist_are_not_documented(schema):
    paths = schema["paths"]
    assert "delete" not in paths["/api/v1/cases/{id}/"]
    assert not {"put", "patch"} & set(paths["/api/v1/case-parties/{id}/"])
    for verb in ("cases/{id}/close", "cases/{id}/reopen", "extradition-requests/{id}/surrender"):
        assert paths[f"/api/v1/{verb}/"]["post"]["description"], verb
