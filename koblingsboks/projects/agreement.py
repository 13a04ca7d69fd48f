"""The agreement as data: a canonical snapshot, its hash, a readable text and budget totals.

Circulating an agreement freezes ``agreement_snapshot(project)``. The snapshot is JSON with
sorted keys, amounts as strings with two decimals and dates in ISO form, so the same content
always gives the same bytes and the same SHA-256 (``content_hash``). The readable text
(``agreement_text``) is in Norwegian, the language the parties sign in, and is what an
amendment's diff compares line by line.
"""

import difflib
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.dateparse import parse_date
from django.utils.formats import date_format

from koblingsboks.core.formatting import format_nok
from koblingsboks.projects.models import Category, FundingKind, Project

CENT = Decimal("0.01")
SNAPSHOT_FORMAT = 1


def _money(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT))


def agreement_snapshot(project: Project) -> dict:
    """Everything the parties sign, as plain JSON-safe data (read inside the project's scope)."""
    parties = list(project.parties.select_related("organisation"))
    responsibilities = list(
        project.responsibilities.select_related("party").prefetch_related("deliverables")
    )
    return {
        "format": SNAPSHOT_FORMAT,
        "project": {
            "title": project.title,
            "purpose": project.purpose,
            "start_date": project.start_date.isoformat(),
            "end_date": project.end_date.isoformat(),
            "lead": project.lead_organisation.name,
        },
        "parties": [
            {
                "id": party.pk,
                "name": party.name,
                "org_number": party.organisation.org_number if party.organisation_id else "",
                "external": party.is_external,
                "lead": party.organisation_id == project.lead_organisation_id,
                "contact_name": party.contact_name,
                "contact_email": party.contact_email,
                "contact_phone": party.contact_phone,
                "signer_name": party.signer_name,
                "signer_email": party.signer_email,
            }
            for party in parties
        ],
        "responsibilities": [
            {
                "party": item.party_id,
                "title": item.title,
                "description": item.description,
                "deliverables": [
                    {"title": d.title, "due_date": d.due_date.isoformat()}
                    for d in sorted(item.deliverables.all(), key=lambda d: (d.due_date, d.pk))
                ],
            }
            for item in responsibilities
        ],
        "budget": [
            {
                "party": line.party_id,
                "year": line.year,
                "category": line.category,
                "description": line.description,
                "cash": _money(line.cash),
                "in_kind": _money(line.in_kind),
            }
            for line in project.budget_lines.order_by("party__position", "party_id", "year")
        ],
        "funding": [
            {"kind": source.kind, "name": source.name, "amount": _money(source.amount)}
            for source in project.funding_sources.all()
        ],
        "terms": [
            {"key": term.key, "title": term.title, "text": term.text}
            for term in project.terms.all()
        ],
    }


def canonical_json(snapshot: dict) -> bytes:
    """The one byte form of a snapshot: sorted keys, no whitespace, UTF-8."""
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def content_hash(snapshot: dict) -> str:
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


# --- totals


@dataclass
class Amounts:
    cash: Decimal = Decimal("0")
    in_kind: Decimal = Decimal("0")

    @property
    def total(self) -> Decimal:
        return self.cash + self.in_kind

    def add(self, cash: Decimal, in_kind: Decimal) -> None:
        self.cash += cash
        self.in_kind += in_kind


@dataclass
class BudgetSummary:
    """Budget totals per party, per year and per category, and the funding that covers them."""

    party_names: dict[int, str]
    years: list[int]
    by_party: dict[int, Amounts] = field(default_factory=dict)
    by_year: dict[int, Amounts] = field(default_factory=dict)
    by_category: dict[str, Amounts] = field(default_factory=dict)
    by_party_year: dict[tuple[int, int], Amounts] = field(default_factory=dict)
    total: Amounts = field(default_factory=Amounts)
    funding_total: Decimal = Decimal("0")
    funding_by_kind: dict[str, Decimal] = field(default_factory=dict)

    @property
    def balanced(self) -> bool:
        return self.funding_total == self.total.total

    @property
    def difference(self) -> Decimal:
        """Funding minus budget: negative when the funding does not cover the budget."""
        return self.funding_total - self.total.total

    def party_rows(self) -> list[tuple[str, Amounts, list[Amounts]]]:
        """(party, its totals, its totals per year) for every party, in the snapshot's order."""
        return [
            (
                name,
                self.by_party.get(pk, Amounts()),
                [self.by_party_year.get((pk, year), Amounts()) for year in self.years],
            )
            for pk, name in self.party_names.items()
        ]

    def year_rows(self) -> list[tuple[int, Amounts]]:
        return [(year, self.by_year.get(year, Amounts())) for year in self.years]


def budget_summary(snapshot: dict) -> BudgetSummary:
    """Totals of a snapshot's budget and funding (the live draft's or a frozen version's)."""
    start = int(snapshot["project"]["start_date"][:4])
    end = int(snapshot["project"]["end_date"][:4])
    line_years = {line["year"] for line in snapshot["budget"]}
    summary = BudgetSummary(
        party_names={party["id"]: party["name"] for party in snapshot["parties"]},
        years=sorted(set(range(start, end + 1)) | line_years),
    )
    for line in snapshot["budget"]:
        cash, in_kind = Decimal(line["cash"]), Decimal(line["in_kind"])
        for bucket, key in (
            (summary.by_party, line["party"]),
            (summary.by_year, line["year"]),
            (summary.by_category, line["category"]),
            (summary.by_party_year, (line["party"], line["year"])),
        ):
            bucket.setdefault(key, Amounts()).add(cash, in_kind)
        summary.total.add(cash, in_kind)
    for source in snapshot["funding"]:
        amount = Decimal(source["amount"])
        summary.funding_total += amount
        summary.funding_by_kind[source["kind"]] = (
            summary.funding_by_kind.get(source["kind"], Decimal("0")) + amount
        )
    return summary


# --- the readable text and the diff


def _date(value: str) -> str:
    return date_format(parse_date(value), "d.m.Y")


def agreement_text(snapshot: dict) -> str:
    """A Norwegian text rendering, one fact per line, so that a diff reads line by line."""
    with translation.override("nb"):
        names = {party["id"]: party["name"] for party in snapshot["parties"]}
        categories = dict(Category.choices)
        kinds = dict(FundingKind.choices)
        project = snapshot["project"]
        lines = [
            f"Prosjekt: {project['title']}",
            f"Periode: {_date(project['start_date'])}–{_date(project['end_date'])}",
            f"Prosjektansvarlig: {project['lead']}",
            f"Formål: {project['purpose']}",
            "",
            "PARTER",
        ]
        for party in snapshot["parties"]:
            kind = "ekstern partner" if party["external"] else f"org.nr {party['org_number']}"
            contact = ", ".join(
                v
                for v in (party["contact_name"], party["contact_email"], party["contact_phone"])
                if v
            )
            lines.append(f"Part: {party['name']} ({kind}); kontaktperson: {contact or '–'}")
            if party["external"]:
                lines.append(
                    f"  Signerer for {party['name']}: {party['signer_name']} "
                    f"<{party['signer_email']}>"
                )
        lines += ["", "ANSVARSOMRÅDER"]
        for item in snapshot["responsibilities"]:
            lines.append(f"Ansvar ({names.get(item['party'], '?')}): {item['title']}")
            if item["description"]:
                lines += [f"  {row}" for row in item["description"].splitlines()]
            for deliverable in item["deliverables"]:
                lines.append(
                    f"  Leveranse: {deliverable['title']} – frist {_date(deliverable['due_date'])}"
                )
        lines += ["", "BUDSJETT"]
        for line in snapshot["budget"]:
            description = f" ({line['description']})" if line["description"] else ""
            lines.append(
                f"Budsjett {names.get(line['party'], '?')} {line['year']} "
                f"{categories.get(line['category'], line['category'])}{description}: "
                f"kontant {format_nok(Decimal(line['cash']))}, "
                f"egeninnsats {format_nok(Decimal(line['in_kind']))}"
            )
        lines += ["", "FINANSIERING"]
        for source in snapshot["funding"]:
            lines.append(
                f"Finansiering {kinds.get(source['kind'], source['kind'])}: {source['name']} "
                f"{format_nok(Decimal(source['amount']))}"
            )
        lines += ["", "VILKÅR"]
        for term in snapshot["terms"]:
            lines.append(f"{term['title']}:")
            lines += [f"  {row}" for row in term["text"].splitlines()]
        return "\n".join(lines)


def agreement_diff(old: dict, new: dict, *, old_label: str, new_label: str) -> str:
    """A unified diff of the two readable texts ('' when they read the same)."""
    return "\n".join(
        difflib.unified_diff(
            agreement_text(old).splitlines(),
            agreement_text(new).splitlines(),
            fromfile=old_label,
            tofile=new_label,
            lineterm="",
        )
    )


def party_totals_by_id(snapshot: dict) -> dict[int, Amounts]:
    totals: dict[int, Amounts] = defaultdict(Amounts)
    for line in snapshot["budget"]:
        totals[line["party"]].add(Decimal(line["cash"]), Decimal(line["in_kind"]))
    return dict(totals)
