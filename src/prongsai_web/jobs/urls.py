"""The documents page of an agency-year and the list of its jobs (jobs/views.py)."""

from django.urls import path

from prongsai_web.jobs import views

urlpatterns = [
    path("a/<int:agency_id>/years/<int:ita_year>/documents/", views.documents, name="documents"),
    path(
        "a/<int:agency_id>/years/<int:ita_year>/documents/jobs/", views.documents_jobs, name="documents_jobs"
    ),
]
