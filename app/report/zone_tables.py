"""The zone page's tables as shown and as downloaded: labelled in the page's language, rounded, hidden groups blank.

Both take the aggregate tables of `cbec_core.zones` (already suppressed); the export re-applies the rule
(`zones.export_frame`) before labelling, so a tampered table cannot leak through a download.
"""
from __future__ import annotations

import pandas as pd

from app.i18n import construct_name, t
from app.charts.zones import group_name
from cbec_core import zones
from cbec_core.instrument import CONSTRUCT_CODES
from cbec_core.reference import SYNTHETIC_LABEL
from db.files import csv_bytes, xlsx_bytes

MEAN_DIGITS, THETA_DIGITS = 2, 3


def mean_column(construct: str, lang: str) -> str:
    """The table header of a construct's group mean."""
    return t("zones_col_mean", lang, construct=construct_name(construct, lang))


def hidden_note(reason: str, lang: str) -> str:
    """Why a group is hidden, in the page's language."""
    return t("zones_fewer" if reason == zones.TOO_FEW else "zones_protects", lang)


def display_table(table: pd.DataFrame, by: str, lang: str) -> pd.DataFrame:
    """The aggregate table as text for the page: a hidden group's row says why and nothing else.

    Mean HQD and θ come first (the policy question), then the other constructs' means.
    """
    others = [c for c in CONSTRUCT_CODES if c != "HQD"]
    rows = []
    for _, r in table.iterrows():
        row = {t("zones_col_group", lang): group_name(r["group"], by, lang)}
        if r["suppressed"]:
            row[t("zones_col_n", lang)] = hidden_note(r["reason"], lang)
            row[mean_column("HQD", lang)] = ""
            row |= {t("zones_col_theta", lang): "", t("zones_col_ci", lang): "", t("zones_col_method", lang): ""}
            row |= {mean_column(c, lang): "" for c in others}
        else:
            row[t("zones_col_n", lang)] = str(int(r["n_firms"]))
            row[mean_column("HQD", lang)] = f"{r['HQD_mean']:.2f}"
            has_ci = pd.notna(r["lo"]) and pd.notna(r["hi"])
            row |= {t("zones_col_theta", lang): f"{r['theta']:.3f}",
                    t("zones_col_ci", lang): f"[{r['lo']:.3f}, {r['hi']:.3f}]" if has_ci else "—",
                    t("zones_col_method", lang): t(f"zones_method_{r['method']}", lang)}
            row |= {mean_column(c, lang): f"{r[f'{c}_mean']:.2f}" for c in others}
        rows.append(row)
    return pd.DataFrame(rows)


def _rounded(values: pd.Series, digits: int) -> list:
    return [None if pd.isna(v) else round(float(v), digits) for v in values]


def export_table(table: pd.DataFrame, by: str, synthetic: bool, lang: str) -> pd.DataFrame:
    """The table as downloaded: headers and groups in the page's language, counts as whole numbers, means to
    2 and θ to 3 decimals, hidden groups blank but for the reason."""
    frame = zones.export_frame(table, by=by, synthetic=False, lang=lang)
    out = pd.DataFrame()
    if synthetic:
        out[t("zones_col_provenance", lang)] = [SYNTHETIC_LABEL[lang]] * len(frame)
    out[t(f"zones_by_{by}", lang)] = [group_name(g, by, lang) for g in frame[by]]
    out[t("zones_col_n", lang)] = pd.Series([None if pd.isna(n) else int(n) for n in frame["n_firms"]], dtype=object)
    for c in ("HQD", *(c for c in CONSTRUCT_CODES if c != "HQD")):
        out[mean_column(c, lang)] = _rounded(frame[f"{c}_mean"], MEAN_DIGITS)
    out[t("zones_col_theta", lang)] = _rounded(frame["theta"], THETA_DIGITS)
    out[t("zones_col_ci_lo", lang)] = _rounded(frame["lo"], THETA_DIGITS)
    out[t("zones_col_ci_hi", lang)] = _rounded(frame["hi"], THETA_DIGITS)
    out[t("zones_col_method", lang)] = [t(f"zones_method_{m}", lang) if isinstance(m, str) else "" for m in frame["method"]]
    out[t("zones_col_note", lang)] = [hidden_note(r, lang) if r else "" for r in frame["reason"]]
    return out


def export_files(table: pd.DataFrame, by: str, synthetic: bool, lang: str) -> dict[str, bytes]:
    """The exported table as CSV (UTF-8 with BOM, so spreadsheets read Chinese) and XLSX, formula-like text guarded."""
    frame = export_table(table, by, synthetic, lang)
    return {"csv": csv_bytes(frame), "xlsx": xlsx_bytes({"zones": frame})}
