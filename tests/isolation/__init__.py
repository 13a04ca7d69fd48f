"""Machinery for the tenant-isolation test (tests/test_isolation.py); see README.md."""
