"""A settlement as rows (one exporter), rendered as xlsx or CSV by the companies renderers."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from koblingsboks.capacity.models import Settlement
from koblingsboks.capacity.services import settlement_lines, settlement_totals
from koblingsboks.companies.exporters import render_csv, render_xlsx

__all__ = ["render_csv", "render_xlsx", "settlement_rows", "settlement_filename"]


def settlement_filename(settlement: Settlement, extension: str) -> str:
    return f"settlement-{settlement.pk}-{settlement.period_start:%Y-%m}.{extension}"


def settlement_rows(settlement: Settlement) -> Iterator[list]:
    """A header, one row per booking (who worked for whom, hours, rate, amount), then the
    totals per direction and the net amount: what the second organisation owes the first."""
    a, b = settlement.organisation_a, settlement.organisation_b
    names = {a.pk: a.name, b.pk: b.name}
    yield [
        _("Period from"),
        _("Period to"),
        _("Booking"),
        _("Request"),
        _("Worked by"),
        _("Worked for"),
        _("Hours"),
        _("Hourly rate (NOK)"),
        _("Amount (NOK)"),
    ]
    for line in settlement_lines(settlement):
        provider = line["provider_id"]
        customer = b.pk if provider == a.pk else a.pk
        yield [
            settlement.period_start,
            settlement.period_end,
            line["booking_id"],
            line["title"],
            names[provider],
            names[customer],
            line["hours"],
            line["rate"],
            line["amount"],
        ]
    totals = settlement_totals(settlement)
    yield [
        settlement.period_start,
        settlement.period_end,
        None,
        _("Total"),
        a.name,
        b.name,
        totals["hours_a_for_b"],
        None,
        totals["amount_a_for_b"],
    ]
    yield [
        settlement.period_start,
        settlement.period_end,
        None,
        _("Total"),
        b.name,
        a.name,
        totals["hours_b_for_a"],
        None,
        totals["amount_b_for_a"],
    ]
    net = totals["amount_a_for_b"] - totals["amount_b_for_a"]
    net_hours = totals["hours_a_for_b"] - totals["hours_b_for_a"]
    debtor, creditor = (b.name, a.name) if net >= 0 else (a.name, b.name)
    if net < 0:
        net, net_hours = -net, -net_hours
    yield [
        settlement.period_start,
        settlement.period_end,
        None,
        _("Net: %(debtor)s owes %(creditor)s") % {"debtor": debtor, "creditor": creditor},
        debtor,
        creditor,
        net_hours,
        None,
        net,
    ]
