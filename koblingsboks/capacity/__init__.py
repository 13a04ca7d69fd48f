"""Capacity offers, requests, bookings, time entries and settlements (issue 5)."""
