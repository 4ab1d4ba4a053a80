from rest_framework.routers import SimpleRouter

from cases.api import views

router = SimpleRouter()
router.register("detentions", views.DetentionViewSet, basename="detention")

urlpatterns = router.urls
