"""KPI reports, results dashboards and the customer satisfaction survey (issue 4)."""
