"""URLs of the CSV import pages (included by companies/urls.py, app_name "companies")."""

from django.urls import path

from koblingsboks.companies.views import imports

urlpatterns = [
    path("imports/", imports.import_index, name="imports"),
    path("imports/affiliations/", imports.affiliation_import, name="import-affiliations"),
    path(
        "imports/affiliations/confirm/",
        imports.affiliation_import_confirm,
        name="import-affiliations-confirm",
    ),
    path("imports/organisations/", imports.organisation_import, name="import-organisations"),
    path(
        "imports/organisations/confirm/",
        imports.organisation_import_confirm,
        name="import-organisations-confirm",
    ),
]
