"""Browser pages of the people app."""

from django.urls import path

from people.views import duplicates, forms, person_list

app_name = "people"

urlpatterns: list = [
    path("people/", person_list.person_list, name="person_list"),
    path("people/duplicates/", duplicates.duplicate_list, name="duplicate_list"),
]

# Forms on people's records (through people/services.py).
urlpatterns += [
    path("people/new/", forms.PersonCreate.as_view(), name="person_create"),
    path("people/<uuid:person_id>/edit/", forms.PersonUpdate.as_view(), name="person_update"),
    path(
        "people/<uuid:person_id>/names/new/",
        forms.PersonNameAdd.as_view(),
        name="person_name_add",
    ),
    path(
        "people/<uuid:person_id>/not-duplicate/<uuid:other_id>/",
        forms.person_not_duplicate_view,
        name="person_not_duplicate",
    ),
    path("names/<uuid:name_id>/remove/", forms.person_name_remove_view, name="person_name_remove"),
    path(
        "people/<uuid:person_id>/relationships/new/",
        forms.RelationshipCreate.as_view(),
        name="relationship_create",
    ),
    path(
        "relationships/<uuid:relationship_id>/edit/",
        forms.RelationshipUpdate.as_view(),
        name="relationship_update",
    ),
    path(
        "relationships/<uuid:relationship_id>/remove/",
        forms.relationship_remove_view,
        name="relationship_remove",
    ),
]
