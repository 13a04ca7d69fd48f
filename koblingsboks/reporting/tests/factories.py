"""Small builders for KPI test data: companies, affiliations and accounts by hand."""

import datetime
from decimal import Decimal

from django_scopes import scopes_disabled

from koblingsboks.companies.models import Affiliation, Company, KeyFigures
from tests.factories import CompanyFactory


def company(*, founded=None, registered=None, deleted=None, name=None) -> Company:
    extra = {"name": name} if name else {}
    return CompanyFactory(founded_on=founded, registered_on=registered, deleted_on=deleted, **extra)


def affiliate(organisation, company, start, end=None, kind="target") -> Affiliation:
    with scopes_disabled():
        return Affiliation.objects.create(
            organisation=organisation,
            company=company,
            kind=kind,
            start_date=datetime.date.fromisoformat(start) if isinstance(start, str) else start,
            end_date=datetime.date.fromisoformat(end) if isinstance(end, str) else end,
        )


def accounts(
    company,
    year,
    turnover,
    *,
    currency="NOK",
    operating_result=None,
    personnel_costs=None,
    employees=None,
    source=KeyFigures.Source.ACCOUNTS_REGISTER,
    period_end=None,
    account_type=KeyFigures.AccountType.COMPANY,
) -> KeyFigures:
    def money(value):
        return None if value is None else Decimal(str(value))

    return KeyFigures.objects.create(
        company=company,
        year=year,
        period_start=None,
        period_end=period_end or datetime.date(year, 12, 31),
        account_type=account_type,
        currency=currency,
        turnover=money(turnover),
        operating_result=money(operating_result),
        personnel_costs=money(personnel_costs),
        employees=employees,
        source=source,
    )
