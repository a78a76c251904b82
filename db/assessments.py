"""Self-assessments in the store: saving one with its scores, a firm's history, peer percentiles, zone comparison, export.

A firm is known only by a pseudonymous firm key (8 characters, `db.codes`), generated at its
first assessment and typed again to add to its history, to see it, or to delete it (`delete_firm_data`:
knowing the key is the credential). The operator may purge assessments older than a number of days
(`purge_assessments`); nothing is removed by age otherwise (docs/privacy.md). Peer comparisons count each firm once
(its newest assessment) and only firms that gave consent; a group of fewer than
`cbec_core.scoring.MIN_SEGMENT` (5) firms is suppressed — its figures are never returned.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from sqlalchemy import case, delete, func, insert, select, true, update
from sqlalchemy.orm import Session

from cbec_core.instrument import ITEM_COLUMNS, size_band
from cbec_core.population import SEGMENT_DIMENSIONS
from cbec_core.scores import SCORE_COLUMNS
from cbec_core.scoring import MIN_SEGMENT, FirmScore, answers_frame, score_firm
from cbec_core.pilot_zones import canonical_zone
from cbec_core.survey import Problem, SurveyError, zone_problem

from . import throttle
from .access import Actor, require
from .audit import log_event, record
from .codes import digest, new_code, normalise_code
from .engine import StoreError, reading, retry_on_conflict, writing
from .files import formula_mask, write_table
from .fits import fit_row, get_fit
from .schema import (
    CONSTRUCT_SCORES,
    COUNTED,
    FIRM_KEY_LENGTH,
    Assessment,
    Dataset,
    ModelFit,
    utcnow,
)
from .workshops import open_workshop_row, workshop_row

TIE = 1e-9  # construct scores are means of whole numbers: equal scores differ by rounding only
RECORD_COLUMNS: tuple[str, ...] = (
    "id", "created_at", "firm_key", "workshop_id", "consent", "share_row", "model_fit_id", *ITEM_COLUMNS, *SCORE_COLUMNS,
    "firm_size", "firm_age", "region", "business_model", "pilot_zone", "size_band", "province", "zone",
    "hqd_expected", "hqd_gap", "theta", "priority_lever", "segment",
)
"""An assessment as history and export show it (every column but the internal `latest` flag)."""
GROUPINGS = ("region", "province", "zone")


@dataclass(frozen=True)
class PeerStanding:
    """Where scores stand among the counted assessments of a peer segment.

    `percentiles` are mid-rank (percent below plus half the percent equal), or None with `n_firms`
    when the segment has fewer than MIN_SEGMENT firms (`suppressed`).
    """

    segment: dict[str, object]
    suppressed: bool
    n_firms: int | None
    percentiles: dict[str, float] | None


def _place(answers: Mapping, key: str) -> str | None:
    value = answers.get(key)
    text = None if value is None else str(value).strip()
    return text or None


def _record(answers: Mapping, result: FirmScore) -> dict:
    """The assessment's stored values: validated answers and controls, scores and key outputs."""
    frame = answers_frame(answers)  # raises SurveyError naming every missing or invalid answer
    places = {k: _place(answers, k) for k in ("province", "zone")}
    formulas = [k for k, v in places.items() if v is not None and formula_mask(pd.Series([v]))[0]]
    if formulas:
        raise SurveyError([Problem(None, k, f"'{places[k]}' looks like a spreadsheet formula; enter the name itself") for k in formulas])
    if places["zone"] is not None:  # one spelling per zone, so that zone groups never split
        zone = canonical_zone(places["zone"])
        if zone is None:
            raise SurveyError([zone_problem(None, places["zone"])])
        places["zone"] = zone
    row = frame.iloc[0]
    full = all(c in frame.columns for c in ITEM_COLUMNS)
    controls = {k: (None if pd.isna(row[k]) else row[k]) for k in ("firm_size", "firm_age", "region", "business_model", "pilot_zone")}
    return {
        **{c: int(row[c]) if full else None for c in ITEM_COLUMNS},
        **{c: result.scores.get(c) for c in SCORE_COLUMNS},
        "firm_size": None if controls["firm_size"] is None else int(float(controls["firm_size"])),
        "firm_age": None if controls["firm_age"] is None else float(controls["firm_age"]),
        "region": controls["region"], "business_model": controls["business_model"],
        "pilot_zone": None if controls["pilot_zone"] is None else int(controls["pilot_zone"]),
        "size_band": None if controls["firm_size"] is None else size_band(float(controls["firm_size"])),
        **places,
        "hqd_expected": result.hqd_expected, "hqd_gap": result.hqd_gap, "theta": result.theta,
        "priority_lever": result.priority_lever, "segment": result.segment,
    }


def _check_targets(session: Session, fit_id: int, workshop_id: int | None) -> None:
    fit_row(session, fit_id)
    if workshop_id is not None:
        open_workshop_row(session, workshop_id)


def _firm_key(session: Session, given: str | None) -> str:
    """The given key (which must already have an assessment), or a new unused one."""
    if given is not None:
        key = normalise_code(given, FIRM_KEY_LENGTH, "firm key")
        if session.scalar(select(Assessment.id).where(Assessment.firm_key == key).limit(1)) is None:
            raise StoreError(f"no assessment has the firm key {key}; check it, or leave it empty to start a new history",
                             "unknown_firm_key", key=key)
        return key
    while True:
        key = new_code(FIRM_KEY_LENGTH)
        if session.scalar(select(Assessment.id).where(Assessment.firm_key == key).limit(1)) is None:
            return key


def save_assessment(answers: Mapping, result: FirmScore, fit_id: int, firm_key: str | None = None,
                    workshop_id: int | None = None, consent: bool = False, share_row: bool = False, *,
                    url: str | None = None) -> str:
    """Store a scored self-assessment against the fit it was scored with; returns the firm key (new if none was given).

    `answers` are what `cbec_core.scoring.score_firm` took (19 items, or quick mode's construct
    scores, plus optional controls and `province`/`zone`); `result` is its FirmScore. The firm's
    earlier assessments stay as they were; this one becomes its newest. `share_row` (in a workshop only)
    lets the facilitator's export hold this firm's row, coarsened (`cbec_core.cohort.shared_rows`).
    """
    record = _record(answers, result)

    def write() -> str:
        with writing(url) as session:
            _check_targets(session, fit_id, workshop_id)
            key = _firm_key(session, firm_key)
            session.execute(update(Assessment).where(Assessment.firm_key == key, Assessment.latest == true())
                            .values(latest=False))
            session.execute(insert(Assessment).values(
                **record, firm_key=key, model_fit_id=fit_id, workshop_id=workshop_id, consent=bool(consent),
                share_row=bool(share_row) and workshop_id is not None,
                latest=True, created_at=utcnow()))
            return key

    return retry_on_conflict(write)


def _records(session: Session, *where) -> pd.DataFrame:
    rows = session.execute(select(*(getattr(Assessment, c) for c in RECORD_COLUMNS)).where(*where)
                           .order_by(Assessment.created_at, Assessment.id)).all()
    return pd.DataFrame(rows, columns=list(RECORD_COLUMNS))


def _guessers(session_key: str | None) -> list[str]:
    """The throttle keys a browser session's firm-key guesses count against (none without a session)."""
    return [f"firmkey:{session_key[:64]}"] if session_key else []


def assessment_history(firm_key: str, *, session_key: str | None = None, url: str | None = None) -> pd.DataFrame:
    """A firm's assessments, oldest first (columns RECORD_COLUMNS, and `quick`: True where the firm typed its five
    scores, so no item answer was stored); empty if the key has none.

    With `session_key` (a browser session), unknown keys count as guesses: after five in 15 minutes the
    session waits (throttle.Throttled) before it may look up another.
    """
    key = normalise_code(firm_key, FIRM_KEY_LENGTH, "firm key")
    guesser = _guessers(session_key)
    throttle.check(guesser, url=url)
    with reading(url) as session:
        history = _records(session, Assessment.firm_key == key)
    if history.empty and guesser:
        with writing(url) as session:
            wait = throttle.fail(session, guesser)
        if wait:
            raise throttle.Throttled(wait)
    return history.assign(quick=history[list(ITEM_COLUMNS)].isna().all(axis=1))


REPRODUCED = ("hqd_expected", "hqd_gap", "theta", *CONSTRUCT_SCORES)
"""The stored figures a rescoring must give back (besides the priority lever)."""


def rescore(row: Mapping, *, url: str | None = None) -> tuple[FirmScore, dict] | None:
    """An assessment (a row of `assessment_history`) scored again from its stored answers against the fit it was
    scored with, and those answers; None when that does not give back the stored figures (a report would differ)."""
    answers = record_answers(row)
    score = score_firm(answers, get_fit(int(row["model_fit_id"]), url=url), segment=row["segment"])
    figures = {"hqd_expected": score.hqd_expected, "hqd_gap": score.hqd_gap, "theta": score.theta} | score.scores
    same = all(abs(figures[f] - float(row[f])) < 1e-9 for f in REPRODUCED)
    return (score, answers) if same and score.priority_lever == (row["priority_lever"] or None) else None


def _given(value: object) -> bool:
    """Whether a stored value is there (None and NaN are not: a history frame holds missing numbers as NaN)."""
    return value is not None and value is not pd.NA and not (isinstance(value, float) and math.isnan(value))


def record_answers(row: Mapping) -> dict:
    """The answers an assessment (a row of `assessment_history`) was scored from, as `score_firm` takes them:
    its 19 item answers, or in quick mode (no items stored) its five construct scores; and the controls and
    places it gave."""
    items = {c: int(row[c]) for c in ITEM_COLUMNS if _given(row.get(c))}
    answers: dict = items if len(items) == len(ITEM_COLUMNS) else {c: float(row[c]) for c in CONSTRUCT_SCORES}
    kinds = {"firm_size": int, "firm_age": float, "region": str, "business_model": str, "pilot_zone": int,
             "province": str, "zone": str}
    return answers | {k: kind(row[k]) for k, kind in kinds.items() if _given(row.get(k))}


def key_tag(firm_key: str) -> str:
    """What the audit log names a firm key by: a hash prefix, never the key (the key opens the firm's history)."""
    return "key#" + digest(firm_key)[:12]


def delete_firm_data(firm_key: str, *, actor: Actor, session_key: str | None = None, url: str | None = None) -> int:
    """Delete every assessment saved under a firm key; returns how many. The firm's own right (PIPL, GDPR).

    Knowing the key is the credential (as for `assessment_history`), so no role is needed and the actor is
    whoever asks, usually `Actor.anonymous`. An unknown key deletes nothing and raises StoreError
    ("unknown_firm_key"); it counts as a guess against `session_key`, throttled like history lookups. Every
    attempt is audited under "delete_firm_data" with the key's hash prefix (`key_tag`), never the key.
    Stored data sets and fits built from the pool earlier are not changed (docs/privacy.md).
    """
    if not isinstance(actor, Actor):
        raise TypeError("actor must be a db.Actor")
    key = normalise_code(firm_key, FIRM_KEY_LENGTH, "firm key")
    tag, guesser = key_tag(key), _guessers(session_key)
    try:
        throttle.check(guesser, url=url)
    except throttle.Throttled as exc:
        log_event(actor, "delete_firm_data", tag, outcome="throttled", detail={"wait_s": exc.seconds}, url=url)
        raise
    with writing(url) as session:
        deleted = session.execute(delete(Assessment).where(Assessment.firm_key == key)).rowcount or 0
        if deleted:
            record(session, actor, "delete_firm_data", tag, detail={"assessments": deleted})
            return deleted
        wait = throttle.fail(session, guesser)
        record(session, actor, "delete_firm_data", tag, outcome="failed", detail="no assessment has this key")
    if wait:
        raise throttle.Throttled(wait)
    raise StoreError(f"no assessment has the firm key {key}; nothing was deleted", "unknown_firm_key_delete", key=key)


def purge_assessments(older_than_days: int, *, actor: Actor, url: str | None = None) -> int:
    """Delete every assessment saved more than `older_than_days` days ago (an operator's retention limit); returns how
    many. Admin only, audited. A firm's newest assessment is never older than its others, so the ones kept keep
    their `latest` flags."""
    if older_than_days < 1:
        raise StoreError(f"{older_than_days} is not a number of days; purge assessments older than 1 day or more",
                         "bad_purge_days", days=older_than_days)
    require(actor, "purge_assessments", f"older than {older_than_days} days", url=url)
    cutoff = utcnow() - timedelta(days=older_than_days)
    with writing(url) as session:
        deleted = session.execute(delete(Assessment).where(Assessment.created_at < cutoff)).rowcount or 0
        record(session, actor, "purge_assessments", f"older than {older_than_days} days",
               detail={"assessments": deleted, "cutoff": cutoff.isoformat(timespec="seconds")})
    return deleted


def counted_assessments(*, url: str | None = None) -> pd.DataFrame:
    """Each consenting firm's newest assessment (the rows peer and zone comparisons count), without firm key,
    id or time: aggregate pages need quartiles and refits, never who a row belongs to."""
    with reading(url) as session:
        frame = _records(session, COUNTED)
    return frame.drop(columns=["firm_key", "id", "created_at"])


def workshop_assessments(workshop_id: int, *, url: str | None = None) -> pd.DataFrame:
    """A workshop's assessments, each firm once (its newest in the workshop), oldest first (columns RECORD_COLUMNS).

    Every assessment saved into the workshop counts, consented to the benchmark pool or not: joining the
    workshop is sharing with its facilitator. Pages show the cohort only through `cbec_core.cohort`
    (the 5-firm rule, no firm keys).
    """
    with reading(url) as session:
        workshop_row(session, workshop_id)
        frame = _records(session, Assessment.workshop_id == workshop_id)
    newest = frame.drop_duplicates("firm_key", keep="last") if frame["firm_key"].notna().all() else frame
    return newest.reset_index(drop=True)


def _history(session: Session, *where) -> pd.DataFrame:
    """Assessment rows in saving order with an opaque `firm` number in place of the firm key (a row without a
    key is a firm of its own), and no id or time: what `cbec_core.steps` needs to publish a pool in steps."""
    frame = _records(session, *where)
    keys = frame["firm_key"].where(frame["firm_key"].notna(), "row-" + frame["id"].astype(str))
    frame.insert(0, "firm", pd.factorize(keys)[0])
    return frame.drop(columns=["firm_key", "id", "created_at"]).reset_index(drop=True)


def pool_history(*, url: str | None = None) -> pd.DataFrame:
    """Every assessment in saving order (`firm`, `counted` = consent, then RECORD_COLUMNS without key, id and
    time): the collected pool as it stood after each save, for stepped publication."""
    with reading(url) as session:
        frame = _history(session)
    frame.insert(1, "counted", frame["consent"].astype(bool))
    return frame


def workshop_history(workshop_id: int, *, url: str | None = None) -> pd.DataFrame:
    """A workshop's assessments in saving order (`firm`, `counted` = always: joining is sharing with the
    facilitator), for the live view's stepped publication."""
    with reading(url) as session:
        workshop_row(session, workshop_id)
        frame = _history(session, Assessment.workshop_id == workshop_id)
    frame.insert(1, "counted", True)
    return frame


def export_assessments(path: str | Path, *, url: str | None = None) -> int:
    """Write every consented assessment to CSV or XLSX, labelled with its benchmark's provenance; returns the row count."""
    with reading(url) as session:
        frame = _records(session, Assessment.consent == true())
        provenance = dict(session.execute(select(ModelFit.id, Dataset.provenance).join(Dataset, Dataset.id == ModelFit.dataset_id)).all())
    frame["benchmark_provenance"] = frame["model_fit_id"].map(provenance)
    write_table(frame, Path(path))
    return len(frame)


def _segment_filters(segment: Mapping[str, object]) -> list:
    unknown = [k for k in segment if k not in SEGMENT_DIMENSIONS]
    if unknown:
        raise StoreError(f"unknown segment dimension(s) {', '.join(unknown)}; use {', '.join(SEGMENT_DIMENSIONS)}",
                         "unknown_segment", names=", ".join(unknown), allowed=", ".join(SEGMENT_DIMENSIONS))
    return [getattr(Assessment, k) == (int(v) if k == "pilot_zone" else str(v)) for k, v in segment.items()]


def segment_percentiles(scores: Mapping[str, float], segment: Mapping[str, object] | None = None, *,
                        url: str | None = None) -> PeerStanding:
    """Percentile ranks of `scores` (construct codes → 1–5 scores) among the counted firms of a segment.

    `segment` picks peers by any of region, business_model, pilot_zone and size_band (none: all
    firms). One aggregate query; the covering index serves a leading prefix of that order.
    """
    segment = dict(segment or {})
    codes = [c for c in scores if c in SCORE_COLUMNS]
    if len(codes) != len(scores):
        unknown = ", ".join(c for c in scores if c not in SCORE_COLUMNS)
        raise StoreError(f"unknown score(s) {unknown}; use {', '.join(SCORE_COLUMNS)}", "unknown_score", names=unknown,
                         allowed=", ".join(SCORE_COLUMNS))
    columns = [func.count()]
    for code in codes:
        col, value = getattr(Assessment, code), float(scores[code])
        columns += [func.count(col), func.sum(case((col < value - TIE, 1), else_=0)),
                    func.sum(case((col <= value + TIE, 1), else_=0))]
    with reading(url) as session:
        counts = session.execute(select(*columns).where(COUNTED, *_segment_filters(segment))).one()
    n = int(counts[0])
    if n < MIN_SEGMENT:
        return PeerStanding(segment, True, None, None)
    percentiles = {}
    for i, code in enumerate(codes):
        total, below, upto = (int(v or 0) for v in counts[1 + 3 * i: 4 + 3 * i])
        percentiles[code] = 100.0 * (below + 0.5 * (upto - below)) / total if total else float("nan")
    return PeerStanding(segment, False, n, percentiles)


def zone_comparison(by: Literal["region", "province", "zone"] = "zone", *, url: str | None = None) -> pd.DataFrame:
    """Counted firms and mean construct scores per region, province or pilot zone.

    Columns: `by`, n_firms, suppressed, AIGC, DC, IO, LSC, HQD. A group of fewer than MIN_SEGMENT
    firms comes back with suppressed=True and no count or means. Firms with no value for `by` are left out.
    """
    if by not in GROUPINGS:
        raise StoreError(f"cannot compare by '{by}'; use one of {', '.join(GROUPINGS)}", "unknown_grouping", by=by,
                         allowed=", ".join(GROUPINGS))
    group = getattr(Assessment, by)
    with reading(url) as session:
        rows = session.execute(select(group, func.count(), *(func.avg(getattr(Assessment, c)) for c in CONSTRUCT_SCORES))
                               .where(COUNTED, group.is_not(None)).group_by(group).order_by(group)).all()
    frame = pd.DataFrame(rows, columns=[by, "n_firms", *CONSTRUCT_SCORES])
    frame[list(CONSTRUCT_SCORES)] = frame[list(CONSTRUCT_SCORES)].astype(float)
    suppressed = (frame["n_firms"] < MIN_SEGMENT).to_numpy()
    frame.insert(2, "suppressed", suppressed)
    frame["n_firms"] = frame["n_firms"].astype("Int64").mask(suppressed)
    frame.loc[suppressed, list(CONSTRUCT_SCORES)] = np.nan
    return frame
