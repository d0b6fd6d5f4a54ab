from django.urls import include, path

from prongsai_web.api.api import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("prongsai_web.jobs.urls")),
    path("", include("prongsai_web.tracking.urls")),
    path("", include("prongsai_web.staff.urls")),
    path("", include("prongsai_web.ui.urls")),
]
