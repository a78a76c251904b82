"""The role matrix: every action that changes shared state, called by every role, is allowed or refused where it happens.

Each call goes straight to the store function a page or the CLI uses (no menu in between); a refusal
changes nothing and is written to the audit log. Runs on SQLite and on PostgreSQL (the `store` fixture).
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

import db
from db.engine import reading
from db.schema import Account, Activation, Dataset, ModelFit, Workshop
from tests.actors import ADMIN, FACILITATOR, RESEARCHER, VISITOR

ALLOWED = {
    "upload": {"admin", "researcher"}, "fit": {"admin", "researcher"}, "activate": {"admin", "researcher"},
    "pool_fit": {"admin", "researcher"}, "create_workshop": {"admin", "facilitator"},
    "close_workshop": {"admin", "facilitator"}, "manage_accounts": {"admin"}, "read_audit": {"admin"},
}


def _counts() -> dict[str, int]:
    with reading() as session:
        return {t.__tablename__: session.scalar(select(func.count()).select_from(t))
                for t in (Account, Activation, Dataset, ModelFit, Workshop)}


def _calls(actor, survey, fitted, workshop_id: int) -> dict:
    """One call per protected action, as `actor` (fresh names, so an allowed call succeeds)."""
    tag = actor.role or "anon"
    return {
        "upload": lambda: db.import_frame(survey.head(40), f"upload by {tag}", actor=actor),
        "fit": lambda: db.store_fit(db.get_dataset("simulated").id, fitted, actor=actor),
        "activate": lambda: db.activate(db.store_fit(db.get_dataset("simulated").id, fitted, actor=ADMIN), actor=actor),
        "pool_fit": lambda: db.store_collected(survey.head(120), fitted, f"pool by {tag}", actor=actor),
        "create_workshop": lambda: db.create_workshop(f"workshop by {tag}", actor=actor),
        "close_workshop": lambda: db.close_workshop(workshop_id, actor=actor),
        "manage_accounts": lambda: db.add_account(f"made-by-{tag}", "facilitator", "long enough password", actor=actor),
        "read_audit": lambda: db.audit_entries(actor),
    }


@pytest.mark.parametrize("actor", [ADMIN, RESEARCHER, FACILITATOR, VISITOR], ids=lambda a: a.role or "anonymous")
def test_every_protected_action_checks_the_role_where_it_happens(fit_id, survey, fitted, actor):
    workshop_id = db.create_workshop("the matrix's workshop", actor=ADMIN).workshop.id
    for action, call in _calls(actor, survey, fitted, workshop_id).items():
        allowed = actor.role in ALLOWED[action]
        assert db.may(actor, action) is allowed
        before = _counts()
        if allowed:
            call()
            continue
        refused_before = len(db.audit_entries(ADMIN, outcome="refused", limit=1000))
        with pytest.raises(db.PermissionDenied):
            call()
        after = _counts()
        if action == "activate":  # the admin stored the candidate fit; only the activation was the actor's
            after["model_fits"] -= 1
        assert after == before, action
        refused = db.audit_entries(ADMIN, outcome="refused", limit=1000)
        assert len(refused) == refused_before + 1 and refused.iloc[0]["action"] == action
        assert refused.iloc[0]["actor"] == actor.name


def test_allowed_changes_are_audited_with_who_and_what(fit_id, survey, fitted):
    dataset = db.import_frame(survey.head(50), "audited upload", actor=RESEARCHER).dataset
    new_fit = db.store_fit(dataset.id, fitted, actor=RESEARCHER)
    db.activate(new_fit, actor=RESEARCHER)
    workshop = db.create_workshop("audited workshop", actor=FACILITATOR).workshop
    db.close_workshop(workshop.id, actor=FACILITATOR)
    db.add_account("new-researcher", "researcher", "long enough password", actor=ADMIN)
    rows = db.audit_entries(ADMIN, limit=20)
    mine = rows[rows["actor"].isin([RESEARCHER.name, FACILITATOR.name, ADMIN.name]) & (rows["outcome"] == "ok")]
    assert list(mine["action"])[:6] == ["account_add", "workshop_close", "workshop_create", "activate", "fit", "upload"]
    assert set(mine["client"]) == {"127.0.0.1"}
    assert (rows["at"].diff().dropna() <= timedelta(0)).all()  # newest first
    fits = db.list_fits().set_index("id")
    assert fits.loc[new_fit, "activated_by"] == RESEARCHER.name and fits.loc[new_fit, "active"]
