"""The OpenAPI schema documents every field and filter of the people endpoints (issue 4, item 7)."""

import pytest
from rest_framework.test import APIClient

COMPONENTS = ["Person", "PersonName", "Relationship"]


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
    for variant in [v for v in variants if v in schemas]:
        undescribed = [
            name
            for name, field in schemas[variant]["properties"].items()
            if not field.get("description")
        ]
        assert not undescribed, f"{variant}: {undescribed}"


@pytest.mark.parametrize(
    "path", ["/api/v1/people/", "/api/v1/person-names/", "/api/v1/relationships/"]
)
def test_every_filter_is_described(schema, path):
    parameters = schema["paths"][path]["get"]["parameters"]
    assert all(p.get("description") for p in parameters), parameters


def test_search_is_documented_as_unpaginated_and_people_are_not_deleted(schema):
    people = schema["paths"]["/api/v1/people/"]["get"]
    assert "best matches" in people["description"]
    assert "delete" not in schema["paths"]["/api/v1/people/{id}/"]
    assert "patch" not in schema["paths"]["/api/v1/person-names/{id}/"]
