"""Schema migrations applied from inside the program, so an installed app brings its own database up to date.

The Alembic scripts ship in the package (`db/alembic.ini`, `db/migrations/`). `upgrade` runs them
inside one serialised write transaction: on SQLite and PostgreSQL DDL is transactional, so a
migration applies whole or not at all, and two processes starting at once migrate one after the
other (the second finds the schema at head and does nothing).
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .engine import writing

ALEMBIC_INI = Path(__file__).with_name("alembic.ini")


def alembic_config() -> Config:
    """The packaged Alembic configuration (script location resolved inside the installed package)."""
    return Config(str(ALEMBIC_INI))


def head_revision() -> str:
    """The newest migration shipped with this version of the program."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(url: str | None = None) -> str:
    """Apply every pending migration to the database at `url` (default: the configured one); return its revision."""
    config = alembic_config()
    with writing(url, serialise=True) as session:
        connection = session.connection()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        return MigrationContext.configure(connection).get_current_revision()
