"""The audit log: every sign-in attempt and every change to shared state, with who, when, what and from where.

`record` writes inside the caller's transaction, so a change and its audit row commit together or
not at all; `log_event` writes on its own (sign-in failures, refusals: there is no change to join).
"""
from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from .access import ACTIONS as ROLE_ACTIONS
from .access import Actor, require
from .engine import reading, writing
from .schema import AuditEntry

COLUMNS = ("id", "at", "actor", "role", "action", "target", "outcome", "detail", "client")
ACTIONS = tuple(dict.fromkeys((
    "signin", "signout", "upload", "fit", "activate", "pool_fit", "rename_dataset", "delete_dataset", "rename_fit",
    "delete_fit", "workshop_create", "workshop_close", "workshop_secret",
    "account_add", "account_role", "account_password", "account_remove", "delete_firm_data", *ROLE_ACTIONS)))
"""Every action the store writes to the log (the audit page filters by them); a refusal is logged under the name of
the action it refused (db.access.ACTIONS)."""
OUTCOMES = ("ok", "failed", "refused", "throttled")


def record(session: Session, actor: Actor, action: str, target: str = "", *, outcome: str = "ok",
           detail: str | dict = "") -> None:
    """Add an audit row in the caller's transaction."""
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True) if isinstance(detail, dict) else detail
    session.add(AuditEntry(actor=actor.name[:64], role=actor.role, action=action, target=str(target),
                           outcome=outcome, detail=text, client=(actor.client or None) and actor.client[:64]))


def log_event(actor: Actor, action: str, target: str = "", *, outcome: str = "ok", detail: str | dict = "",
              url: str | None = None) -> None:
    """Write one audit row in a transaction of its own."""
    with writing(url) as session:
        record(session, actor, action, target, outcome=outcome, detail=detail)


def audit_entries(reader: Actor, *, limit: int = 200, action: str | None = None, actor: str | None = None, outcome: str | None = None,
                  since: datetime | None = None, url: str | None = None) -> pd.DataFrame:
    """The newest audit rows first (columns COLUMNS), optionally filtered by action, actor name, outcome and time.

    Only an admin may read it (the log names people and client addresses).
    """
    require(reader, "read_audit", url=url)
    query = select(*(getattr(AuditEntry, c) for c in COLUMNS)).order_by(AuditEntry.id.desc()).limit(max(1, limit))
    if action:
        query = query.where(AuditEntry.action == action)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if outcome:
        query = query.where(AuditEntry.outcome == outcome)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    with reading(url) as session:
        rows = session.execute(query).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=list(COLUMNS))
