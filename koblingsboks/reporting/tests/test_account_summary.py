"""The account summary (PostgreSQL): what a company's row holds, that every way of writing
accounts keeps it in step (triggers), that two transactions writing the same company's
accounts at once leave it right, and that ``refresh_account_summary`` finds and repairs a
summary that was left behind."""

import datetime
import io
import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from koblingsboks.companies.models import Company, KeyFigures
from koblingsboks.reporting.account_summary import (
    account_summary_differences,
    rebuild_account_summary,
)
from koblingsboks.reporting.tests.factories import accounts, company

ON_POSTGRES = connection.vendor == "postgresql"
postgres_only = [
    pytest.mark.postgresql,
    pytest.mark.skipif(not ON_POSTGRES, reason="the summary exists on PostgreSQL only"),
]


def summary_row(company_id) -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT first_year, turnover, currency, value_creation, employees, self_reported,"
            " next_year FROM reporting_account_summary WHERE company_id = %s",
            [company_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    names = ("first_year", "turnover", "currency", "value_creation", "employees")
    names += ("self_reported", "next_year")
    return dict(zip(names, row, strict=True))


def D(value):  # noqa: N802 - reads like the literal it stands for
    return None if value is None else Decimal(value)


@pytest.mark.django_db
class TestWhatARowHolds:
    pytestmark = postgres_only

    def test_the_latest_company_accounts_of_each_year_with_gaps_as_null(self):
        c = company()
        # Two periods end in 2018 (a changed accounting year): the later one counts.
        accounts(c, 2018, 100, period_end=datetime.date(2018, 6, 30), employees=1)
        accounts(c, 2018, 250, operating_result=10, personnel_costs=40, employees=3)
        # 2019 is missing; group accounts never count.
        accounts(c, 2020, 400, currency="SEK", operating_result=5, employees=None)
        accounts(c, 2020, 10**6, account_type=KeyFigures.AccountType.GROUP)
        accounts(c, 2021, None, source=KeyFigures.Source.SELF_REPORTED, employees=7)

        assert summary_row(c.pk) == {
            "first_year": 2018,
            "turnover": [D("250.00"), None, D("400.00"), None],
            "currency": ["NOK", None, "SEK", "NOK"],
            # Operating result + personnel costs; unknown when either is missing.
            "value_creation": [D("50.00"), None, None, None],
            "employees": [3, None, None, 7],
            "self_reported": [False, None, False, True],
            "next_year": [2018, 2020, 2020, 2021],
        }

    def test_a_company_with_only_group_accounts_or_none_has_no_row(self):
        c = company()
        accounts(c, 2020, 10**6, account_type=KeyFigures.AccountType.GROUP)
        assert summary_row(c.pk) is None
        assert summary_row(company().pk) is None


@pytest.mark.django_db
class TestEveryWriteKeepsItInStep:
    pytestmark = postgres_only

    def test_create_update_move_bulk_delete_and_raw_sql(self):
        a, b = company(), company()
        first = accounts(a, 2020, 100)
        assert summary_row(a.pk)["turnover"] == [D("100.00")]

        KeyFigures.objects.filter(pk=first.pk).update(turnover=Decimal("150"))
        assert summary_row(a.pk)["turnover"] == [D("150.00")]

        first.turnover = Decimal("175")
        first.save()
        assert summary_row(a.pk)["turnover"] == [D("175.00")]

        KeyFigures.objects.bulk_create(
            KeyFigures(
                company=b,
                year=year,
                period_end=datetime.date(year, 12, 31),
                turnover=Decimal(year),
                source=KeyFigures.Source.IMPORT,
            )
            for year in (2019, 2022)
        )
        assert summary_row(b.pk)["turnover"] == [D("2019.00"), None, None, D("2022.00")]

        # An account moved to another company changes both companies' rows.
        KeyFigures.objects.filter(pk=first.pk).update(company=b)
        assert summary_row(a.pk) is None
        assert summary_row(b.pk)["turnover"][1] == D("175.00")

        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO companies_keyfigures (company_id, year, period_end, account_type,"
                " currency, turnover, source, created_at, updated_at)"
                " VALUES (%s, 2017, '2017-12-31', 'company', 'NOK', 5, 'import', now(), now())",
                [a.pk],
            )
        assert summary_row(a.pk)["turnover"] == [D("5.00")]

        KeyFigures.objects.filter(company=b, year=2019).delete()
        assert summary_row(b.pk)["first_year"] == 2020
        assert account_summary_differences() == []

        # Deleting a company deletes its accounts (Django's cascade) and so its row.
        Company.objects.filter(pk=b.pk).delete()
        assert summary_row(b.pk) is None
        assert account_summary_differences() == []


@pytest.mark.postgresql
@pytest.mark.skipif(not ON_POSTGRES, reason="the summary exists on PostgreSQL only")
@pytest.mark.django_db(transaction=True)  # TRUNCATE refuses pending foreign-key checks
def test_truncating_the_accounts_empties_the_summary():
    accounts(company(), 2020, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM reporting_account_summary")
        assert cursor.fetchone()[0] == 1
        cursor.execute("TRUNCATE companies_keyfigures")
        cursor.execute("SELECT COUNT(*) FROM reporting_account_summary")
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
class TestRefreshCommand:
    pytestmark = postgres_only

    def test_check_finds_a_summary_left_behind_and_refresh_repairs_it(self):
        c, other = company(), company()
        accounts(c, 2020, 100)
        accounts(other, 2021, 7)
        with connection.cursor() as cursor:
            # As if accounts had been loaded with the triggers off.
            cursor.execute(
                "UPDATE reporting_account_summary SET turnover[1] = 1 WHERE company_id = %s",
                [c.pk],
            )
        assert account_summary_differences() == [c.pk]
        with pytest.raises(CommandError, match="1 companies' summary differs"):
            call_command("refresh_account_summary", "--check", stdout=io.StringIO())

        out = io.StringIO()
        call_command("refresh_account_summary", stdout=out)
        assert "2 companies with accounts" in out.getvalue()
        assert account_summary_differences() == []
        assert summary_row(c.pk)["turnover"] == [D("100.00")]
        assert rebuild_account_summary() == 2


@pytest.mark.django_db
@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite message")
def test_on_sqlite_the_command_says_there_is_nothing_to_do():
    out = io.StringIO()
    call_command("refresh_account_summary", "--check", stdout=out)
    assert "no account summary" in out.getvalue()
    assert account_summary_differences() == []


@pytest.mark.postgresql
@pytest.mark.skipif(not ON_POSTGRES, reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_two_transactions_writing_one_company_at_once_leave_the_summary_right():
    c = company()
    accounts(c, 2019, 1)  # the company's row exists: both transactions update it
    first_wrote = threading.Event()
    errors: list[str] = []

    def write(year, *, wait_for=None, then=None, hold=0.0):
        try:
            if wait_for is not None:
                wait_for.wait(5)
            with transaction.atomic():
                accounts(c, year, year)
                if then is not None:
                    then.set()
                    # Keep the transaction (and the row lock) open while the other one
                    # writes; its trigger must wait for this commit and then see it.
                    threading.Event().wait(hold)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=write, args=(2020,), kwargs={"then": first_wrote, "hold": 0.5}),
        threading.Thread(target=write, args=(2021,), kwargs={"wait_for": first_wrote}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert summary_row(c.pk)["turnover"] == [D("1.00"), D("2020.00"), D("2021.00")]
    assert account_summary_differences() == []
