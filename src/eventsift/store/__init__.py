"""Store: SQLite or PostgreSQL tables, migrations, and the read side (filters, queries, counts)."""
