"""The actors tests act as: one per role, and an anonymous visitor (db.access checks the role in every write)."""
from __future__ import annotations

from db.access import Actor

ADMIN = Actor("test-admin", "admin", "127.0.0.1")
RESEARCHER = Actor("test-researcher", "researcher", "127.0.0.1")
FACILITATOR = Actor("test-facilitator", "facilitator", "127.0.0.1")
VISITOR = Actor.anonymous("127.0.0.1")
