from rest_framework.routers import SimpleRouter

from people.api import views

router = SimpleRouter()
router.register("people", views.PersonViewSet, basename="person")
router.register("person-names", views.PersonNameViewSet, basename="person-name")
router.register("relationships", views.RelationshipViewSet, basename="relationship")

urlpatterns = router.urls
