"""The room bench's protocol client kept honest: 3 participants at once over Streamlit's websocket against `cbec serve`.

Each joins by the link's code, answers quick mode, sees results and saves, exactly as bench/room_load.py plays
them; the store must then hold 3 rows of the workshop with the very keys the pages showed, and the facilitator's
live view (signed in over the same protocol) must count 3.
"""
from __future__ import annotations

import asyncio
import random
from pathlib import Path

import db
from bench.room_flows import add_accounts, joined_count, open_questionnaire, quick_mode, save, sign_in_live, submit_answers
from bench.streamlit_client import Session
from db.engine import SQLITE_FILE


async def visit(url: str, code: str, seed: int) -> str:
    """One participant over the protocol; the firm key the saved message showed."""
    async with Session(url, page="workshop_join", query=f"code={code}") as s:
        await open_questionnaire(s)
        await quick_mode(s)
        await submit_answers(s, random.Random(seed))
        return (await save(s))[1]


async def live_count(url: str, code: str, secret: str) -> int | None:
    async with Session(url, page="workshop_live") as s:
        fragment, _ = await sign_in_live(s, code, secret)
        return joined_count(await s.rerun(fragment_id=fragment))


def test_three_protocol_sessions_save_three_assessments(server, data_dir):
    store = f"sqlite:///{Path(data_dir) / SQLITE_FILE}"
    add_accounts(store)
    created = db.create_workshop("Protocol room", url=store, actor=db.Actor.operator())
    code = created.workshop.join_code

    async def room():
        return await asyncio.gather(*(visit(server, code, seed) for seed in range(3)), return_exceptions=True)

    keys = asyncio.run(room())
    assert [k for k in keys if isinstance(k, BaseException)] == []
    stored = db.workshop_assessments(created.workshop.id, url=store)
    assert sorted(stored["firm_key"]) == sorted(keys)
    assert asyncio.run(live_count(server, code, created.secret)) == 3
    db.dispose_engine(store)
