"""URLs of company search, the company page and the garden's portfolio (included by
companies/urls.py, app_name "companies")."""

from django.urls import path, register_converter

from koblingsboks.companies.views import contacts, key_figures, portfolio


class OrgNumberConverter:
    """Nine digits: an org.nr as the register writes it (no spaces)."""

    regex = "[0-9]{9}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(OrgNumberConverter, "orgnr")

urlpatterns = [
    path("companies/", portfolio.company_search_page, name="company-search"),
    path("companies/<orgnr:org_number>/", portfolio.company_page, name="company-detail"),
    path(
        "companies/<orgnr:org_number>/notes/",
        portfolio.note_create_view,
        name="note-create",
    ),
    path(
        "companies/<orgnr:org_number>/notes/<int:pk>/edit/",
        portfolio.note_edit_view,
        name="note-edit",
    ),
    path(
        "companies/<orgnr:org_number>/notes/<int:pk>/delete/",
        portfolio.note_delete_view,
        name="note-delete",
    ),
    path(
        "companies/<orgnr:org_number>/contacts/",
        contacts.contact_create_view,
        name="contact-create",
    ),
    path(
        "companies/<orgnr:org_number>/contacts/<int:pk>/edit/",
        contacts.contact_edit_view,
        name="contact-edit",
    ),
    path(
        "companies/<orgnr:org_number>/contacts/<int:pk>/delete/",
        contacts.contact_delete_view,
        name="contact-delete",
    ),
    path(
        "companies/<orgnr:org_number>/advisory-log/",
        portfolio.advisory_log_add_view,
        name="advisory-log-add",
    ),
    path(
        "companies/<orgnr:org_number>/advisory-log/<int:pk>/delete/",
        portfolio.advisory_log_delete_view,
        name="advisory-log-delete",
    ),
    path(
        "companies/<orgnr:org_number>/key-figures/report/",
        key_figures.key_figures_report,
        name="key-figures-report",
    ),
    path("portfolio/", portfolio.portfolio_page, name="portfolio"),
    path("portfolio/export.csv", portfolio.portfolio_export_csv, name="portfolio-export-csv"),
    path("portfolio/export.xlsx", portfolio.portfolio_export_xlsx, name="portfolio-export-xlsx"),
    path("portfolio/add/", portfolio.portfolio_add, name="portfolio-add"),
    path("portfolio/<int:pk>/edit/", portfolio.affiliation_edit, name="affiliation-edit"),
    path("portfolio/<int:pk>/end/", portfolio.affiliation_end_view, name="affiliation-end"),
]
