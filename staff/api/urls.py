from rest_framework.routers import SimpleRouter

from staff.api import views

router = SimpleRouter()
router.register("teams", views.TeamViewSet, basename="team")
router.register("employees", views.EmployeeViewSet, basename="employee")

urlpatterns = router.urls
