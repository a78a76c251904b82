"""The manager's self-assessment in a real browser, on a laptop (1366×768) and a phone (390×844, touch), in both
languages (issue 14): the page lands on the results after "See my results", says which peer group and how many
firms, bounds the what-if to the 1–5 scale, and on a phone keeps every 1–5 row on one line with 44 px tap
targets, chart titles clear of plotly's mode bar and the radar's and IPMA's labels inside their charts.

One server for the module and one page load per case (the questionnaire is filled once per case).
"""
from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from browsing import fill_questionnaire, radio, select
from playwright.sync_api import Page, expect

from app.i18n import construct_name, t
from app.report.content import segment_label
from cbec_core.disclosure import MIN_FIRMS
from cbec_core.instrument import ITEM_BY_COLUMN
from cbec_core.population import segment_key
from db.fits import active_fit_id, get_fit

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
CHARTS = 'div[data-testid="stPlotlyChart"]'
RADAR, IPMA = 1, 4  # the results charts' order: scores, radar, expected, theta, IPMA


def served_benchmark(data_dir: Path):
    """The benchmark the served dashboard compares with, read from its store (seeded by the first page load)."""
    url = f"sqlite:///{Path(data_dir) / 'cbec.sqlite'}"
    return get_fit(active_fit_id(url=url), url=url)


def settle(page: Page) -> None:
    """Wait for the app's rerun to finish (Streamlit's running indicator gone) so charts are not redrawn under a check."""
    page.wait_for_timeout(300)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=30_000)
    page.wait_for_timeout(300)


def assert_landed(page: Page) -> None:
    """The results heading in the top third of the viewport: the page was taken there, not left at the form's end."""
    settle(page)
    page.wait_for_timeout(500)  # the jump's second scroll, once the folded form has settled
    top, bottom, height = page.evaluate(
        "() => { const r = document.getElementById('results').getBoundingClientRect(); return [r.top, r.bottom, innerHeight] }")
    assert 0 <= top < height / 3 and bottom <= height, (top, bottom, height)


def results_page(browser, server: str, lang: str, device: dict) -> Page:
    """A fresh visitor's page with the questionnaire filled and submitted."""
    page = browser.new_context(**device).new_page()
    page.goto(f"{server}/?lang={lang}", wait_until="networkidle")
    fill_questionnaire(page, lang)
    return page


def assert_results_in_view(page: Page, lang: str) -> None:
    """The results heading sits inside the viewport after submitting, with no scrolling by the test."""
    heading = page.locator("h2#results")
    expect(heading).to_have_text(t("results", lang))
    assert_landed(page)
    # the form folded behind "Edit your answers", which opens it again
    edit = page.get_by_text(t("edit_answers", lang), exact=True)
    expect(edit).to_be_visible()


def assert_edit_and_jump_again(page: Page, lang: str) -> None:
    """"Edit your answers" opens the form with the answers kept; a changed answer submitted lands on the results again."""
    page.get_by_text(t("edit_answers", lang), exact=True).click()
    item = "AIGC1" if lang == "en" else ITEM_BY_COLUMN["AIGC1"].text(lang)
    options = page.locator('div[data-testid="stRadio"]').filter(has_text=item).first.locator("input[type=radio]")
    expect(options.nth(4)).to_be_checked()  # ANSWERS in browsing.py gives AIGC1 a 5
    radio(page, item, 3)
    page.get_by_role("button", name=t("submit", lang)).click()
    expect(options.nth(2)).to_be_checked()
    assert_landed(page)


def assert_peer_sentence(page: Page, fitted, lang: str) -> None:
    """The peer group and its firm count in words, for the whole benchmark and for the firm's region."""
    main = page.locator('[data-testid="stMain"]')
    everyone = t("peer_group", lang, n=fitted.distributions["all"]["n"], segment=segment_label("all", lang)).replace("**", "")
    expect(main.get_by_text(everyone)).to_be_visible()
    select(page, t("peer_segment", lang), t("segment_region", lang))
    settle(page)
    region = segment_key("region", "east")
    n = fitted.distributions[region]["n"]
    assert n >= MIN_FIRMS
    sentence = t("peer_group", lang, n=n, segment=segment_label(region, lang)).replace("**", "")
    expect(main.get_by_text(sentence)).to_be_visible(timeout=20_000)


def assert_what_if_bounded(page: Page, lang: str) -> None:
    """No change before a slider moves; all sliders at 5 give a warning and no expected value above 5."""
    panel = page.locator('div[data-testid="stVerticalBlock"]').filter(
        has=page.get_by_role("heading", name=t("whatif_title", lang))).last
    panel.get_by_role("heading", name=t("whatif_title", lang)).scroll_into_view_if_needed()
    metric = panel.locator('[data-testid="stMetric"]').first
    expect(metric).to_be_visible()
    assert metric.locator('[data-testid="stMetricDelta"]').count() == 0
    expect(panel.get_by_text(t("whatif_capped", lang))).to_have_count(0)
    for code in ("AIGC", "IO", "LSC", "DC"):
        slider = panel.locator('div[data-testid="stSlider"]').filter(has_text=construct_name(code, lang)).get_by_role("slider")
        slider.focus()
        slider.press("End")
        expect(slider).to_have_value("5", timeout=20_000)
        settle(page)  # the fragment reruns after each move
    expect(panel.get_by_text(t("whatif_capped", lang))).to_be_visible(timeout=20_000)
    expect(metric.locator('[data-testid="stMetricDelta"]')).to_be_visible()
    shown = [float(v.replace(",", "")) for v in re.findall(r"\d+(?:[.,]\d+)?", metric.locator('[data-testid="stMetricValue"]').inner_text())]
    assert shown and max(shown) <= 5.0, shown
    caption = panel.locator('[data-testid="stCaptionContainer"]').last.inner_text()
    values = [float(v) for v in re.findall(r"(?<![+\-−\d])\d\.\d\d", caption)]
    assert values and max(values) <= 5.0, caption


def boxes(page: Page, script: str):
    return page.evaluate(script)


TITLES_AND_MODEBARS = """() => [...document.querySelectorAll('div[data-testid="stPlotlyChart"] .js-plotly-plot')].map(plot => {
  const box = e => { if (!e) return null; const r = e.getBoundingClientRect();
                     return getComputedStyle(e).display === 'none' || r.width === 0 ? null : [r.left, r.top, r.right, r.bottom]; };
  const bar = plot.querySelector('.modebar');
  const shown = bar && getComputedStyle(bar).opacity !== '0' && plot.querySelector('.modebar-container')
                && getComputedStyle(plot.querySelector('.modebar-container')).display !== 'none';
  return {title: box(plot.querySelector('.gtitle')), modebar: shown ? box(bar) : null,
          svg: box(plot.querySelector('svg.main-svg'))};
})"""


def assert_titles_clear(page: Page) -> None:
    """Every chart's title lies inside its chart and is not covered by plotly's mode bar while the chart is hovered."""
    charts = page.locator(CHARTS)
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        chart.hover()  # plotly shows its mode bar while the pointer is over the chart
        page.wait_for_timeout(150)
        found = boxes(page, TITLES_AND_MODEBARS)[i]
        title, bar = found["title"], found["modebar"]
        assert title, f"chart {i} has no title"
        svg = found["svg"]
        assert svg[0] - 1 <= title[0] and title[2] <= svg[2] + 1, (i, title, svg)
        if bar:
            apart = bar[0] >= title[2] or bar[2] <= title[0] or bar[1] >= title[3] or bar[3] <= title[1]
            assert apart, (i, title, bar)


LABELS_INSIDE = """(i) => {
  const plot = document.querySelectorAll('div[data-testid="stPlotlyChart"] .js-plotly-plot')[i];
  const svg = plot.querySelector('svg.main-svg').getBoundingClientRect();
  return [...plot.querySelectorAll('svg text')].filter(e => e.textContent.trim()).map(e => {
    const r = e.getBoundingClientRect();
    return {text: e.textContent, inside: r.left >= svg.left - 1 && r.right <= svg.right + 1 && r.top >= svg.top - 1 && r.bottom <= svg.bottom + 1};
  });
}"""


def assert_labels_inside(page: Page, lang: str) -> None:
    """Every text of the radar and the IPMA chart lies within the chart's SVG, each construct's name among them."""
    for index in (RADAR, IPMA):
        page.locator(CHARTS).nth(index).scroll_into_view_if_needed()
        texts = page.evaluate(LABELS_INSIDE, index)
        assert [x["text"] for x in texts if not x["inside"]] == [], index
        shown = "".join(x["text"] for x in texts).replace(" ", "")
        for code in ("AIGC", "IO", "LSC", "DC"):
            assert construct_name(code, lang).replace(" ", "") in shown, (index, code)


LIKERT_ROWS = """() => [...document.querySelectorAll('div[data-testid="stRadioGroup"]')]
  .map(g => [...g.querySelectorAll('label[data-testid="stRadioOption"]')])
  .filter(options => options.length === 5 && options.map(o => o.innerText.trim()).join() === '1,2,3,4,5')
  .map(options => options.map(o => { const r = o.getBoundingClientRect(); return [r.top, r.width, r.height]; }))"""


def assert_likert_rows(page: Page) -> None:
    """Each of the 19 items' 1–5 options on one line, each a tap target of at least 44 × 44 px."""
    rows = page.evaluate(LIKERT_ROWS)
    assert len(rows) == 19
    for row in rows:
        assert max(top for top, _, _ in row) - min(top for top, _, _ in row) < 1, row
        assert all(w >= 44 and h >= 44 for _, w, h in row), row


def png_size(path: Path) -> tuple[int, int]:
    """A PNG's width and height from its header."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_laptop_results_peers_and_bounded_what_if(browser, server, data_dir, lang):
    page = results_page(browser, server, lang, LAPTOP)
    fitted = served_benchmark(data_dir)
    try:
        assert_results_in_view(page, lang)
        assert_peer_sentence(page, fitted, lang)
        assert_labels_inside(page, lang)
        assert_titles_clear(page)
        assert_what_if_bounded(page, lang)
        assert_edit_and_jump_again(page, lang)
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_phone_layout_and_results(browser, server, data_dir, lang, tmp_path):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        page.goto(f"{server}/?lang={lang}", wait_until="networkidle")
        page.wait_for_function(f"() => ({LIKERT_ROWS})().length === 19", timeout=30_000)  # the form streams in
        assert_likert_rows(page)
        page.get_by_text(t("likert_anchors", lang), exact=True).first.scroll_into_view_if_needed()
        form = tmp_path / f"phone_form_{lang}.png"
        page.screenshot(path=form)
        assert png_size(form) == (390 * 2, 844 * 2)
        in_shot = [row for row in page.evaluate(LIKERT_ROWS) if 0 <= row[0][0] and row[0][0] + row[0][2] <= 844]
        assert len(in_shot) >= 2  # the screenshot shows whole 1–5 rows (each on one line, checked above)
        fill_questionnaire(page, lang)
        assert_results_in_view(page, lang)
        fitted = served_benchmark(data_dir)
        shot = tmp_path / f"phone_results_{lang}.png"
        page.screenshot(path=shot)
        assert png_size(shot) == (390 * 2, 844 * 2)
        # the page itself never grows wider than the phone (nothing pushes a horizontal scroll)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        assert_peer_sentence(page, fitted, lang)
        assert_labels_inside(page, lang)
        assert_titles_clear(page)
        for index, name in ((RADAR, "radar"), (IPMA, "ipma")):
            chart = page.locator(CHARTS).nth(index)
            path = tmp_path / f"phone_{name}_{lang}.png"
            chart.screenshot(path=path)
            width, _ = png_size(path)
            assert width <= 390 * 2 and width == round(chart.bounding_box()["width"] * 2)
    finally:
        context.close()
