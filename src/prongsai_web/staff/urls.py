"""The administration pages (docs/web-staff.md), under /staff/."""

from django.urls import URLPattern, URLResolver, path

from prongsai_web.staff import views_agencies, views_audit, views_frameworks, views_users

urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/users/", views_users.users, name="staff_users"),
    path("staff/users/add/", views_users.user_add, name="staff_user_add"),
    path("staff/users/<int:user_id>/", views_users.user_page, name="staff_user"),
    path("staff/users/<int:user_id>/details/", views_users.user_details, name="staff_user_details"),
    path("staff/users/<int:user_id>/grant/", views_users.user_grant, name="staff_user_grant"),
    path(
        "staff/users/<int:user_id>/revoke/<int:membership_id>/",
        views_users.user_revoke,
        name="staff_user_revoke",
    ),
    path("staff/users/<int:user_id>/active/", views_users.user_active, name="staff_user_active"),
    path("staff/users/<int:user_id>/password/", views_users.user_password, name="staff_user_password"),
    path("staff/agencies/", views_agencies.agencies, name="staff_agencies"),
    path("staff/agencies/add/", views_agencies.agency_add, name="staff_agency_add"),
    path("staff/agencies/<int:agency_id>/", views_agencies.agency_page, name="staff_agency"),
    path("staff/audit/", views_audit.audit, name="staff_audit"),
    path("staff/audit/export.csv", views_audit.audit_csv, name="staff_audit_csv"),
    path("staff/frameworks/", views_frameworks.frameworks, name="staff_frameworks"),
    path("staff/frameworks/upload/", views_frameworks.framework_upload, name="staff_framework_upload"),
    path("staff/frameworks/<int:year>.xlsx", views_frameworks.framework_xlsx, name="staff_framework_xlsx"),
]
