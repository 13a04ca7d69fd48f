"""The joint calendar, registrations, feeds, attendance and feedback (issue 6)."""
