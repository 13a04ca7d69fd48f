"""URLs of the reporting app."""

from django.urls import path

from koblingsboks.reporting.views import public, results, surveys

app_name = "reporting"

urlpatterns = [
    path("results/", results.garden_dashboard, name="dashboard"),
    path("results/companies/", results.garden_companies, name="companies"),
    path("results/report.xlsx", results.garden_export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("results/report.pdf", results.garden_export, {"fmt": "pdf"}, name="export-pdf"),
    path("results/national/", results.national_dashboard, name="national"),
    path("results/networks/<slug:slug>/", results.network_dashboard, name="network"),
    path(
        "results/networks/<slug:slug>/companies/",
        results.network_companies,
        name="network-companies",
    ),
    path(
        "results/networks/<slug:slug>/report.xlsx",
        results.network_export,
        {"fmt": "xlsx"},
        name="network-export-xlsx",
    ),
    path(
        "results/networks/<slug:slug>/report.pdf",
        results.network_export,
        {"fmt": "pdf"},
        name="network-export-pdf",
    ),
    path("results/surveys/", surveys.survey_index, name="surveys"),
    path("results/surveys/<int:pk>/", surveys.survey_page, name="survey"),
    path("results/surveys/<int:pk>/send/", surveys.survey_send_view, name="survey-send"),
    path("survey/<str:token>/", surveys.survey_answer, name="survey-answer"),
    path("explore/", public.explore_index, name="explore"),
    path("explore/<slug:slug>/", public.explore_network, name="explore-network"),
]
