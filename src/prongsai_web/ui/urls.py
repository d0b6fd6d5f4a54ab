from django.contrib.auth import views as auth_views
from django.urls import path

from prongsai_web.ui import views
from prongsai_web.ui.login import ThrottledLoginForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="ui/login.html",
            authentication_form=ThrottledLoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("a/<int:agency_id>/", views.agency_home, name="agency"),
    path("a/<int:agency_id>/upload/", views.upload, name="upload"),
    path("a/<int:agency_id>/years/<int:ita_year>/", views.analysis, name="analysis"),
]
