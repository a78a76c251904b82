"""Alembic environment: migrate the connection `db.upgrade()` hands over, or else the configured database.

`db.upgrade()` passes its own connection (config.attributes["connection"]) already inside a
serialised write transaction, so concurrent starts migrate one at a time. Run by the `alembic`
command, this file connects to DATABASE_URL (or the default SQLite file) itself; with `--sql` it
prints the SQL instead.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from db.engine import database_url, writing
from db.schema import Base

config = context.config


def run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=database_url(config.get_main_option("sqlalchemy.url")), target_metadata=Base.metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif (given := config.attributes.get("connection")) is not None:
    run(given)
else:
    with writing(config.get_main_option("sqlalchemy.url"), serialise=True) as session:
        run(session.connection())
