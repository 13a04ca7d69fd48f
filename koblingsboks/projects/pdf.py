"""The PDF of an agreement version (WeasyPrint), always in Norwegian bokmål."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from koblingsboks.projects.agreement import budget_summary
from koblingsboks.projects.models import AgreementVersion, Category, FundingKind


def version_context(version: AgreementVersion) -> dict:
    snapshot = version.snapshot
    names = {party["id"]: party["name"] for party in snapshot["parties"]}
    categories = dict(Category.choices)
    kinds = dict(FundingKind.choices)
    responsibilities = [
        {**item, "party_name": names.get(item["party"], "")}
        for item in snapshot["responsibilities"]
    ]
    budget = [
        {
            **line,
            "party_name": names.get(line["party"], ""),
            "category_label": categories.get(line["category"], line["category"]),
            "total": Decimal(line["cash"]) + Decimal(line["in_kind"]),
        }
        for line in snapshot["budget"]
    ]
    funding = [
        {**source, "kind_label": kinds.get(source["kind"], source["kind"])}
        for source in snapshot["funding"]
    ]
    return {
        "version": version,
        "snapshot": snapshot,
        "responsibilities": responsibilities,
        "budget": budget,
        "funding": funding,
        "summary": budget_summary(snapshot),
        "signatures": list(version.signatures.select_related("party__organisation")),
    }


def version_pdf(version: AgreementVersion) -> bytes:
    from weasyprint import HTML  # heavy; imported only when a PDF is made

    with translation.override("nb"):
        html = render_to_string("projects/pdf/agreement.html", version_context(version))
    return HTML(string=html).write_pdf()
