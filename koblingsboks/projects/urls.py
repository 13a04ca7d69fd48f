"""URLs of the projects app."""

from django.urls import path

from koblingsboks.projects.views import agreement, economy, projects

app_name = "projects"

urlpatterns = [
    path("projects/", projects.project_index, name="list"),
    path("projects/new/", projects.project_create, name="create"),
    path("projects/<int:pk>/", projects.project_page, name="detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="edit"),
    path("projects/<int:pk>/parties/add/", projects.party_add, name="party-add"),
    path("projects/<int:pk>/parties/<int:party_pk>/", projects.party_edit, name="party-edit"),
    path(
        "projects/<int:pk>/parties/<int:party_pk>/remove/",
        projects.party_remove,
        name="party-remove",
    ),
    path(
        "projects/<int:pk>/responsibilities/add/",
        projects.responsibility_add,
        name="responsibility-add",
    ),
    path(
        "<int:pk>/responsibilities/<int:item_pk>/remove/",
        projects.responsibility_delete,
        name="responsibility-delete",
    ),
    path(
        "<int:pk>/responsibilities/<int:item_pk>/deliverables/add/",
        projects.deliverable_add,
        name="deliverable-add",
    ),
    path(
        "<int:pk>/deliverables/<int:item_pk>/remove/",
        projects.deliverable_delete,
        name="deliverable-delete",
    ),
    path("projects/<int:pk>/terms/add/", projects.term_edit, name="term-add"),
    path("projects/<int:pk>/terms/<int:term_pk>/", projects.term_edit, name="term-edit"),
    path("projects/<int:pk>/terms/<int:term_pk>/remove/", projects.term_delete, name="term-delete"),
    # economy
    path("projects/<int:pk>/budget/", economy.budget_page, name="budget"),
    path("projects/<int:pk>/budget/lines/add/", economy.budget_line_add, name="budget-line-add"),
    path(
        "<int:pk>/budget/lines/<int:line_pk>/remove/",
        economy.budget_line_delete,
        name="budget-line-delete",
    ),
    path("projects/<int:pk>/budget/funding/add/", economy.funding_add, name="funding-add"),
    path(
        "<int:pk>/budget/funding/<int:source_pk>/remove/",
        economy.funding_delete,
        name="funding-delete",
    ),
    path("projects/<int:pk>/actuals/", economy.actuals_page, name="actuals"),
    path("projects/<int:pk>/actuals/export.xlsx", economy.actuals_export, name="actuals-xlsx"),
    path(
        "projects/<int:pk>/actuals/<int:cost_pk>/remove/", economy.cost_delete, name="cost-delete"
    ),
    path(
        "<int:pk>/actuals/<int:cost_pk>/attachment/",
        economy.cost_attachment,
        name="cost-attachment",
    ),
    # the agreement's life cycle
    path("projects/<int:pk>/circulate/", agreement.circulate, name="circulate"),
    path("projects/<int:pk>/amend/", agreement.amend, name="amend"),
    path("projects/<int:pk>/activate/", agreement.activate, name="activate"),
    path("projects/<int:pk>/close/", agreement.close, name="close"),
    path("projects/<int:pk>/versions/<int:number>/", agreement.version_page, name="version"),
    path(
        "projects/<int:pk>/versions/<int:number>/pdf/",
        agreement.version_pdf_download,
        name="version-pdf",
    ),
    path("projects/<int:pk>/versions/<int:number>/sign/", agreement.sign, name="sign"),
    path(
        "projects/<int:pk>/parties/<int:party_pk>/resend-link/",
        agreement.resend_link,
        name="resend-link",
    ),
    path("projects/sign/<str:token>/", agreement.sign_link, name="sign-link"),
    path("projects/sign/<str:token>/agreement.pdf", agreement.sign_link_pdf, name="sign-link-pdf"),
    path("projects/networks/<slug:slug>/terms/", agreement.terms_template, name="terms-template"),
]
