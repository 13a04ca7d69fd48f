"""The Brønnøysund registers: parsing (no ORM), the HTTP client, and loading into the database.

- records.py   one register entity (bulk or REST shape) → EntityRecord, the Company fields
- parser.py    streaming parse of the bulk file (gzip or plain JSON array)
- loader.py    upserting EntityRecords into Company (COPY on PostgreSQL, batches on SQLite)
- accounts.py  annual accounts (Regnskapsregisteret shape) → key figure records
- client.py    the open HTTP API: look-up, search, the updates feed, accounts
"""
