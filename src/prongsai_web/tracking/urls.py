"""The tracking pages (docs/web-tracking.md); included at the site root."""

from django.urls import URLPattern, URLResolver, path

from prongsai_web.tracking import views

YEAR = "a/<int:agency_id>/years/<int:ita_year>/tracking/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(YEAR, views.board, name="tracking"),
    path(f"{YEAR}progress.yaml", views.progress_yaml, name="tracking_yaml"),
    path(f"{YEAR}v<int:version>.yaml", views.progress_version_yaml, name="tracking_version_yaml"),
    path(f"{YEAR}upload/", views.progress_upload, name="tracking_upload"),
    path(f"{YEAR}m/<path:measure_id>/", views.measure_page, name="tracking_measure"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
]
