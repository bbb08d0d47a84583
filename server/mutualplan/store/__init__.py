"""The store: plans, snapshots, the audit log and the rest, in SQLite or PostgreSQL (SQLAlchemy Core)."""
