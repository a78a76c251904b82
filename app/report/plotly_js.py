"""plotly.js for the HTML reports, offline and small: the bundle travels gzip-compressed and base64-encoded, once per page.

A report inlining plotly.min.js weighed ~4.9 MB; packed it is ~2 MB. The page inflates it in the browser with
DecompressionStream (current Chromium, Firefox and Safari), then draws each chart from the JSON beside its div.
Nothing is fetched from the network. A browser without DecompressionStream shows the caption `missing` instead.
"""
from __future__ import annotations

import base64
import functools
import gzip
import html
import json

import plotly.graph_objects as go
import plotly.offline

CONFIG = {"displaylogo": False, "responsive": True}


@functools.cache
def packed_plotlyjs() -> str:
    """plotly.min.js, gzip-compressed (no time stamp, so the same bundle packs to the same text) and base64-encoded."""
    return base64.b64encode(gzip.compress(plotly.offline.get_plotlyjs().encode("utf-8"), 9, mtime=0)).decode("ascii")


def chart_html(figure: go.Figure, div_id: str) -> str:
    """A chart's place in the page: its div, and its figure as JSON for the loader (no script runs here)."""
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
