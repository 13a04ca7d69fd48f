"""The competence taxonomy and the directory of people (issue 5)."""
