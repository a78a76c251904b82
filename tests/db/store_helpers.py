"""Helpers shared by the store tests (fixtures live in conftest.py)."""
from __future__ import annotations

from sqlalchemy import func, select

import db
from cbec_core.instrument import ITEM_COLUMNS
from cbec_core.scoring import score_firm
from db.engine import get_engine
from db.schema import Base


def row_counts(url: str | None = None) -> dict[str, int]:
    """Rows in every table of the store."""
    with get_engine(url).connect() as connection:
        return {t.name: connection.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def answers_of(row, **extra) -> dict:
    """A survey row as self-assessment answers (items and controls), plus any extra keys."""
    answers = {c: int(row[c]) for c in ITEM_COLUMNS}
    answers |= {"firm_size": int(row["firm_size"]), "firm_age": int(row["firm_age"]), "region": row["region"],
                "business_model": row["business_model"], "pilot_zone": int(row["pilot_zone"])}
    return answers | extra


def save(answers: dict, fitted, fit: int, **kw) -> str:
    """Score answers against the model and store the assessment; returns the firm key."""
    return db.save_assessment(answers, score_firm(answers, fitted), fit, **kw)
