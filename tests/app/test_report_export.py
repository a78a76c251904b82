"""Report export: the self-contained HTML page and the PDF carry the page's content, in both languages.

HTML: every chart's reading and the construct names, the synthetic label iff the benchmark is synthetic,
the partial plotly.js bundle packed inline exactly once (drawn in a real chromium, offline) and nothing fetched
from the network, user text escaped, a parseable file.
PDF: a real PDF whose extracted text holds the readings (and Chinese for zh), the synthetic label iff
synthetic, built in under a second.
"""
from __future__ import annotations

import base64
import gzip
import html
import io
import re
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import plotly.graph_objects as go
import plotly.offline
import pytest
from pypdf import PdfReader

from app.charts.firm import results_charts
from app.i18n import construct_name, source_text, t
from app.report.content import moved_levers, readings
from app.report.html import html_report
from app.report.pdf import pdf_report
from app.report.plotly_js import BUNDLE, TRACES, bundle_js, chart_html, packed_plotlyjs
from cbec_core.instrument import CONSTRUCT_CODES, ITEM_COLUMNS
from cbec_core.model import fit
from cbec_core.recommendations import recommend
from cbec_core.reference import SYNTHETIC_LABEL
from cbec_core.scoring import score_firm

LANGS = ("en", "zh")
HOSTILE = "<script>alert('x')</script> & \"co\""


@pytest.fixture(scope="module")
def models(survey):  # survey = conftest.simulate_survey(312, seed=3)
    return {False: fit(survey, bootstrap=200, seed=11, label="Test survey <2025>"),
            True: fit(survey, bootstrap=200, seed=11, synthetic=True, label="synthetic")}


@pytest.fixture(scope="module")
def answers(survey):
    a = {k: int(v) for k, v in survey.iloc[7][list(ITEM_COLUMNS)].items()}
    return a | {"firm_size": 120, "firm_age": 6, "region": "east", "business_model": "B2C", "pilot_zone": 1,
                "province": "Zhejiang", "zone": HOSTILE}


@pytest.fixture(scope="module")
def reports(models, answers):
    """(html bytes, charts, pdf bytes, score) per (synthetic, lang)."""
    out = {}
    for synthetic, fitted in models.items():
        score = score_firm(answers, fitted, segment="region=east")
        for lang in LANGS:
            charts = results_charts(score, fitted, lang)
            out[synthetic, lang] = (html_report(score, fitted, answers, charts, lang).decode("utf-8"), charts,
                                    pdf_report(score, fitted, answers, lang), score)
    return out


def _squash(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines wherever the layout wrapped them."""
    return re.sub(r"\s+", "", text)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Collector:
    parser = _Collector()
    parser.feed(page)
    parser.close()
    return parser


# ---- HTML ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_html_has_every_reading_construct_name_and_section(reports, lang):
    page, charts, _, score = reports[False, lang]
    assert set(charts) == {"scores", "radar", "expected", "theta", "ipma"}
    for _, reading in charts.values():
        assert html.escape(reading) in page
    for code in (*CONSTRUCT_CODES, "HQD_fin", "HQD_inn", "HQD_sus"):
        assert html.escape(construct_name(code, lang)) in page
    for key in ("controls", "recommendations", "chart_expected_title"):
        assert html.escape(t(key, lang)) in page
    assert f"{score.hqd_expected:.2f}" in page and f"{score.theta:.3f}" in page
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in page
    other = "zh" if lang == "en" else "en"
    assert html.escape(construct_name("LSC", other)) not in page


@pytest.mark.parametrize("lang", LANGS)
def test_html_lists_the_recommendations_with_sources(reports, answers, lang):
    page, _, _, score = reports[False, lang]
    recs = recommend(score, answers)
    assert recs, "the test firm should get at least one recommendation"
    for rec in recs:
        for text in (rec.title(lang), rec.action(lang), source_text(rec.source, lang)):
            assert html.escape(text) in page


@pytest.mark.parametrize("lang", LANGS)
def test_html_synthetic_label_appears_iff_synthetic(reports, models, lang):
    synthetic_page = reports[True, lang][0]
    real_page = reports[False, lang][0]
    assert html.escape(SYNTHETIC_LABEL[lang]) in synthetic_page
    assert 'class="synthetic"' in synthetic_page
    for label in SYNTHETIC_LABEL.values():
        assert html.escape(label) not in real_page
    assert 'class="synthetic"' not in real_page
    assert html.escape(t("benchmark_real", lang, label="Test survey <2025>", n=312,
                               date=models[False].settings["fitted_at"])) in real_page


@pytest.mark.parametrize("synthetic", (False, True))
def test_html_packs_plotly_once_and_loads_nothing_from_the_network(reports, synthetic):
    page, charts, _, _ = reports[synthetic, "en"]
    packed = packed_plotlyjs()
    assert page.count(packed) == 1  # plotly.js, packed inline, once
    assert gzip.decompress(base64.b64decode(packed)).decode("utf-8") == bundle_js()
    assert bundle_js()[:2000] not in page and plotly.offline.get_plotlyjs()[:2000] not in page  # nothing unpacked
    assert page.count("data-plotly=") == len(charts)
    assert len(page.encode("utf-8")) < 800_000  # was ~4.9 MB with the whole plotly.min.js inline
    rest = page.replace(packed, "")
    assert "http://" not in rest and "https://" not in rest and "cdn." not in rest
    parsed = _parse(page)  # the parser keeps script bodies as data, so these are the page's real tags
    for tag, attrs in parsed.tags:
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
        assert tag not in ("link", "iframe", "img", "object", "embed", "base")


def _drawn_offline(paths: list[Path]) -> list[tuple[str, list[str], list[str]]]:
    """Each file's (chart state, chart ids, ids drawn) in chromium with every request beyond the file refused."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.browsing import ARGS, CHROMIUM, charts_drawn_offline
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run `apt-get install chromium`", pytrace=False)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            return [charts_drawn_offline(browser, path) for path in paths]
        finally:
            browser.close()


def test_reports_draw_every_chart_in_chromium_offline(reports, models, tmp_path):
    """The packed plotly.js inflates and draws every chart in a real browser with no network (firm and cohort)."""
    from app.report.workshop import cohort_html
    from cbec_core.cohort import cohort_summary
    from cbec_core.scoring import score_firms
    from tests.conftest import simulate_survey

    fitted = models[False]
    cohort = score_firms(simulate_survey(12, seed=5), fitted).assign(firm_key=[f"K{i:07d}" for i in range(12)])
    files = {"firm-en.html": reports[False, "en"][0].encode("utf-8"), "firm-zh.html": reports[True, "zh"][0].encode("utf-8"),
             "cohort-en.html": cohort_html("Bench", cohort_summary(cohort, fitted.distributions["all"]["scores"]), fitted, "en")}
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    seen = _drawn_offline(paths)
    for name, (state, ids, drawn) in zip(files, seen):
        assert state == "drawn", name
        assert ids and drawn == ids, (name, ids, drawn)
    assert seen[0][1] == [f"chart-{key}" for key in reports[False, "en"][1]]


def test_the_bundle_is_plotlys_own_version_with_the_traces_the_reports_draw(models, reports):
    """The partial bundle is the plotly.js that plotly (Python) writes figures for, and registers every trace type a
    firm or cohort chart uses; a chart of another type is refused with what to do, not left blank in the file."""
    from app.charts.workshop import cohort_charts
    from cbec_core.cohort import cohort_summary
    from cbec_core.scoring import score_firms
    from tests.conftest import simulate_survey

    assert re.match(r"/\*! plotly\.js v([\d.]+) ", bundle_js()).group(1) == plotly.offline.get_plotlyjs_version()
    entry = (BUNDLE.parent / "entry.js").read_text()
    assert set(re.findall(r"require\('plotly\.js/lib/(\w+)'\)", entry)) - {"core"} | {"scatter"} == TRACES
    fitted = models[False]
    cohort = score_firms(simulate_survey(12, seed=5), fitted).assign(firm_key=[f"K{i:07d}" for i in range(12)])
    figures = [f for f, _ in reports[False, "en"][1].values()]
    figures += [f for f, _ in cohort_charts(cohort_summary(cohort, fitted.distributions["all"]["scores"]), fitted, "en").values()]
    assert {trace.type for figure in figures for trace in figure.data} <= TRACES
    with pytest.raises(ValueError, match="no heatmap trace: add it to app/report/plotly_bundle/entry.js"):
        chart_html(go.Figure(go.Heatmap(z=[[1, 2]])), "chart-x")


def test_html_escapes_user_text(reports):
    page = reports[False, "en"][0]
    assert HOSTILE not in page
    assert html.escape(HOSTILE) in page
    assert html.escape("Test survey <2025>") in page and "Test survey <2025>" not in page


@pytest.mark.parametrize("lang", LANGS)
def test_html_file_parses_and_round_trips(reports, tmp_path, lang):
    page, charts, _, _ = reports[True, lang]
    path = tmp_path / f"report-{lang}.html"
    path.write_bytes(page.encode("utf-8"))
    again = path.read_bytes().decode("utf-8")
    assert again == page
    parsed = _parse(again)
    names = [tag for tag, _ in parsed.tags]
    assert names[0] == "html" and names.count("figure") == len(charts) and names.count("title") == 1
    assert ("meta", {"charset": "utf-8"}) in parsed.tags
    ids = [a.get("id") for tag, a in parsed.tags if tag == "div" and a.get("class") == "plotly-graph-div"]
    assert ids == [f"chart-{key}" for key in charts]
    visible = "".join(parsed.text)
    assert SYNTHETIC_LABEL[lang] in visible


# ---- PDF -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_pdf_holds_the_readings_and_content(reports, models, answers, lang):
    _, charts, data, score = reports[False, lang]
    assert data.startswith(b"%PDF-")
    text = _squash(_pdf_text(data))
    for key, (_, reading) in charts.items():
        assert _squash(reading) in text, key
    assert readings(score, models[False], lang) == {k: r for k, (_, r) in charts.items()}
    for code in CONSTRUCT_CODES:
        assert _squash(construct_name(code, lang)) in text
    for rec in recommend(score, answers):
        assert _squash(rec.title(lang)) in text and _squash(source_text(rec.source, lang)) in text
    assert _squash(HOSTILE) in text  # escaped for reportlab's markup, shown as typed


def test_pdf_in_chinese_has_chinese_text(reports):
    text = _pdf_text(reports[False, "zh"][2])
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 200
    squashed = _squash(text)
    for phrase in ("高质量发展", "动态能力", "下一步行动建议", "AIGC采纳", "浙江"):  # the province in Chinese
        assert phrase in squashed
    assert re.search(r"\d+\.\d{2}", text)  # digits survive in the Chinese report


def _fonts(data: bytes) -> dict[str, bool]:
    """Every font the PDF uses: its base name → whether the file embeds it (a FontFile, FontFile2 or FontFile3)."""
    found = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            found[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


def test_pdf_in_chinese_embeds_every_font_it_uses(reports):
    """No font left to the reader (a reader without Adobe's Asian font pack would draw boxes)."""
    fonts = _fonts(reports[False, "zh"][2])
    assert any("NotoSansCJKsc" in name for name in fonts), fonts
    assert all(fonts.values()), fonts


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils is not installed")
def test_pdffonts_lists_the_chinese_font_as_embedded(reports, tmp_path):
    path = tmp_path / "report-zh.pdf"
    path.write_bytes(reports[False, "zh"][2])
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows and any("NotoSansCJKsc" in row for row in rows)
    assert all(row.split()[-5] == "yes" for row in rows), rows  # the "emb" column


def test_the_embedded_font_draws_every_chinese_label():
    """Every character of the Chinese catalog and of the Chinese recommendations has a glyph in the font."""
    from babel.messages.pofile import read_po
    from reportlab.pdfbase.ttfonts import TTFont

    from app.i18n import LOCALE_DIR
    from app.report.pdf_text import CJK_FONT_FILE
    from cbec_core.recommendations import RECOMMENDATIONS

    with (LOCALE_DIR / "zh" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        text = "".join(m.string for m in read_po(fh) if m.id)
    text += "".join(rec.title("zh") + rec.action("zh") for rec in RECOMMENDATIONS)
    cmap = TTFont("check", str(CJK_FONT_FILE)).face.charToGlyph
    missing = sorted({ch for ch in text if ord(ch) not in cmap and not ch.isspace()})
    assert missing == []


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_synthetic_label_appears_iff_synthetic(reports, lang):
    synthetic_text = _squash(_pdf_text(reports[True, lang][2]))
    real_text = _squash(_pdf_text(reports[False, lang][2]))
    assert _squash(SYNTHETIC_LABEL[lang]) in synthetic_text
    for label in SYNTHETIC_LABEL.values():
        assert _squash(label) not in real_text


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_builds_in_under_a_second(models, answers, lang):
    fitted = models[True]
    score = score_firm(answers, fitted)
    pdf_report(score, fitted, answers, lang)  # warm: fonts registered, modules loaded
    start = time.perf_counter()
    data = pdf_report(score, fitted, answers, lang)
    assert time.perf_counter() - start < 1.0
    assert data.startswith(b"%PDF-")


# ---- the firm key, the answers and the what-if scenario --------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_reports_carry_the_key_the_answers_and_the_scenario(models, answers, lang):
    from cbec_core.instrument import ITEM_BY_COLUMN
    from cbec_core.scoring import what_if

    fitted = models[False]
    score = score_firm(answers, fitted)
    moved = moved_levers(score, {"AIGC": score.scores["AIGC"], "IO": 4.5, "LSC": score.scores["LSC"] + 0.5})
    assert set(moved) == {"IO", "LSC"}  # AIGC stayed where the firm is
    page = html_report(score, fitted, answers, results_charts(score, fitted, lang), lang, firm_key="K7M2Q9XD",
                       whatif=moved).decode("utf-8")
    expected = what_if(fitted, score, IO=4.5, LSC=score.scores["LSC"] + 0.5)
    section = page[page.index('<section id="whatif">'):]
    section = section[:section.index("</section>")]
    assert html.escape(t("report_firm_key", lang, key="K7M2Q9XD")) in page
    hqd = (f"{expected['HQD_expected']:.2f}（{expected['HQD_change']:+.2f}）" if lang == "zh"
           else f"{expected['HQD_expected']:.2f} ({expected['HQD_change']:+.2f})")
    assert hqd in section
    assert f"{expected['DC_expected']:.2f}" in section and "4.50" in section
    assert html.escape(construct_name("IO", lang)) in section and html.escape(construct_name("AIGC", lang)) not in section
    assert html.escape(t("report_mode_full", lang)) in page
    for column in ITEM_COLUMNS:
        assert html.escape(f"{column} · {ITEM_BY_COLUMN[column].text(lang)}") in page
    text = _squash(_pdf_text(pdf_report(score, fitted, answers, lang, firm_key="K7M2Q9XD", whatif=moved)))
    for phrase in (t("report_firm_key", lang, key="K7M2Q9XD"), t("report_mode_full", lang), t("whatif_title", lang),
                   hqd, ITEM_BY_COLUMN["HQD6"].text(lang)):
        assert _squash(phrase) in text, phrase


@pytest.mark.parametrize("lang", LANGS)
def test_reports_leave_out_key_and_scenario_when_there_are_none(reports, lang):
    page, _, data, _ = reports[False, lang]
    assert 'id="whatif"' not in page and html.escape(t("report_whatif_intro", lang)) not in page
    assert html.escape(t("report_firm_key", lang, key="X")).split("X")[0] not in page
    assert _squash(t("report_whatif_intro", lang)) not in _squash(_pdf_text(data))


@pytest.mark.parametrize("lang", LANGS)
def test_quick_mode_report_lists_the_five_scores_typed(models, lang):
    quick = {"AIGC": 4.2, "DC": 3.6, "IO": 2.8, "LSC": 3.0, "HQD": 3.9, "firm_size": 40, "region": "west"}
    fitted = models[True]
    score = score_firm(quick, fitted)
    page = html_report(score, fitted, quick, results_charts(score, fitted, lang), lang).decode("utf-8")
    section = page[page.index('<section id="answers">'):]
    section = section[:section.index("</section>")]
    assert html.escape(t("report_mode_quick", lang)) in section
    for code in CONSTRUCT_CODES:
        assert f"<td>{html.escape(construct_name(code, lang))}</td><td class=\"num\">{quick[code]:.2f}</td>" in section
    assert "AIGC1" not in section
    text = _squash(_pdf_text(pdf_report(score, fitted, quick, lang)))
    assert _squash(t("report_mode_quick", lang)) in text and "4.20" in text
