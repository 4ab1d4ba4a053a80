from django.urls import path

from workspace.api import views

urlpatterns = [
    path("cases/<uuid:pk>/timeline/", views.CaseTimelineView.as_view(), name="case-timeline"),
]
