"""The collected pool in the store: counting complete consented assessments, reading them as a survey, storing their fit.

Which assessments are in the pool: consented, each firm's newest (`db.schema.COUNTED`, as peer comparisons
count), and complete — every one of the 19 items answered (quick-mode assessments hold no items). A
pool row's `firm_id` is `A<assessment id>`, never the firm key, so a stored pool data set does not carry
the keys that open a firm's history.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from cbec_core.instrument import ITEM_COLUMNS
from cbec_core.model import FittedModel, fingerprint

from .access import Actor, require
from .audit import record
from .datasets import SURVEY_COLUMNS, DatasetInfo, _survey_frame, add_dataset, parse_survey
from .engine import StoreError, reading, writing
from .fits import add_fit
from .schema import COUNTED, Assessment, Dataset

COMPLETE = (COUNTED, *(getattr(Assessment, c).is_not(None) for c in ITEM_COLUMNS))
COLLECTED = "collected"


def pool_count(*, url: str | None = None) -> int:
    """How many complete consented assessments (one per firm) the pool holds."""
    with reading(url) as session:
        return int(session.scalar(select(func.count()).select_from(Assessment).where(*COMPLETE)))


def pool_frame(*, url: str | None = None) -> pd.DataFrame:
    """The pool as a survey frame (columns SURVEY_COLUMNS, oldest assessment first), ready for `cbec_core.model.fit`."""
    stored = [c for c in SURVEY_COLUMNS if c != "firm_id"]
    with reading(url) as session:
        rows = session.execute(select(Assessment.id, *(getattr(Assessment, c) for c in stored))
                               .where(*COMPLETE).order_by(Assessment.created_at, Assessment.id)).all()
    columns = {"firm_id": [f"A{r[0]}" for r in rows], **{c: [r[i + 1] for r in rows] for i, c in enumerate(stored)}}
    frame = _survey_frame(columns)
    frame.attrs.update(provenance=COLLECTED, synthetic=False)
    return frame


def store_collected(frame: pd.DataFrame, model: FittedModel, name: str, *, actor: Actor,
                    url: str | None = None) -> tuple[DatasetInfo, int]:
    """Store the pool (a `pool_frame`) as a data set of provenance "collected" and its fit, in one transaction.

    Refused (StoreError, nothing stored) when the same pool was stored before: the fit would be a copy.
    Returns the data set and the new fit's id; the fit is not activated.
    """
    require(actor, "pool_fit", name, url=url)
    rows, _ = parse_survey(frame)
    same = fingerprint(rows)
    with writing(url, serialise=True) as session:
        earlier = session.scalar(select(Dataset.name).where(Dataset.provenance == COLLECTED, Dataset.fingerprint == same))
        if earlier is not None:
            raise StoreError(f"the pool has not changed since '{earlier}' was fitted; wait for more assessments",
                             "pool_unchanged", name=earlier)
        if session.scalar(select(Dataset.id).where(Dataset.name == name)) is not None:
            raise StoreError(f"a data set named '{name}' already exists; choose another name", "dataset_name_taken", name=name)
        info = add_dataset(session, name, COLLECTED, rows)
        fit_id = add_fit(session, info.id, model)
        record(session, actor, "pool_fit", name, detail={"rows": len(rows), "fit_id": fit_id})
        return info, fit_id
