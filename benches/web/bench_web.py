"""Times the web page in headless Chromium against a running `innograph serve` (run.sh
starts one on a generated scale-10 store): first paint of the page, and the ego network of
a hub with about 1,000 neighbours from navigation to drawn. Each measurement is repeated in
a fresh tab; the first ego load after the server started is reported apart ("cold": it
includes the server's one-off PageRank of the whole graph).

    python bench_web.py --url http://127.0.0.1:PORT [--repeat 5] [--hub ID]

INNOGRAPH_CHROMIUM names the browser. Prints a JSON object.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request

from playwright.sync_api import sync_playwright

# The browser test's flags (no GPU, no network beyond the page's own host).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "web"))
from browser_test import CHROMIUM_FLAGS as FLAGS  # noqa: E402


def api(base, path):
    with urllib.request.urlopen(f"{base}/api/v1/{path}", timeout=600) as r:
        return json.load(r)


def find_hub(base, want=1000):
    """The actor whose number of distinct neighbours is closest to `want` (at least it)."""
    rows = api(base, "centrality?algo=degree&top=2000&limit=2000")["items"]
    above = [r for r in rows if r["degree"] >= want]
    best = min(above or rows, key=lambda r: (abs(r["degree"] - want), r["id"]))
    return best["id"], int(best["degree"])


def first_paint(ctx, base):
    page = ctx.new_page()
    started = time.monotonic()
    page.goto(base + "/")
    page.wait_for_function("() => window.innograph && window.innograph.ready", timeout=60_000)
    wall = (time.monotonic() - started) * 1000
    fcp = page.evaluate(
        "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"
    )
    rendered = page.evaluate("() => window.innograph.firstPaintMs")
    page.close()
    return {"fcp_ms": fcp, "overview_rendered_ms": rendered, "wall_ms": wall}


def ego(ctx, base, hub):
    page = ctx.new_page()
    page.goto(base + "/#/search")
    page.wait_for_function("() => window.innograph && window.innograph.ready", timeout=60_000)
    t0 = page.evaluate(
        "(id) => { const t = performance.now(); window.location.hash = '#/actor/' + encodeURIComponent(id); return t; }",
        hub,
    )
    page.wait_for_function("() => window.innograph.graphs.ego", timeout=120_000)
    info = page.evaluate(
        "() => { const g = window.innograph.graphs.ego; return {nodes: g.nodes, edges: g.edges, draw_ms: g.ms, at: g.at}; }"
    )
    sampled = page.locator("#ego .message.note").count() > 0
    page.close()
    return {
        "total_ms": info["at"] - t0,
        "draw_ms": info["draw_ms"],
        "nodes": info["nodes"],
        "edges": info["edges"],
        "sampled_note_shown": sampled,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--hub")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    chromium = os.environ.get("INNOGRAPH_CHROMIUM")
    if not chromium:
        sys.exit("INNOGRAPH_CHROMIUM is not set")
    hub, degree = (args.hub, None) if args.hub else find_hub(base)
    result = {"hub": hub, "hub_degree": degree, "loadavg": open("/proc/loadavg").read().split()[:3]}
    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="innograph-bench-") as profile:
        ctx = p.chromium.launch_persistent_context(
            profile, executable_path=chromium, headless=True, args=FLAGS, viewport={"width": 1440, "height": 1000}
        )
        result["ego_cold"] = ego(ctx, base, hub)
        paints = [first_paint(ctx, base) for _ in range(args.repeat)]
        egos = [ego(ctx, base, hub) for _ in range(args.repeat)]
        ctx.close()
    med = lambda xs: statistics.median(xs)
    result["first_paint"] = {
        "fcp_ms_median": med([x["fcp_ms"] for x in paints]),
        "overview_rendered_ms_median": med([x["overview_rendered_ms"] for x in paints]),
        "runs": paints,
    }
    result["ego_warm"] = {
        "total_ms_median": med([x["total_ms"] for x in egos]),
        "draw_ms_median": med([x["draw_ms"] for x in egos]),
        "runs": egos,
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
