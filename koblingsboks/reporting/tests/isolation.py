"""The reporting app's part of the shared tenant isolation test (tests/isolation/)."""

import datetime

from django.utils import timezone

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.reporting.models import SatisfactionSurvey, SurveyInvitation
from koblingsboks.reporting.services import token_hash
from tests.isolation.entries import ObjectUrl, Public, ScopedList


def tenant_data(tenant, label, data) -> dict:
    """A survey with one answered link for the tenant's portfolio company."""
    org = tenant.organisation
    with organisation_scope(org):
        survey = SatisfactionSurvey.objects.create(
            organisation=org,
            year=datetime.date.today().year - 1,
            title=f"Canary survey {label}",
            message=f"Canary survey message {label}",
        )
        invitation = SurveyInvitation.objects.create(
            organisation=org,
            survey=survey,
            company=data.company,
            email=f"contact-{label}@canary.example",
            token_hash=token_hash(f"canary-token-{label}"),
            sent_at=timezone.now(),
            answered_at=timezone.now(),
            score=5,
            comment=f"Canary survey comment {label}",
        )
    data.canaries += [survey.title, survey.message, invitation.email, invitation.comment]
    return {"survey": survey, "survey_invitation": invitation}


def snapshot(data) -> dict[str, list]:
    with organisation_scope(data.organisation):
        return {
            "satisfaction surveys": list(SatisfactionSurvey.objects.order_by("pk").values()),
            "survey invitations": list(SurveyInvitation.objects.order_by("pk").values()),
        }


def _slug(t):
    return {"slug": t.organisation.slug}


def _network(t):
    return {"slug": t.network.slug}


def _api_network(t):
    return {"network_slug": t.network.slug}


def _survey(t):
    return {"pk": t.survey.pk}


XLSX_PART = "xl/worksheets/sheet1.xml"
AGGREGATES = "aggregates of a network or the country, suppressed below 3 companies"

ENTRIES = [
    # The garden's own results: figures, the companies behind them, the exports.
    ("reporting:dashboard", ScopedList(shows=lambda t: [t.organisation.name])),
    ("reporting:companies", ScopedList(shows=lambda t: [t.company.name])),
    # xlsx and PDF are compressed: the part name / PDF header proves a file came back; the
    # rows are the page's (one exporter).
    ("reporting:export-xlsx", ScopedList(shows=lambda t: [XLSX_PART])),
    ("reporting:export-pdf", ScopedList(shows=lambda t: ["%PDF"])),
    ("reporting:national", Public("the whole country's " + AGGREGATES)),
    # A network's results: only for members of its parties.
    ("reporting:network", ObjectUrl(kwargs=_network, methods=("GET",))),
    ("reporting:network-companies", ObjectUrl(kwargs=_network, methods=("GET",))),
    ("reporting:network-export-xlsx", ObjectUrl(kwargs=_network, methods=("GET",))),
    ("reporting:network-export-pdf", ObjectUrl(kwargs=_network, methods=("GET",))),
    # The satisfaction survey: private to the garden.
    ("reporting:surveys", ScopedList(shows=lambda t: [t.survey.title])),
    ("reporting:survey", ObjectUrl(kwargs=_survey, methods=("GET",))),
    (
        "reporting:survey-send",
        ObjectUrl(
            kwargs=_survey,
            data=lambda t: {
                "company": str(t.company.pk),
                f"email-{t.company.pk}": "attacker@canary.example",
            },
            methods=("POST",),
        ),
    ),
    (
        "reporting:survey-answer",
        Public(
            "capability link: the secret in it is the credential and only its hash is stored; "
            "requested with B's stored hash it must find nothing",
            kwargs=lambda t: {"token": t.survey_invitation.token_hash},
        ),
    ),
    ("reporting:explore", Public("public list of networks")),
    ("reporting:explore-network", Public("public network page: " + AGGREGATES, kwargs=_network)),
    # API
    (
        "api:kpi_organisation_report",
        ScopedList(shows=lambda t: [t.organisation.name], kwargs=_slug),
    ),
    (
        "api:kpi_organisation_series",
        ScopedList(shows=lambda t: [t.organisation.name], kwargs=_slug),
    ),
    (
        "api:kpi_organisation_companies",
        ScopedList(shows=lambda t: [t.company.org_number], kwargs=_slug),
    ),
    ("api:kpi_network_report", ObjectUrl(kwargs=_api_network, methods=("GET",))),
    ("api:kpi_network_companies", ObjectUrl(kwargs=_api_network, methods=("GET",))),
    (
        "api:kpi_public_network_report",
        Public("a network's " + AGGREGATES, kwargs=_api_network),
    ),
    ("api:kpi_national_report", Public("the whole country's " + AGGREGATES)),
    ("api:survey_list", ScopedList(shows=lambda t: [t.survey.title], kwargs=_slug)),
]

BASE = "/api/v1"
API_OPERATIONS = {
    ("get", f"{BASE}/organisations/{{slug}}/results"),
    ("get", f"{BASE}/organisations/{{slug}}/results/series"),
    ("get", f"{BASE}/organisations/{{slug}}/results/companies"),
    ("get", f"{BASE}/networks/{{network_slug}}/results"),
    ("get", f"{BASE}/networks/{{network_slug}}/results/companies"),
    ("get", f"{BASE}/public/networks/{{network_slug}}/results"),
    ("get", f"{BASE}/national/results"),
    ("get", f"{BASE}/organisations/{{slug}}/surveys"),
}
