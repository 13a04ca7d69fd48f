"""Joint projects under formal agreements (issue 7)."""
