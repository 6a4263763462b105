"""Alembic environment for eventsift's schema.

The store runs migrations programmatically (``eventsift.store.engine.upgrade``) and hands its own
connection, already inside a transaction, through ``config.attributes["connection"]``; no
``alembic.ini`` is needed. Used from the ``alembic`` command line instead, it connects to the
``sqlalchemy.url`` option (online) or writes SQL (``--sql``, offline).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection


def _run_with(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=None, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(url=context.config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run_with(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("eventsift migrations: no connection and no sqlalchemy.url given")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            _run_with(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
