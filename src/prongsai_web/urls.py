from django.urls import include, path

from prongsai_web.api.api import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("prongsai_web.ui.urls")),
]
