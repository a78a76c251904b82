"""Who may change what everyone sees: the roles, the actions each may take, and the check every such action makes.

Every function that changes shared state takes an `actor` and calls `require` before it writes, so a
refusal does not depend on what a page shows: a call without the role raises `PermissionDenied`
(and the refusal is written to the audit log). Self-assessment needs no account, and neither does deleting a
firm's own assessments (`db.assessments.delete_firm_data`): there, knowing the firm key is the credential.
"""
from __future__ import annotations

import getpass
from dataclasses import dataclass

from .engine import StoreError
from .schema import ROLES

ACTIONS: dict[str, frozenset[str]] = {
    "upload": frozenset({"admin", "researcher"}),      # store an uploaded survey as a data set
    "fit": frozenset({"admin", "researcher"}),         # fit a stored data set and store the fit
    "activate": frozenset({"admin", "researcher"}),    # make a fit the benchmark everyone is scored against
    "pool_fit": frozenset({"admin", "researcher"}),    # store and fit the collected pool
    "rename_dataset": frozenset({"admin", "researcher"}),
    "delete_dataset": frozenset({"admin", "researcher"}),  # only one no assessment was scored with (db.datasets)
    "rename_fit": frozenset({"admin", "researcher"}),
    "delete_fit": frozenset({"admin", "researcher"}),      # only one never active and no assessment was scored with
    "create_workshop": frozenset({"admin", "facilitator"}),
    "close_workshop": frozenset({"admin", "facilitator"}),
    "watch_workshop": frozenset({"admin", "facilitator"}),
    "manage_accounts": frozenset({"admin"}),
    "read_audit": frozenset({"admin"}),
    "purge_assessments": frozenset({"admin"}),  # delete assessments older than a retention limit (`cbec assessments purge`)
}


@dataclass(frozen=True)
class Actor:
    """Whoever asks: an account name and role (role None: an anonymous visitor), and the client address if known."""

    name: str
    role: str | None
    client: str | None = None

    @classmethod
    def anonymous(cls, client: str | None = None) -> Actor:
        return cls("anonymous", None, client)

    @classmethod
    def operator(cls) -> Actor:
        """The person at the server's shell (`cbec …`): whoever can run the CLI can open the store itself, so admin."""
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
        return cls(f"cli:{user}", "admin", "local")

    @property
    def signed_in(self) -> bool:
        return self.role in ROLES


SYSTEM = Actor("system", "admin", "local")
"""The program itself (first-run seeding of the synthetic benchmark)."""


class PermissionDenied(StoreError):
    """The actor's role does not allow the action."""

    def __init__(self, actor: Actor, action: str) -> None:
        self.actor, self.action = actor, action
        needed = " or ".join(sorted(ACTIONS[action]))
        who = "you are not signed in" if not actor.signed_in else f"'{actor.name}' has the role {actor.role}"
        super().__init__(f"{action.replace('_', ' ')} needs the role {needed}; {who}", "permission_denied", action=action)


def may(actor: Actor, action: str) -> bool:
    """Whether the actor's role allows the action (unknown actions are refused)."""
    return actor.role in ACTIONS.get(action, frozenset())


def require(actor: Actor, action: str, target: str = "", *, url: str | None = None) -> None:
    """Refuse (PermissionDenied, written to the audit log) unless the actor's role allows the action."""
    if not isinstance(actor, Actor):
        raise TypeError("actor must be a db.Actor")
    if may(actor, action):
        return
    from .audit import log_event
    log_event(actor, action, target, outcome="refused", detail="role does not allow it", url=url)
    raise PermissionDenied(actor, action)
