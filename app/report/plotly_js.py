"""plotly.js for the HTML reports, offline and small: a partial bundle, gzip-compressed and base64-encoded, once per page.

A report inlining the whole plotly.min.js weighed ~4.9 MB. The reports inline instead plotly_bundle/plotly-cbec.min.js:
the same plotly.js version with only the trace types they draw (TRACES; built from the npm registry by
plotly_bundle/build.sh), packed: ~0.6 MB a report. The page inflates it in the browser with DecompressionStream
(current Chromium, Firefox and Safari), then draws each chart from the JSON beside its div. Nothing is fetched from
the network. A browser without DecompressionStream shows the caption `missing` instead.
"""
from __future__ import annotations

import base64
import functools
import gzip
import html
import json
from pathlib import Path

import plotly.graph_objects as go

CONFIG = {"displaylogo": False, "responsive": True}
BUNDLE = Path(__file__).with_name("plotly_bundle") / "plotly-cbec.min.js"
TRACES = frozenset({"scatter", "bar", "box", "contour", "scatterpolar"})
"""The trace types in the bundle (plotly_bundle/entry.js registers them; scatter is in plotly's core)."""


def bundle_js() -> str:
    """The partial plotly.js bundle the reports inline."""
    return BUNDLE.read_text(encoding="utf-8")


@functools.cache
def packed_plotlyjs() -> str:
    """The bundle gzip-compressed (no time stamp, so the same bundle packs to the same text) and base64-encoded."""
    return base64.b64encode(gzip.compress(bundle_js().encode("utf-8"), 9, mtime=0)).decode("ascii")


def chart_html(figure: go.Figure, div_id: str) -> str:
    """A chart's place in the page: its div, and its figure as JSON for the loader (no script runs here).

    Raises ValueError for a trace type the bundle lacks (the chart would not draw): add it to plotly_bundle/entry.js
    and TRACES, and run plotly_bundle/build.sh.
    """
    missing = sorted({trace.type for trace in figure.data} - TRACES)
    if missing:
        raise ValueError(f"the reports' plotly.js bundle has no {', '.join(missing)} trace: add it to "
                         "app/report/plotly_bundle/entry.js and TRACES in app/report/plotly_js.py, then run build.sh")
    height = figure.layout.height or 450
    spec = figure.to_json().replace("</", "<\\/")  # a JSON string cannot end the script element early
    div_id = html.escape(div_id, quote=True)
    return (f"<div id=\"{div_id}\" class=\"plotly-graph-div\" style=\"height:{height}px;width:100%\"></div>"
            f"<script type=\"application/json\" data-plotly=\"{div_id}\">{spec}</script>")


def loader_html(missing: str) -> str:
    """Once per page, after the last chart: the packed bundle, its inflater, and `missing` for a browser that cannot."""
    script = (
        "(async()=>{const specs=document.querySelectorAll('script[type=\"application/json\"][data-plotly]');"
        "if(!specs.length)return;const note=document.getElementById('plotly-missing');"
        "try{if(typeof DecompressionStream==='undefined')throw new Error('no DecompressionStream');"
        f"const packed='{packed_plotlyjs()}';"
        "const bytes=Uint8Array.from(atob(packed),c=>c.charCodeAt(0));"
        "const text=await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();"
        "const lib=document.createElement('script');lib.textContent=text;document.head.appendChild(lib);"
        f"const config={json.dumps(CONFIG)};"
        "for(const spec of specs){const fig=JSON.parse(spec.textContent);"
        "await Plotly.newPlot(spec.dataset.plotly,fig.data,fig.layout,config);}"
        "document.body.dataset.charts='drawn';"
        "}catch(err){note.hidden=false;document.body.dataset.charts='failed';}})();"
    )
    return f"<p id=\"plotly-missing\" hidden>{html.escape(missing)}</p><script>{script}</script>"
