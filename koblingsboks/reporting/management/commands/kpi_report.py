"""manage.py kpi_report --year Y (--organisation ORGNR | --network SLUG | --national)
[--format json|csv|xlsx] — the programme's KPI report for a scope and a year.

The definitions' parameters can be changed per report: --kinds, --window, --baseline,
--without-self-reported. JSON goes to stdout (or --output); csv and xlsx need --output
unless stdout is redirected.
"""

import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from koblingsboks.network.models import Network, Organisation
from koblingsboks.network.validators import normalise_org_number
from koblingsboks.reporting import exporters
from koblingsboks.reporting.definitions import BASELINE_RULES, KpiDefinitions
from koblingsboks.reporting.kpi import (
    kpi_report,
    scope_for_network,
    scope_for_organisation,
    scope_national,
)
from koblingsboks.reporting.selectors import Dashboard


def _json_default(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON serialisable: {value!r}")


class Command(BaseCommand):
    help = "Print the KPI report of an organisation, a network or the whole country for a year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--organisation", metavar="ORGNR", help="the organisation's org.nr")
        where.add_argument("--network", metavar="SLUG")
        where.add_argument("--national", action="store_true")
        parser.add_argument("--format", choices=("json", "csv", "xlsx"), default="json")
        parser.add_argument("--output", help="write to this file instead of stdout")
        parser.add_argument(
            "--kinds",
            help="counted affiliation kinds, comma-separated (default: target,incubator)",
        )
        parser.add_argument("--window", type=int, default=3, help="'newly started' window")
        parser.add_argument("--baseline", choices=sorted(BASELINE_RULES), default=None)
        parser.add_argument("--without-self-reported", action="store_true")

    def handle(self, *args, **options):
        try:
            definitions = KpiDefinitions(
                kinds=tuple(options["kinds"].split(","))
                if options["kinds"]
                else KpiDefinitions().kinds,
                newly_started_years=options["window"],
                baseline_rule=options["baseline"] or KpiDefinitions().baseline_rule,
                include_self_reported=not options["without_self_reported"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        scope = self._scope(options)
        try:
            report = kpi_report(scope=scope, year=options["year"], definitions=definitions)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        fmt = options["format"]
        if fmt == "json":
            body = json.dumps(report, default=_json_default, ensure_ascii=False, indent=2)
            data = (body + "\n").encode()
        elif fmt == "csv":
            data = exporters.report_csv(report, definitions)
        else:
            dashboard = Dashboard(
                year=report["year"], report=report, series=[report], detailed=True
            )
            data = exporters.report_xlsx(dashboard=dashboard, definitions=definitions)
        if options["output"]:
            with open(options["output"], "wb") as out:
                out.write(data)
            self.stderr.write(f"Wrote {options['output']}")
            return
        if fmt != "xlsx":
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        binary = getattr(self.stdout._out, "buffer", None)
        if binary is None or self.stdout.isatty():
            raise CommandError("xlsx is binary: give --output FILE or redirect stdout")
        self.stdout.flush()
        binary.write(data)

    def _scope(self, options):
        if options["national"]:
            return scope_national()
        if options["network"]:
            network = Network.objects.filter(slug=options["network"]).first()
            if network is None:
                raise CommandError(f"No network with the short name {options['network']!r}.")
            return scope_for_network(network)
        number = normalise_org_number(options["organisation"])
        organisation = Organisation.objects.filter(org_number=number).first()
        if organisation is None:
            raise CommandError(f"No organisation with org.nr {number}.")
        return scope_for_organisation(organisation)
