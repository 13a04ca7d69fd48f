"""PostgreSQL only: one row per company with the figures of its own accounts, year by year,
kept in step with ``companies_keyfigures`` by triggers. The KPI reports read it instead of
every account row (docs/reporting.md#the-account-summary). SQLite reports read the accounts
directly and get no table.

No foreign key to ``companies_company``: Django's test flush truncates the companies table
without CASCADE, which PostgreSQL refuses while another table refers to it. The triggers
remove a company's row when its last account goes, which Django's cascade does before it
deletes the company.
"""

from django.db import migrations

CREATE = r"""
CREATE TABLE reporting_account_summary (
    company_id bigint PRIMARY KEY,
    -- The arrays hold one element per year from first_year to the last year with accounts;
    -- element i is year first_year + i - 1 (NULL where that year has no accounts).
    first_year integer NOT NULL CHECK (first_year BETWEEN 1900 AND 2200),
    turnover numeric[] NOT NULL,
    currency text[] NOT NULL,
    value_creation numeric[] NOT NULL,
    employees integer[] NOT NULL,
    self_reported boolean[] NOT NULL,
    -- The first year from this one on that has accounts (the baseline rules' lookup).
    next_year integer[] NOT NULL,
    CONSTRAINT reporting_account_summary_same_length CHECK (
        cardinality(turnover) = cardinality(next_year)
        AND cardinality(currency) = cardinality(next_year)
        AND cardinality(value_creation) = cardinality(next_year)
        AND cardinality(employees) = cardinality(next_year)
        AND cardinality(self_reported) = cardinality(next_year)
    )
);

-- What the summary rows of these companies should be, from their accounts: the latest period
-- ending in each year, company accounts only, every source (self-reported included).
CREATE FUNCTION reporting_account_summary_rows(ids bigint[])
RETURNS SETOF reporting_account_summary LANGUAGE sql STABLE AS $$
    WITH latest AS (
        SELECT DISTINCT ON (k.company_id, k.year)
               k.company_id, k.year::integer AS year, k.turnover, k.currency::text AS currency,
               k.operating_result + k.personnel_costs AS value_creation,
               k.employees::integer AS employees,
               k.source = 'self_reported' AS self_reported
        FROM companies_keyfigures k
        WHERE k.account_type = 'company' AND k.company_id = ANY(ids)
        ORDER BY k.company_id, k.year, k.period_end DESC
    ),
    span AS (
        SELECT company_id, MIN(year) AS first_year, MAX(year) AS last_year
        FROM latest GROUP BY company_id
    ),
    grid AS (
        SELECT s.company_id, s.first_year, g.year, l.turnover, l.currency, l.value_creation,
               l.employees, l.self_reported,
               MIN(l.year) OVER (PARTITION BY s.company_id ORDER BY g.year DESC) AS next_year
        FROM span s
        CROSS JOIN LATERAL generate_series(s.first_year, s.last_year) AS g(year)
        LEFT JOIN latest l ON l.company_id = s.company_id AND l.year = g.year
    )
    SELECT company_id, first_year,
           array_agg(turnover ORDER BY year), array_agg(currency ORDER BY year),
           array_agg(value_creation ORDER BY year), array_agg(employees ORDER BY year),
           array_agg(self_reported ORDER BY year), array_agg(next_year ORDER BY year)
    FROM grid GROUP BY company_id, first_year
$$;

-- Bring the rows of these companies up to date. The rows are locked first (a placeholder is
-- inserted for a company new to the table), so two transactions writing accounts of the same
-- company take turns; each statement after the lock reads with a fresh snapshot, so the
-- second sees what the first committed.
CREATE FUNCTION reporting_refresh_account_summary(ids bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO reporting_account_summary
        (company_id, first_year, turnover, currency, value_creation, employees,
         self_reported, next_year)
    SELECT id, 1900, '{}', '{}', '{}', '{}', '{}', '{}'
    FROM unnest(ids) AS id ORDER BY id
    ON CONFLICT (company_id) DO NOTHING;
    PERFORM 1 FROM reporting_account_summary WHERE company_id = ANY(ids)
    ORDER BY company_id FOR UPDATE;
    UPDATE reporting_account_summary s
    SET first_year = r.first_year, turnover = r.turnover, currency = r.currency,
        value_creation = r.value_creation, employees = r.employees,
        self_reported = r.self_reported, next_year = r.next_year
    FROM reporting_account_summary_rows(ids) r
    WHERE s.company_id = r.company_id;
    DELETE FROM reporting_account_summary s
    WHERE s.company_id = ANY(ids) AND NOT EXISTS (
        SELECT 1 FROM companies_keyfigures k
        WHERE k.company_id = s.company_id AND k.account_type = 'company'
    );
END
$$;

-- One function for the three row-changing triggers; each branch reads only the transition
-- tables its trigger has (plpgsql plans a query when it first runs it).
CREATE FUNCTION reporting_account_summary_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM reporting_refresh_account_summary(
            ARRAY(SELECT DISTINCT company_id FROM new_rows));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM reporting_refresh_account_summary(ARRAY(
            SELECT company_id FROM new_rows UNION SELECT company_id FROM old_rows));
    ELSE
        PERFORM reporting_refresh_account_summary(
            ARRAY(SELECT DISTINCT company_id FROM old_rows));
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION reporting_account_summary_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM reporting_account_summary;
    RETURN NULL;
END
$$;

CREATE TRIGGER reporting_account_summary_insert AFTER INSERT ON companies_keyfigures
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_account_summary_changed();
CREATE TRIGGER reporting_account_summary_update AFTER UPDATE ON companies_keyfigures
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_account_summary_changed();
CREATE TRIGGER reporting_account_summary_delete AFTER DELETE ON companies_keyfigures
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_account_summary_changed();
CREATE TRIGGER reporting_account_summary_truncate AFTER TRUNCATE ON companies_keyfigures
    FOR EACH STATEMENT EXECUTE FUNCTION reporting_account_summary_truncated();

INSERT INTO reporting_account_summary
SELECT * FROM reporting_account_summary_rows(
    ARRAY(SELECT DISTINCT company_id FROM companies_keyfigures));
ANALYZE reporting_account_summary;
"""

DROP = """
DROP TRIGGER IF EXISTS reporting_account_summary_insert ON companies_keyfigures;
DROP TRIGGER IF EXISTS reporting_account_summary_update ON companies_keyfigures;
DROP TRIGGER IF EXISTS reporting_account_summary_delete ON companies_keyfigures;
DROP TRIGGER IF EXISTS reporting_account_summary_truncate ON companies_keyfigures;
DROP FUNCTION IF EXISTS reporting_account_summary_changed();
DROP FUNCTION IF EXISTS reporting_account_summary_truncated();
DROP FUNCTION IF EXISTS reporting_refresh_account_summary(bigint[]);
DROP FUNCTION IF EXISTS reporting_account_summary_rows(bigint[]);
DROP TABLE IF EXISTS reporting_account_summary;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0003_contact_person"),
        ("reporting", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
