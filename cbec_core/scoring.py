"""Scoring firms against a fitted model (MODEL.md §6): where they stand, what AIGC returns to them, which lever first.

The arithmetic is written once, on arrays: `score_firms` scores many firms in one pass and
`score_firm` is the same computation on one row plus the firm-level bootstrap CI.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special

from .instrument import ANTECEDENTS, BUSINESS_MODELS, CONSTRUCTS, ITEM_COLUMNS, LIKERT_MAX, LIKERT_MIN, REGIONS
from .model import FittedModel
from .moderation import control_matrix, theta
from .population import ALL, quantile
from .scores import construct_scores, performance
from .survey import Problem, SurveyError

MIN_SEGMENT = 5  # a peer segment smaller than this is never used (privacy and stability)
ROLE_OF = {"AIGC": "A", "DC": "M", "IO": "W", "LSC": "Z"}
LEVER_TARGET_QUANTILE = 0.75


def validate_answers(answers: dict) -> dict[str, float]:
    """A self-assessment's construct inputs: all 19 items (whole numbers 1–5), or quick mode's five construct scores (1–5).

    Raises SurveyError naming every missing or invalid answer.
    """
    quick = [c.code for c in CONSTRUCTS]
    mode_items = any(k in answers for k in ITEM_COLUMNS)
    keys, whole = (ITEM_COLUMNS, True) if mode_items or not any(k in answers for k in quick) else (tuple(quick), False)
    problems, out = [], {}
    for key in keys:
        value = answers.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(Problem(None, key, "no answer; every item must be answered (1 = strongly disagree … 5 = strongly agree)"))
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            problems.append(Problem(None, key, f"'{value}' is not a number; answer with a whole number from 1 to 5"))
            continue
        if isinstance(value, bool) or not 1 <= number <= 5 or (whole and number != int(number)):
            scale = "a whole number from 1 to 5" if whole else "a score from 1 to 5"
            problems.append(Problem(None, key, f"{value} is not valid; answer with {scale}"))
            continue
        out[key] = number
    if problems:
        raise SurveyError(problems)
    return out


def _controls_problems(answers: dict) -> list[Problem]:
    problems = []
    rules = {
        "firm_size": lambda v: float(v) >= 1, "firm_age": lambda v: float(v) >= 0,
        "region": lambda v: v in REGIONS, "business_model": lambda v: v in BUSINESS_MODELS,
        "pilot_zone": lambda v: int(v) in (0, 1),
    }
    fixes = {"firm_size": "enter the number of employees (1 or more)", "firm_age": "enter the firm's age in years (0 or more)",
             "region": "choose east, central or west", "business_model": "choose B2B or B2C", "pilot_zone": "choose 1 (in a pilot zone) or 0"}
    for key, ok in rules.items():
        if key in answers and answers[key] is not None:
            try:
                valid = ok(answers[key])
            except (TypeError, ValueError):
                valid = False
            if not valid:
                problems.append(Problem(None, key, f"'{answers[key]}' is not valid; {fixes[key]}"))
    return problems


CONTROL_KEYS = ("firm_size", "firm_age", "region", "business_model", "pilot_zone")


def answers_frame(answers: dict) -> pd.DataFrame:
    """One validated firm as a one-row frame of its item answers (or quick-mode scores) and controls."""
    values = validate_answers(answers)
    problems = _controls_problems(answers)
    if problems:
        raise SurveyError(problems)
    return pd.DataFrame([{**values, **{k: answers.get(k) for k in CONTROL_KEYS}}])


# ---- the model's arithmetic, on arrays ----------------------------------------------------------

def _controls_block(fitted: FittedModel, data: pd.DataFrame | None, n: int) -> np.ndarray:
    """Firms' control values; a control the firm did not give is set to the fitting sample's mean."""
    terms = tuple(fitted.settings.get("control_terms", ()))
    if not terms:
        return np.empty((n, 0))
    block = np.tile([fitted.control_means[t] for t in terms], (n, 1))
    needed = {"firm_size", "firm_age", "region", "business_model", "pilot_zone"}
    if data is not None and needed <= set(data.columns) and not data[list(needed)].isna().any().any():
        block = control_matrix(data, terms)
    return block


def _centre(fitted: FittedModel, **values) -> dict[str, np.ndarray]:
    return {k: np.atleast_1d(np.asarray(v, dtype=float)) - fitted.means[k] for k, v in values.items()}


def mediator_hat(fitted: FittedModel, a, w, controls: np.ndarray) -> np.ndarray:
    """Expected DC (raw 1–5 scale) from the mediator model at raw A and W."""
    c = _centre(fitted, A=a, W=w)
    x = np.column_stack([np.ones(len(c["A"])), c["A"], c["W"], c["A"] * c["W"], controls])
    return x @ fitted.mediator.coef + fitted.means["M"]


def outcome_hat(fitted: FittedModel, a, m, w, z, controls: np.ndarray) -> np.ndarray:
    """Expected HQD from the outcome model at raw A, M, W, Z."""
    c = _centre(fitted, A=a, M=m, W=w, Z=z)
    x = np.column_stack([np.ones(len(c["A"])), c["A"], c["M"], c["Z"], c["M"] * c["Z"], c["W"], c["W"] * c["Z"], controls])
    return x @ fitted.outcome.coef


def expected(fitted: FittedModel, a, w, z, m=None, controls: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Expected DC at (A, W), and expected HQD at that DC — or at `m` when a DC value is given (what-if)."""
    n = len(np.atleast_1d(a))
    ctrl = controls if controls is not None else _controls_block(fitted, None, n)
    m_hat = mediator_hat(fitted, a, w, ctrl)
    return m_hat, outcome_hat(fitted, a, m_hat if m is None else m, w, z, ctrl)


def prediction_se(fitted: FittedModel, a, w, z, controls: np.ndarray) -> np.ndarray:
    """SE of predicting a new firm's HQD from A, W, Z through the expected DC (delta method).

    Adds the outcome residual, the mediator residual carried by the b-path (b1 + b3·z), and both
    models' parameter uncertainty.
    """
    c = _centre(fitted, A=a, W=w, Z=z)
    n = len(c["A"])
    xm = np.column_stack([np.ones(n), c["A"], c["W"], c["A"] * c["W"], controls])
    mc = xm @ fitted.mediator.coef
    xo = np.column_stack([np.ones(n), c["A"], mc, c["Z"], mc * c["Z"], c["W"], c["W"] * c["Z"], controls])
    o = fitted.outcome
    bpath = o["M"] + o["M:Z"] * c["Z"]
    var = (o.sigma2 + bpath**2 * fitted.mediator.sigma2
           + np.einsum("ij,jk,ik->i", xo, o.cov, xo)
           + bpath**2 * np.einsum("ij,jk,ik->i", xm, fitted.mediator.cov, xm))
    return np.sqrt(var)


def importance(fitted: FittedModel, a, m, w, z) -> dict[str, np.ndarray]:
    """IPMA importance: each antecedent's total effect on HQD per point, at the firm's own values."""
    med, out = fitted.mediator, fitted.outcome
    c = _centre(fitted, A=a, M=m, W=w, Z=z)
    bpath = out["M"] + out["M:Z"] * c["Z"]
    return {
        "AIGC": out["A"] + (med["A"] + med["A:W"] * c["W"]) * bpath,
        "DC": bpath,
        "IO": (med["W"] + med["A:W"] * c["A"]) * bpath + out["W"] + out["W:Z"] * c["Z"],
        "LSC": out["Z"] + out["M:Z"] * c["M"] + out["W:Z"] * c["W"],
    }


def lever_targets(fitted: FittedModel, segment: str = ALL) -> dict[str, float]:
    """The benchmark's top-quartile score of each antecedent: the target a priority lever closes the gap to."""
    dist = fitted.distributions[segment]["scores"]
    return {c: quantile(dist[c], LEVER_TARGET_QUANTILE) for c in ANTECEDENTS}


def lever_gains(fitted: FittedModel, a, m, w, z, controls: np.ndarray, targets: dict[str, float]) -> np.ndarray:
    """Expected HQD gain from raising each antecedent (columns in ANTECEDENTS order) to its target.

    The firm's other scores are held: raising AIGC or IO also moves DC by the change in its expected
    value (the firm keeps its own DC residual); raising DC or LSC acts through the outcome model.
    A firm already at or above a target gains nothing from that lever.
    """
    up = {k: np.maximum(v, targets[k]) for k, v in (("AIGC", a), ("DC", m), ("IO", w), ("LSC", z))}
    base = outcome_hat(fitted, a, m, w, z, controls)
    m_now = mediator_hat(fitted, a, w, controls)
    moved = {
        "AIGC": outcome_hat(fitted, up["AIGC"], m + mediator_hat(fitted, up["AIGC"], w, controls) - m_now, w, z, controls),
        "DC": outcome_hat(fitted, a, up["DC"], w, z, controls),
        "IO": outcome_hat(fitted, a, m + mediator_hat(fitted, a, up["IO"], controls) - m_now, up["IO"], z, controls),
        "LSC": outcome_hat(fitted, a, m, w, up["LSC"], controls),
    }
    return np.column_stack([moved[k] - base for k in ANTECEDENTS])


def _segment_or_all(fitted: FittedModel, segment: str | None) -> tuple[str, str | None]:
    """The distribution to compare with: the segment if it exists with at least MIN_SEGMENT firms, else all."""
    if segment is None or segment == ALL:
        return ALL, None
    dist = fitted.distributions.get(segment)
    if dist is None:
        return ALL, f"no firm of segment {segment} in the benchmark; compared with all firms"
    if dist["n"] < MIN_SEGMENT:
        return ALL, f"segment {segment} has fewer than {MIN_SEGMENT} firms; compared with all firms"
    return segment, None


def score_firms(frame: pd.DataFrame, fitted: FittedModel, segment: str | None = None) -> pd.DataFrame:
    """Score many firms at once (rows of item answers, or of construct scores in quick mode).

    Returns one row per firm: scores, 0–100 performance, percentile ranks, expected DC and HQD with
    the 95% prediction interval, the gap, θ at the firm's moderators, importances, lever gains and
    the priority lever.
    """
    if all(c in frame.columns for c in ITEM_COLUMNS):
        s = construct_scores(frame)
    else:
        s = frame[[c.code for c in CONSTRUCTS]].astype(float)
    controls = _controls_block(fitted, frame, len(s))
    seg, _ = _segment_or_all(fitted, segment)
    cols: dict[str, np.ndarray] = {}
    for code in s.columns:
        values = s[code].to_numpy(dtype=float)
        cols[code] = values
        cols[f"{code}_perf"] = performance(values)
        cols[f"{code}_pct"] = _percentiles(fitted.distributions[ALL]["scores"][code], values)
        if seg != ALL:
            cols[f"{code}_seg_pct"] = _percentiles(fitted.distributions[seg]["scores"][code], values)
    a, m, w, z, y = (cols[k] for k in ("AIGC", "DC", "IO", "LSC", "HQD"))
    m_hat, y_hat = expected(fitted, a, w, z, controls=controls)
    half = special.stdtrit(fitted.outcome.df_resid, 0.975) * prediction_se(fitted, a, w, z, controls)
    c = _centre(fitted, W=w, Z=z)
    med, o = fitted.mediator, fitted.outcome
    cols |= {"DC_expected": m_hat, "HQD_expected": y_hat, "HQD_pi_lo": y_hat - half, "HQD_pi_hi": y_hat + half,
             "HQD_gap": y - y_hat, "theta": theta(med["A"], med["A:W"], o["M"], o["M:Z"], c["W"], c["Z"])}
    cols |= {f"{k}_importance": v for k, v in importance(fitted, a, m, w, z).items()}
    gains = lever_gains(fitted, a, m, w, z, controls, lever_targets(fitted, seg))
    cols |= {f"{k}_gain": gains[:, i] for i, k in enumerate(ANTECEDENTS)}
    cols["priority_lever"] = np.where(gains.max(axis=1) > 1e-12, np.array(ANTECEDENTS, dtype=object)[gains.argmax(axis=1)], None)
    return pd.DataFrame(cols, index=frame.index)


def _percentiles(dist: dict, values: np.ndarray) -> np.ndarray:
    """Mid-rank percentiles of many values in one count distribution."""
    v = np.asarray(dist["values"], dtype=float)
    cum = np.concatenate([[0], np.cumsum(dist["counts"])])
    total = cum[-1]
    lo = np.searchsorted(v, values - 1e-9, side="left")
    hi = np.searchsorted(v, values + 1e-9, side="right")
    return 100.0 * (cum[lo] + 0.5 * (cum[hi] - cum[lo])) / total


@dataclass
class FirmScore:
    """One firm scored against a model: the figures of MODEL.md §6, ready for a page or a report."""

    scores: dict[str, float]
    performance: dict[str, float]
    percentiles: dict[str, float]
    segment: str
    segment_percentiles: dict[str, float] | None
    segment_note: str | None
    dc_expected: float
    hqd_expected: float
    hqd_pi: tuple[float, float]
    hqd_gap: float
    theta: float
    theta_ci: tuple[float, float] | None
    importance: dict[str, float]
    lever_targets: dict[str, float]
    lever_gains: dict[str, float]
    priority_lever: str | None
    synthetic_benchmark: bool
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def score_firm(answers: dict, fitted: FittedModel, segment: str | None = None) -> FirmScore:
    """Score one firm (item answers or quick-mode construct scores, plus optional controls) against a model.

    Raises SurveyError naming every missing or invalid answer: a self-assessment answers every item.
    """
    row = score_firms(answers_frame(answers), fitted, segment).iloc[0]
    seg, note = _segment_or_all(fitted, segment)
    codes = [c[:-5] for c in row.index if c.endswith("_perf")]
    ci = None
    if len(fitted.draws):
        c = _centre(fitted, W=row["IO"], Z=row["LSC"])
        d = fitted.draws
        lo, hi = np.nanpercentile(theta(d[:, 0], d[:, 1], d[:, 2], d[:, 3], c["W"][0], c["Z"][0]), [2.5, 97.5])
        ci = (float(lo), float(hi))
    gains = {k: float(row[f"{k}_gain"]) for k in ANTECEDENTS}
    return FirmScore(
        scores={c: float(row[c]) for c in codes},
        performance={c: float(row[f"{c}_perf"]) for c in codes},
        percentiles={c: float(row[f"{c}_pct"]) for c in codes},
        segment=seg,
        segment_percentiles={c: float(row[f"{c}_seg_pct"]) for c in codes} if seg != ALL else None,
        segment_note=note,
        dc_expected=float(row["DC_expected"]), hqd_expected=float(row["HQD_expected"]),
        hqd_pi=(float(row["HQD_pi_lo"]), float(row["HQD_pi_hi"])), hqd_gap=float(row["HQD_gap"]),
        theta=float(row["theta"]), theta_ci=ci,
        importance={k: float(row[f"{k}_importance"]) for k in ANTECEDENTS},
        lever_targets=lever_targets(fitted, seg), lever_gains=gains, priority_lever=row["priority_lever"],
        synthetic_benchmark=fitted.synthetic,
    )


def beyond_scale(*values: float) -> bool:
    """Whether any value lies outside the 1–5 answer scale: the model is then extrapolating (the what-if rule
    of the results page and of the zone page alike)."""
    return any(not LIKERT_MIN - 1e-9 <= float(v) <= LIKERT_MAX + 1e-9 for v in values)


def to_scale(value: float) -> float:
    """A value clipped to the 1–5 answer scale, as a what-if shows an extrapolated prediction."""
    return float(min(max(float(value), LIKERT_MIN), LIKERT_MAX))


def what_if(fitted: FittedModel, base: FirmScore, *, AIGC: float | None = None, IO: float | None = None,
            LSC: float | None = None, DC: float | None = None, controls: np.ndarray | None = None) -> dict:
    """New expected DC and HQD when some of A, W, Z (and M) take new values; the rest stay the firm's own.

    The expected values are clipped to the 1–5 scale; `extrapolated` says whether the model's own
    prediction left it (`DC_model`, `HQD_model` keep the unclipped values).
    """
    s = base.scores
    a, w, z = (AIGC if AIGC is not None else s["AIGC"]), (IO if IO is not None else s["IO"]), (LSC if LSC is not None else s["LSC"])
    m_hat, y_hat = expected(fitted, [a], [w], [z], m=None if DC is None else [DC], controls=controls)
    dc, hqd = float(m_hat[0]), float(y_hat[0])
    return {"DC_expected": to_scale(dc), "HQD_expected": to_scale(hqd), "HQD_change": to_scale(hqd) - base.hqd_expected,
            "DC_model": dc, "HQD_model": hqd, "extrapolated": beyond_scale(dc, hqd)}
