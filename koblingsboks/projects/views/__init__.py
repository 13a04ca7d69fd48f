"""Pages of the projects app: list and drafting (projects.py), the agreement's life cycle and
signatures (agreement.py), budget, funding and actuals (economy.py)."""
