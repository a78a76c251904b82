"""The replication page under AppTest: the paper's Tables 1 and 2 beside the recovered figures, the inconsistencies, the label."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.i18n import t
from cbec_core.reference import PAPER, SYNTHETIC_LABEL
from cbec_core.replication import calibration_notes, replicate

DASHBOARD = str(Path(__file__).resolve().parents[2] / "app" / "dashboard.py")


@pytest.fixture(scope="module")
def expected():
    return replicate()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tables_beside_recovered_figures_and_the_inconsistencies(lang, expected):
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("app_pages/replication.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == t("nav_replication", lang)
    assert SYNTHETIC_LABEL[lang] in [w.value for w in at.warning]
    assert [s.value for s in at.subheader] == [t("rep_table1", lang), t("rep_table2", lang), t("rep_other", lang),
                                               t("rep_inconsistencies", lang, n=9)]

    table1, table2, other = (d.value for d in at.dataframe)
    figure, paper, recovered = (t(f"rep_col_{c}", lang) for c in ("figure", "paper", "recovered"))
    assert len(table1) == 25 and all(k.startswith(("alpha_", "cr_", "ave_", "corr_")) for k in expected.table["key"][:25])
    assert table1[paper].tolist() == [PAPER[k].value for k in expected.table["key"][:25]]
    assert table1[recovered].tolist() == pytest.approx(expected.table["recovered"][:25].round(3).tolist(), abs=1e-9)
    rows = expected.table_in(lang)
    t2 = rows[expected.table["where"].str.startswith("Table 2")]
    assert table2[figure].tolist() == t2["figure"].tolist() and table2[paper].tolist() == t2["paper"].tolist()
    assert PAPER["h1_total"].text("label", lang) in table2[figure].tolist()
    assert table1[figure].tolist() == rows["figure"][:25].tolist()  # the body in the page's language, every table
    assert other[t("rep_col_where", lang)].tolist() == rows["where"].iloc[len(table1) + len(table2):].tolist()
    assert other[t("rep_col_note", lang)].tolist() == rows["note"].iloc[len(table1) + len(table2):].tolist()
    assert len(table1) + len(table2) + len(other) == len(expected.table)

    assert len(at.get("plotly_chart")) == 2
    captions = [c.value for c in at.caption]
    for charted in (rows.iloc[:25], t2):  # each chart's reading: how many within ±0.05, and the largest gap
        worst = charted.loc[charted["difference"].abs().idxmax()]
        assert t("rep_chart_reading", lang, close=int((charted["difference"].abs() <= 0.05).sum()), k=len(charted), tol=0.05,
                 figure=worst["figure"], paper=worst["paper"], recovered=worst["recovered"]) in captions
    assert len(at.get("download_button")) == 3
    titles = [e.label for e in at.expander]
    assert titles[:9] == [f"{i}. {inc.text('title', lang)}" for i, inc in enumerate(expected.inconsistencies, 1)]
    assert titles[0] == {"en": "1. H1's total effect and Table 1's correlation", "zh": "1. H1 的总效应与表 1 的相关系数"}[lang]
    body = " ".join(m.value for m in at.markdown)
    for inc in expected.inconsistencies:  # every text in the page's language, none in the other
        for field in ("figures", "explanation", "cohort_keeps"):
            assert inc.text(field, lang) in body
        assert inc.text("explanation", "zh" if lang == "en" else "en") not in body
    assert all(note in body for note in calibration_notes(lang))
    assert not any(note in body for note in calibration_notes("zh" if lang == "en" else "en"))
    assert "英文" not in body + t("rep_inconsistencies_intro", lang)
