# ruff: noqa: S608 - the SQL is built from constant fragments only
"""The account summary (PostgreSQL): one row per company with its accounts' figures year by
year, which the KPI reports read instead of every account row. Triggers on
``companies_keyfigures`` keep it in step with every write — the ORM, ``bulk_create``, COPY,
raw SQL (migration reporting 0002). Only a load that bypasses triggers (``pg_restore
--disable-triggers``, ``session_replication_role = replica``) leaves it behind; then
``manage.py refresh_account_summary`` rebuilds it. SQLite has no summary: its reports read
the accounts.
"""

from django.db import connection, transaction

_ALL_COMPANIES_WITH_ACCOUNTS = (
    "ARRAY(SELECT DISTINCT company_id FROM companies_keyfigures WHERE account_type = 'company')"
)


def account_summary_available() -> bool:
    return connection.vendor == "postgresql"


def rebuild_account_summary() -> int:
    """Recompute every row from the accounts; returns the number of companies summarised."""
    if not account_summary_available():
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        # Writers of accounts wait (their triggers would update rows being replaced);
        # readers go on reading the old rows until the commit.
        cursor.execute("LOCK TABLE reporting_account_summary IN EXCLUSIVE MODE")
        cursor.execute("DELETE FROM reporting_account_summary")
        cursor.execute(
            "INSERT INTO reporting_account_summary SELECT * FROM "
            f"reporting_account_summary_rows({_ALL_COMPANIES_WITH_ACCOUNTS})"
        )
        cursor.execute("ANALYZE reporting_account_summary")
        cursor.execute("SELECT COUNT(*) FROM reporting_account_summary")
        return cursor.fetchone()[0]


def account_summary_differences() -> list[int]:
    """Ids of the companies whose stored summary row differs from what their accounts give
    now (missing, left over or with other figures)."""
    if not account_summary_available():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
SELECT COALESCE(f.company_id, s.company_id)
FROM reporting_account_summary_rows({_ALL_COMPANIES_WITH_ACCOUNTS}) f
FULL JOIN reporting_account_summary s ON s.company_id = f.company_id
WHERE f IS DISTINCT FROM s
ORDER BY 1"""
        )
        return [row[0] for row in cursor.fetchall()]
