"""What a participant and a facilitator do on the dashboard's pages, over the protocol client (bench/streamlit_client.py).

Shared by bench/room_load.py (which times each step) and the replica tests (which check what each server shows).
Every step checks the page drew what a person would look for, and raises ProtocolError when it did not.
"""
from __future__ import annotations

import random
import re

from streamlit.proto.Alert_pb2 import Alert

from app.i18n import t
from bench.streamlit_client import ProtocolError, Run, Session

L = "en"
CONSTRUCTS = ("AIGC", "DC", "IO", "LSC", "HQD")
SAVED_KEY = re.compile(r"\*\*([A-Z0-9-]+)\*\*")


async def open_questionnaire(s: Session) -> Run:
    """Load the page (the join link or the self-assessment); the questionnaire's mode switch must be there."""
    run = await s.open()
    s.find("mode")
    return run


async def quick_mode(s: Session) -> Run:
    s.set("mode", 1)
    return await s.rerun()


async def submit_answers(s: Session, rng: random.Random) -> Run:
    """Five scores and the controls, drawn at random, then *See my results*: the results header and five charts."""
    for construct in CONSTRUCTS:
        s.set(f"s_{construct}", rng.choice([1 + 0.25 * k for k in range(17)]))
    s.set("c_firm_size", rng.randint(5, 2000))
    s.set("c_firm_age", rng.randint(0, 30))
    s.set("c_region", rng.randrange(3))
    s.set("c_business_model", rng.randrange(2))
    s.set("c_pilot_zone", rng.randrange(2))
    s.press(t("submit", L))
    run = await s.rerun()
    if t("results", L) not in run.texts() or len(run.of("plotly_chart")) < 5:
        raise ProtocolError(f"no results after submit: {run.alerts(Alert.ERROR)}")
    return run


async def save(s: Session) -> tuple[Run, str]:
    """Consent and *Save*: the run and the firm key the saved message shows."""
    s.set("save_consent", True)
    s.press(t("save_button", L))
    run = await s.rerun()
    keys = [m.group(1) for body in run.alerts(Alert.SUCCESS) if (m := SAVED_KEY.search(body))]
    if not keys:
        raise ProtocolError(f"not saved: {run.alerts(Alert.ERROR)}")
    return run, keys[0]


FACILITATOR = ("room-facilitator", "room facilitator password")
RESEARCHER = ("room-researcher", "room researcher password")
"""Accounts the bench and the protocol tests sign in with: the live view needs a facilitator, activation a researcher."""


def add_accounts(url: str | None = None) -> None:
    """Create the two accounts in the store at `url` (as the operator would with `cbec users add`), once."""
    import db
    have = {a.username for a in db.list_accounts(url=url)}
    for (name, password), role in ((FACILITATOR, "facilitator"), (RESEARCHER, "researcher")):
        if name not in have:
            db.add_account(name, role, password, actor=db.Actor.operator(), url=url)


async def sign_in(s: Session, account: tuple[str, str]) -> Run:
    """Sign in on the sign-in form a protected page shows; the session keeps the account, the next run draws the page."""
    s.set("signin_name", account[0])
    s.set("signin_password", account[1])
    s.press(t("signin_button", L))
    await s.rerun()
    return await s.rerun()


async def sign_in_live(s: Session, code: str, secret: str) -> tuple[str, float]:
    """Sign in as the facilitator, open the live view with the join code and the secret; its refreshing fragment
    (id, interval)."""
    await s.open()
    try:
        s.find(key="signin_name")
    except ProtocolError:
        pass  # no sign-in asked (the bare floor app): straight to the live view's own form
    else:
        await sign_in(s, FACILITATOR)
    s.set("ws_live_code", code)
    s.set("ws_live_secret", secret)
    s.press(t("ws_open_live", L))
    await s.rerun()
    if not s.fragments:
        raise ProtocolError("the live view did not start its refreshing panel")
    return next(iter(s.fragments.items()))


def joined_count(run: Run) -> int | None:
    """The live view's *Firms joined* figure in a run, if it drew one."""
    metrics = [m for m in run.of("metric") if m.label == t("ws_joined_count", L)]
    return int(metrics[0].body) if metrics else None
