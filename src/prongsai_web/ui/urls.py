from django.contrib.auth import views as auth_views
from django.urls import path

from prongsai_web.ui import dashboard_views, plan_views, views
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
    path("a/<int:agency_id>/template/", views.template_download, name="results_template"),
    path("a/<int:agency_id>/years/<int:ita_year>/", views.analysis, name="analysis"),
    path("bulk/", views.bulk_upload, name="bulk_upload"),
    path("bulk/<str:token>/", views.bulk_preview, name="bulk_preview"),
    path("bulk/<str:token>/confirm/", views.bulk_confirm, name="bulk_confirm"),
    path("bulk/<str:token>/cancel/", views.bulk_cancel, name="bulk_cancel"),
    path("a/<int:agency_id>/years/<int:ita_year>/plan/", plan_views.plan_page, name="plan"),
    path("a/<int:agency_id>/years/<int:ita_year>/plan/add/", plan_views.plan_add, name="plan_add"),
    path("a/<int:agency_id>/years/<int:ita_year>/plan/texts/", plan_views.plan_texts, name="plan_texts"),
    path(
        "a/<int:agency_id>/years/<int:ita_year>/plan/redraft/", plan_views.plan_redraft, name="plan_redraft"
    ),
    path(
        "a/<int:agency_id>/years/<int:ita_year>/plan/approve/", plan_views.plan_approve, name="plan_approve"
    ),
    path(
        "a/<int:agency_id>/years/<int:ita_year>/plan/v<int:version>.yaml",
        plan_views.plan_yaml,
        name="plan_yaml",
    ),
    path(
        "a/<int:agency_id>/years/<int:ita_year>/plan/m/<int:index>/",
        plan_views.plan_measure,
        name="plan_measure",
    ),
    path(
        "a/<int:agency_id>/years/<int:ita_year>/plan/m/<int:index>/delete/",
        plan_views.plan_delete,
        name="plan_delete",
    ),
    path(
        "a/<int:agency_id>/years/<int:ita_year>/plan/m/<int:index>/move/",
        plan_views.plan_move,
        name="plan_move",
    ),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", dashboard_views.export_xlsx, name="dashboard_xlsx"),
    path("dashboard/export.csv", dashboard_views.export_csv, name="dashboard_csv"),
]
