"""What a firm's report says, in words and numbers, shared by the HTML and the PDF report.

Both carry the same content as the results page — benchmark line (the synthetic cohort always labelled),
the firm key once saved, the firm's answers (19 items or quick mode's five scores) and controls, scores and
percentiles, expected vs actual HQD, θ, levers, the what-if scenario the user set (if any lever moved), every
chart with its one-line reading, and the recommendations with their sources. Pure functions: no Streamlit.
"""
from __future__ import annotations

from collections.abc import Mapping

from cbec_core.disclosure import MIN_FIRMS
from cbec_core.instrument import ANTECEDENTS, CONSTRUCT_CODES, ITEM_BY_COLUMN, ITEM_COLUMNS, REGION_LABELS
from cbec_core.model import FittedModel
from cbec_core.population import ALL
from cbec_core.recommendations import recommend
from cbec_core.scoring import FirmScore, what_if

from ..charts.firm import expected_chart, ipma_chart, radar_chart, scores_chart, theta_surface_chart
from ..i18n import construct_name, control_label, has, place_name, source_text, t

CONTROL_ORDER = ("firm_size", "firm_age", "region", "business_model", "pilot_zone", "province", "zone")


def readings(score: FirmScore, fitted: FittedModel, lang: str) -> dict[str, str]:
    """Each results chart's one-line reading, from the very builders the page and the HTML report use."""
    return {
        "scores": scores_chart(score, lang)[1],
        "radar": radar_chart(score, fitted, lang)[1],
        "expected": expected_chart(score, lang)[1],
        "theta": theta_surface_chart(score, fitted, lang)[1],
        "ipma": ipma_chart(score, lang)[1],
    }


def segment_label(segment: str, lang: str) -> str:
    """A peer segment key ('region=east', 'pilot_zone=1', 'all') in words."""
    if segment == ALL:
        return t("segment_all", lang)
    dim, _, value = segment.partition("=")
    if dim == "region":
        value = _pick(REGION_LABELS.get(value), lang, value)
    elif dim == "pilot_zone":
        value = t("yes", lang) if value == "1" else t("no", lang)
    elif dim == "size_band":
        value = f"{value} ({control_label('firm_size', lang)})" if lang != "zh" else f"{value}（{control_label('firm_size', lang)}）"
    name = t(f"segment_{dim}", lang) if has(f"segment_{dim}") else dim
    return f"{name}: {value}" if lang != "zh" else f"{name}：{value}"


def peer_line(score: FirmScore, fitted: FittedModel, lang: str) -> str:
    """Which peer group the firm was compared with and how many firms it holds; a count under MIN_FIRMS is never shown."""
    n = int(fitted.distributions[score.segment]["n"])
    segment = segment_label(score.segment, lang)
    return t("peer_group", lang, n=n, segment=segment) if n >= MIN_FIRMS else t("peer_group_no_count", lang, segment=segment)


def _pick(pair, lang: str, default: str) -> str:
    if not pair:
        return default
    return pair[1] if lang == "zh" else pair[0]


def control_rows(answers: dict, lang: str) -> list[tuple[str, str]]:
    """The firm's controls as (label, value) in words; an unanswered control says so."""
    rows = []
    for key in CONTROL_ORDER:
        value = answers.get(key)
        if key in ("province", "zone") and (value is None or str(value).strip() == ""):
            continue  # optional fields are listed only when given
        if value is None or (isinstance(value, str) and not value.strip()):
            text = t("report_not_given", lang)
        elif key == "region":
            text = _pick(REGION_LABELS.get(str(value)), lang, str(value))
        elif key == "pilot_zone":
            try:
                text = t("yes", lang) if int(value) == 1 else t("no", lang)
            except (TypeError, ValueError):
                text = str(value)
        elif key in ("firm_size", "firm_age"):
            try:
                number = float(value)
                text = f"{number:.0f}" if number == int(number) else f"{number:g}"
            except (TypeError, ValueError):
                text = str(value)
        elif key in ("province", "zone"):
            text = place_name(str(value), lang)
        else:
            text = str(value)
        rows.append((control_label(key, lang), text))
    return rows


def score_table(score: FirmScore, lang: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows: construct, score 1–5, 0–100, percentile among all firms (and in the peer segment)."""
    header = [t("report_construct", lang), t("report_score_5", lang), t("score_100", lang), t("report_pct_all", lang)]
    seg = score.segment_percentiles
    if seg:
        header.append(t("report_pct_segment", lang, segment=segment_label(score.segment, lang)))
    rows = []
    for code in score.scores:
        row = [construct_name(code, lang), f"{score.scores[code]:.2f}", f"{score.performance[code]:.0f}",
               f"{score.percentiles[code]:.0f}"]
        if seg:
            row.append(f"{seg[code]:.0f}")
        rows.append(row)
    return header, rows


def expected_rows(score: FirmScore, lang: str) -> list[tuple[str, str]]:
    lo, hi = score.hqd_pi
    return [
        (t("report_expected_dc", lang), f"{score.dc_expected:.2f}"),
        (t("report_expected_hqd", lang), f"{score.hqd_expected:.2f}"),
        (t("pi", lang), f"{lo:.2f} – {hi:.2f}"),
        (t("report_actual_hqd", lang), f"{score.scores['HQD']:.2f}"),
        (t("report_gap", lang), f"{score.hqd_gap:+.2f}"),
    ]


def theta_line(score: FirmScore, lang: str) -> str:
    if score.theta_ci is None:
        return t("report_theta_line_no_ci", lang, theta=score.theta)
    lo, hi = score.theta_ci
    return t("report_theta_line", lang, theta=score.theta, lo=lo, hi=hi)


def lever_table(score: FirmScore, lang: str) -> tuple[list[str], list[list[str]]]:
    header = [t("report_lever", lang), t("report_importance", lang), t("report_current", lang), t("report_target", lang), t("report_gain", lang)]
    rows = []
    for code in ANTECEDENTS:
        name = construct_name(code, lang)
        if code == score.priority_lever:
            name = _bracket(name, t("report_priority_mark", lang), lang)
        rows.append([name, f"{score.importance[code]:.3f}", f"{score.scores[code]:.2f}", f"{score.lever_targets[code]:.2f}",
                     f"{score.lever_gains[code]:+.3f}"])
    return header, rows


def priority_line(score: FirmScore, lang: str) -> str:
    if score.priority_lever is None:
        return t("chart_ipma_reading_none", lang)
    return t("report_priority", lang, lever=construct_name(score.priority_lever, lang))


def benchmark_line(fitted: FittedModel, lang: str) -> str:
    """Which real benchmark firms are scored against (its label, size and date); the page, the reports and the exports say it alike."""
    return t("benchmark_real", lang, label=fitted.label or "—", n=fitted.n_used, date=fitted.settings.get("fitted_at", "") or "—")


def recommendation_items(score: FirmScore, answers: dict, lang: str) -> list[tuple[str, str, str]]:
    """(heading, action, source line) per recommendation."""
    out = []
    for rec in recommend(score, answers):
        heading = f"{construct_name(rec.construct, lang)} · {rec.title(lang)}"
        out.append((heading, rec.action(lang), f"{t('source', lang)}{'：' if lang == 'zh' else ': '}{source_text(rec.source, lang)}"))
    return out


def _bracket(text: str, aside: str, lang: str) -> str:
    """'4.27 (+0.06)', with full-width brackets in Chinese: '4.27（+0.06）'."""
    return f"{text}（{aside}）" if lang == "zh" else f"{text} ({aside})"


def is_quick(answers: Mapping) -> bool:
    """Quick mode: the firm typed its five construct scores; no item answers exist."""
    return not any(answers.get(c) is not None for c in ITEM_COLUMNS)


def answers_section(answers: Mapping, lang: str) -> tuple[str, list[str], list[list[str]]]:
    """The firm's own answers: a line naming the mode, then (header, rows) — each item with its wording and
    answer 1–5, or in quick mode each construct with the score typed."""
    if is_quick(answers):
        rows = [[construct_name(code, lang), f"{float(answers[code]):.2f}"] for code in CONSTRUCT_CODES
                if answers.get(code) is not None]
        return t("report_mode_quick", lang), [t("report_construct", lang), t("report_score_5", lang)], rows
    rows = [[f"{col} · {ITEM_BY_COLUMN[col].text(lang)}", f"{int(answers[col])}"] for col in ITEM_COLUMNS
            if answers.get(col) is not None]
    return t("report_mode_full", lang), [t("report_item", lang), t("report_answer", lang)], rows


def moved_levers(score: FirmScore, values: Mapping[str, float | None]) -> dict[str, float]:
    """The what-if levers set away from the firm's own scores (values: lever code → slider value, None if unset)."""
    return {code: float(values[code]) for code in ANTECEDENTS
            if values.get(code) is not None and abs(float(values[code]) - score.scores[code]) > 1e-9}


def whatif_section(score: FirmScore, fitted: FittedModel, moved: Mapping[str, float],
                   lang: str) -> tuple[list[str], list[list[str]], str | None] | None:
    """The what-if scenario as (header, rows, warning): each moved lever now and in the scenario, then the expected DC
    and HQD now and predicted (cbec_core.scoring.what_if); the warning when the prediction leaves the 1–5 scale.
    None when no lever moved."""
    if not moved:
        return None
    result = what_if(fitted, score, AIGC=moved.get("AIGC"), IO=moved.get("IO"), LSC=moved.get("LSC"), DC=moved.get("DC"))
    rows = [[construct_name(code, lang), f"{score.scores[code]:.2f}", f"{value:.2f}"] for code, value in moved.items()]
    rows.append([t("report_expected_dc", lang), f"{score.dc_expected:.2f}", f"{result['DC_expected']:.2f}"])
    rows.append([t("report_expected_hqd", lang), f"{score.hqd_expected:.2f}",
                 _bracket(f"{result['HQD_expected']:.2f}", f"{result['HQD_change']:+.2f}", lang)])
    header = [t("report_lever", lang), t("report_whatif_now", lang), t("report_whatif_scenario", lang)]
    return header, rows, t("report_whatif_outside", lang) if result["extrapolated"] else None
