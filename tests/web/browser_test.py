"""Drives the innograph web page in headless Chromium (Playwright) against a running
`innograph serve` over the Shanghai fixtures, as a planner would: search 上海交通大学, open
its card, check the ego network drew its neighbours (counted in the page's state), open
gaps, partners, coverage, hubs and the planners' questions, switch language, and look at the HTML report. Fails on
any console error, any request to another host, any check that does not hold. Saves a
screenshot of each view.

Run by tests/web_e2e.rs:
    python browser_test.py --url http://127.0.0.1:PORT --shots DIR [--report FILE]
with INNOGRAPH_CHROMIUM naming the browser. Prints one JSON line of measurements last.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from urllib.parse import unquote, urlparse

from playwright.sync_api import sync_playwright

# The flags every browser run here uses (no GPU, no network beyond the page's own host).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

TIMEOUT_MS = 30_000


class Checks:
    """Collects failed checks instead of stopping at the first, so one run shows them all."""

    def __init__(self):
        self.failures = []

    def check(self, ok, what):
        status = "ok  " if ok else "FAIL"
        print(f"[browser] {status} {what}", flush=True)
        if not ok:
            self.failures.append(what)


def launch(playwright, profile):
    chromium = os.environ.get("INNOGRAPH_CHROMIUM")
    if not chromium:
        sys.exit("INNOGRAPH_CHROMIUM is not set")
    return playwright.chromium.launch_persistent_context(
        profile,
        executable_path=chromium,
        headless=True,
        args=CHROMIUM_FLAGS,
        viewport={"width": 1440, "height": 1000},
        locale="zh-CN",
    )


def wait_ready(page, view, renders_before):
    """Waits until the page has finished rendering `view` after `renders_before` renders."""
    page.wait_for_function(
        "([view, n]) => window.innograph && window.innograph.ready"
        " && window.innograph.view === view && window.innograph.renders > n",
        arg=[view, renders_before],
        timeout=TIMEOUT_MS,
    )


def renders(page):
    return page.evaluate("() => window.innograph ? window.innograph.renders : 0")


def navigate(page, hash_, view):
    n = renders(page)
    page.evaluate("(h) => { window.location.hash = h; }", hash_)
    wait_ready(page, view, n)


def api(page, path):
    return page.evaluate(
        "async (p) => { const r = await fetch('/api/v1/' + p); return [r.status, await r.json()]; }",
        path,
    )


def unit_checks(page, c):
    """The page's pure data-shaping modules, called in the browser with known inputs."""
    result = page.evaluate(
        """async () => {
        const shape = await import('/assets/js/shape.js');
        const i18n = await import('/assets/js/i18n.js');
        const out = {};
        const edges = [
          {kind: 'operates', other: {id: 'p1'}}, {kind: 'funds', other: {id: 'f1'}},
          {kind: 'operates', other: {id: 'p2'}}, {kind: 'located_in', other: {id: 'd1'}},
          {kind: 'funds', other: {id: 'f2'}}, {kind: 'operates', other: {id: 'p3'}},
        ];
        out.groups = shape.groupEdges(edges).map(g => [g.kind, g.items.map(e => e.other.id)]);
        const hist = {bins: [{lo: 0, hi: 1, count: 2}, {lo: 1, hi: 2, count: 8}, {lo: 2, hi: 3, count: 0}], min: 0, max: 3, count: 10};
        out.hist = shape.histogramBars(hist, 300, 100).map(b => [b.x, b.height]);
        out.sizes = [shape.nodeSize(null, 0, 1), shape.nodeSize(0, 0, 1), shape.nodeSize(1, 0, 1), shape.nodeSize(0.25, 0, 1)];
        const ego = {
          center: 'c', depth: 2, sampled: true, reachable: [1, 3, 10], returned: [1, 3, 2],
          nodes: [
            {id: 'c', kind: 'university', name: '中心', name_en: 'Centre', hop: 0, pagerank: 0.4},
            {id: 'a', kind: 'enterprise', name: '甲', name_en: null, hop: 1, pagerank: 0.2},
            {id: 'b', kind: 'enterprise', name: '乙', name_en: 'B', hop: 1, pagerank: 0.1},
            {id: 'd', kind: 'platform', name: '丁', name_en: 'D', hop: 1, pagerank: null},
            {id: 'x', kind: 'field', name: '戊', name_en: 'X', hop: 2, pagerank: 0.05},
            {id: 'y', kind: 'enterprise', name: '己', name_en: 'Y', hop: 2, pagerank: 0.01},
          ],
          edges: [{source: 'c', target: 'a', kind: 'k'}, {source: 'b', target: 'c', kind: 'k'}], edges_among: 7,
        };
        const shaped = shape.egoElements(ego, 'en', 2);
        out.ego = {
          nodes: shaped.elements.filter(e => e.group === 'nodes').length,
          edges: shaped.elements.filter(e => e.group === 'edges').length,
          legend: shaped.legend.map(l => [l.kind, l.count]),
          sampled: shaped.sampled, shown: shaped.shown, total: shaped.total,
          edgesShown: shaped.edgesShown, edgesTotal: shaped.edgesTotal,
          labels: shaped.elements.filter(e => e.group === 'nodes' && e.data.label).map(e => e.data.label),
          centre: shaped.elements[0].position,
        };
        const pos = shape.ringPositions(ego.nodes);
        const r = (id) => Math.hypot(pos.get(id).x, pos.get(id).y);
        out.rings = [r('c'), r('a'), r('b'), r('x'), r('y')].map(x => Math.round(x));
        out.paths = shape.pathElements([
          {nodes: ['u', 'p', 'e'], kinds: ['university', 'platform', 'enterprise'], names: ['U', 'P', 'E'], edges: ['operates', 'operates']},
          {nodes: ['u', 'e'], kinds: ['university', 'enterprise'], names: ['U', 'E'], edges: ['collaborates_with']},
        ]).map(e => e.group === 'nodes' ? e.data.id : `${e.data.source}>${e.data.target}`);
        out.numbers = [shape.formatNumber(3), shape.formatNumber(0.123456), shape.formatNumber(null), shape.formatNumber(1e-5)];
        out.t = [i18n.t('zh', 'rankOf', {rank: 2, of: 9, kind: '高校'}), i18n.t('en', 'rankOf', {rank: 2, of: 9, kind: 'University'}), i18n.t('en', 'no-such-key')];
        out.names = [i18n.names('zh', {id: 'i', name: '甲', name_en: 'A'}), i18n.names('en', {id: 'i', name: '甲', name_en: 'A'}), i18n.names('en', {id: 'i', name: '甲', name_en: null})];
        const stats = await (await fetch('/api/v1/stats')).json();
        out.complete = i18n.complete(Object.keys(stats.nodes), Object.keys(stats.edges));
        out.kindLabels = [i18n.kindLabel('zh', 'university'), i18n.kindLabel('en', 'university'), i18n.kindLabel('en', 'alien')];
        return out;
    }"""
    )
    c.check(
        result["groups"]
        == [["operates", ["p1", "p2", "p3"]], ["funds", ["f1", "f2"]], ["located_in", ["d1"]]],
        f"groupEdges groups by edge kind, largest first: {result['groups']}",
    )
    c.check(result["hist"] == [[0, 25], [100, 100], [200, 0]], f"histogramBars: {result['hist']}")
    sizes = result["sizes"]
    c.check(
        sizes[0] == 10 and sizes[1] == 10 and sizes[2] == 46 and abs(sizes[3] - 28) < 1e-9,
        f"nodeSize scales area with PageRank: {sizes}",
    )
    ego = result["ego"]
    c.check(
        ego["nodes"] == 6 and ego["edges"] == 2 and ego["sampled"] and ego["shown"] == 6 and ego["total"] == 14
        and ego["edgesShown"] == 2 and ego["edgesTotal"] == 7,
        f"egoElements keeps every node and edge and counts the sample: {ego}",
    )
    c.check(ego["legend"][0] == ["enterprise", 3], f"legend counts kinds, largest first: {ego['legend']}")
    c.check(sorted(ego["labels"]) == ["Centre", "甲"], f"labels: the top 2 by PageRank (Chinese name when no English one): {ego['labels']}")
    c.check(ego["centre"] == {"x": 0, "y": 0}, "the centre sits at the origin")
    rings = result["rings"]
    c.check(rings[0] == 0 and rings[1] == rings[2] and rings[3] == rings[4] and rings[3] > rings[1], f"one ring per hop: {rings}")
    c.check(result["paths"] == ["u", "p", "e", "u>p", "p>e", "u>e"], f"pathElements merges shared nodes: {result['paths']}")
    c.check(result["numbers"] == ["3", "0.1235", "–", "1.000e-5"], f"formatNumber: {result['numbers']}")
    c.check(result["t"] == ["第 2 / 9 名（高校中）", "#2 of 9 (University)", "no-such-key"], f"i18n.t fills placeholders: {result['t']}")
    c.check(
        result["names"]
        == [{"main": "甲", "other": "A"}, {"main": "A", "other": "甲"}, {"main": "甲", "other": None}],
        f"names in both languages: {result['names']}",
    )
    c.check(result["complete"], "both languages label every word and every node and edge kind in the database")
    c.check(result["kindLabels"] == ["高校", "University", "alien"], f"kind labels: {result['kindLabels']}")


def run(args):
    c = Checks()
    base = args.url.rstrip("/")
    host = urlparse(base).netloc
    shots = args.shots
    os.makedirs(shots, exist_ok=True)
    foreign, console_errors, requests = [], [], []
    expected_failures = set()

    def on_request(req):
        requests.append(req.url)
        u = urlparse(req.url)
        if u.scheme in ("http", "https", "ws", "wss") and u.netloc != host:
            foreign.append(req.url)
        if u.scheme == "file" and not args.report:
            foreign.append(req.url)

    def on_console(msg):
        if msg.type != "error":
            return
        url = unquote((msg.location or {}).get("url", ""))
        if any(url.endswith(e) for e in expected_failures) and "Failed to load resource" in msg.text:
            return
        console_errors.append(f"{msg.text} ({url})")

    measurements = {}
    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="innograph-chromium-") as profile:
        ctx = launch(p, profile)
        ctx.set_default_timeout(TIMEOUT_MS)
        page = ctx.new_page()
        page.on("request", on_request)
        page.on("console", on_console)
        page.on("pageerror", lambda e: console_errors.append(f"page error: {e}"))

        # Overview.
        started = time.monotonic()
        page.goto(base + "/")
        wait_ready(page, "search", 0)
        measurements["first_render_ms"] = page.evaluate("() => window.innograph.firstPaintMs")
        measurements["fcp_ms"] = page.evaluate(
            "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"
        )
        measurements["load_wall_ms"] = (time.monotonic() - started) * 1000
        c.check(page.locator("#overview table tbody tr").count() >= 5, "the overview lists the node kinds")
        c.check(page.evaluate("() => document.documentElement.lang") == "zh-CN", "Chinese first")
        page.screenshot(path=f"{shots}/overview.png", full_page=True)

        unit_checks(page, c)

        # Search 上海交通大学.
        n = renders(page)
        page.fill("#search-input", "上海交通大学")
        page.click("#search-button")
        wait_ready(page, "search", n)
        link = page.locator('#search-results a.actor-link[data-id="univ:sjtu"]')
        c.check(link.count() == 1, "search finds univ:sjtu")
        c.check(page.locator("#search-results .badge").count() >= 1, "search results carry kind badges")
        first = page.locator("#search-results tbody tr").first.locator("a.actor-link").get_attribute("data-id")
        c.check(first == "univ:sjtu", f"the exact name ranks first (got {first})")
        page.screenshot(path=f"{shots}/search.png", full_page=True)

        # Actor card and ego network.
        n = renders(page)
        link.click()
        wait_ready(page, "actor", n)
        page.wait_for_function("() => window.innograph.graphs.ego", timeout=TIMEOUT_MS)
        card = page.locator("#actor-card")
        c.check("上海交通大学" in card.locator("h2").inner_text(), "the card shows the Chinese name")
        c.check("Shanghai Jiao Tong University" in card.inner_text(), "the card shows the English name too")
        status, node = api(page, "nodes/univ:sjtu")
        c.check(status == 200 and node["props"]["source"] in card.locator("blockquote.source").inner_text(),
                "the card quotes the source phrase")
        c.check(card.locator('.ranks [data-algo="pagerank"]').count() == 1 and card.locator('.ranks [data-algo="betweenness"]').count() == 1,
                "the card shows PageRank and betweenness ranks")
        status, edges = api(page, "nodes/univ:sjtu/edges?limit=10000")
        shown_groups = card.locator(".groups details").count()
        c.check(shown_groups == len({e["kind"] for e in edges["items"]}), f"neighbours grouped by edge kind ({shown_groups} groups)")
        c.check(card.locator(".groups a.actor-link").count() == edges["total"], "every neighbour is linked")
        drawn = page.evaluate("() => window.innograph.graphs.ego")
        status, ego = api(page, "nodes/univ:sjtu/ego?depth=2&limit=1500")
        status, hop1 = api(page, "nodes/univ:sjtu/neighbors?depth=1&limit=10000")
        neighbours = {x["id"] for x in hop1["items"]}
        c.check(drawn["nodes"] == len(ego["nodes"]) and drawn["edges"] == len(ego["edges"]),
                f"the ego network drew every node and edge it was sent ({drawn['nodes']} nodes, {drawn['edges']} edges)")
        c.check(neighbours <= set(drawn["ids"]) and "univ:sjtu" in drawn["ids"],
                f"all {len(neighbours)} direct neighbours are drawn")
        c.check(page.locator("#ego .legend .legend-item").count() >= 2, "the ego network has a legend")
        measurements["ego_fixture_ms"] = drawn["ms"]
        page.screenshot(path=f"{shots}/actor.png", full_page=True)

        # Clicking a node of the network moves there.
        target = sorted(neighbours)[0]
        n = renders(page)
        page.evaluate("(id) => window.innograph.graphs.ego.tap(id)", target)
        wait_ready(page, "actor", n)
        c.check(page.locator("#actor-card").get_attribute("data-id") == target, f"clicking {target} in the network opens its card")

        # An unknown id shows the API's message, not a blank panel.
        expected_failures.add("/api/v1/nodes/univ:sjtx")
        expected_failures.add("/api/v1/nodes/univ:sjtx/ranks")
        expected_failures.add("/api/v1/nodes/univ:sjtx/edges?limit=10000")
        navigate(page, "#/actor/univ:sjtx", "actor")
        err = page.locator("#main .message.error")
        c.check(err.count() == 1 and "univ:sjtu" in err.inner_text(), "an unknown id shows the API's error with its suggestion")

        # Gaps: enterprise–enterprise has gaps in the fixtures; clicking one draws its path.
        navigate(page, "#/gaps?a=enterprise&b=enterprise", "gaps")
        rows = page.locator("#gaps-list tbody tr")
        c.check(rows.count() >= 1, f"gaps are listed ({rows.count()})")
        if rows.count():
            rows.first.locator("td").nth(3).click()
            page.wait_for_function("() => window.innograph.graphs.path", timeout=TIMEOUT_MS)
            path = page.evaluate("() => window.innograph.graphs.path")
            src, dst = rows.first.get_attribute("data-source"), rows.first.get_attribute("data-target")
            c.check(path["nodes"] >= 2 and src in path["ids"] and dst in path["ids"], f"clicking a gap draws its shortest path ({path['nodes']} nodes)")
        page.screenshot(path=f"{shots}/gaps.png", full_page=True)

        # Partners for SJTU, with introduction paths drawn.
        navigate(page, "#/partners/univ:sjtu", "partners")
        page.wait_for_function("() => window.innograph.graphs.partners", timeout=TIMEOUT_MS)
        status, partners = api(page, "partners/univ:sjtu?top=10")
        rows = page.locator("#partners-list tbody tr")
        drawn = page.evaluate("() => window.innograph.graphs.partners")
        firms = {r["id"] for r in partners["items"] if r["path"]}
        c.check(rows.count() == len(partners["items"]) > 0, f"partners are listed ({rows.count()})")
        c.check(firms and firms <= set(drawn["ids"]), f"every partner with a path has it drawn ({len(firms)})")
        page.screenshot(path=f"{shots}/partners.png", full_page=True)

        # Coverage: five sections.
        navigate(page, "#/coverage", "coverage")
        sections = page.locator(".coverage-section")
        c.check(sections.count() == 5, f"coverage shows its five sections ({sections.count()})")
        c.check(page.locator(".coverage-section svg.bar-chart").count() >= 1, "coverage draws bar charts")
        page.screenshot(path=f"{shots}/coverage.png", full_page=True)

        # Hubs and brokers.
        navigate(page, "#/hubs?kind=university&algo=degree", "hubs")
        c.check(page.locator(".measure").count() == 4, "hubs show degree, PageRank, betweenness and brokerage")
        bars = page.locator("#histogram svg rect.hist-bar").count()
        status, hist = api(page, "distribution?algo=degree&kind=university&bins=20")
        c.check(bars == len(hist["bins"]) > 0, f"the histogram has one bar per bin ({bars})")
        page.screenshot(path=f"{shots}/hubs.png", full_page=True)

        # The planners' questions: one table per command, each under its source sentence,
        # with one figure of each checked against the public API.
        navigate(page, "#/planners", "planners")
        planner_checks = [
            # (command, API path, row index, column index, expected cell from the API answer)
            ("trends", "trends", -1, 0, lambda a: str(a["years"][-1])),
            ("consortia", "consortia?no_years=true", 0, 3, lambda a: str(a["shares"][0]["ties"])),
            ("synergy", "synergy?no_years=true", 0, 1, lambda a: str(a["rows"][0]["units"])),
            ("engagement", "engagement?top=1", 0, 1, lambda a: str(a["totals"][0]["firms"])),
            ("platforms", "platforms?top=1", 0, 1, lambda a: str(a["types"][0]["platforms"])),
            ("universities", "universities?top=1", 0, 7, lambda a: str(a["groups"][0]["spin_offs"])),
        ]
        for command, path, row, col, expected in planner_checks:
            status, answer = api(page, path)
            panel = page.locator(f"#planner-{command}")
            rows = panel.locator("table.planner-table tbody tr")
            c.check(status == 200 and panel.locator("blockquote.source").inner_text() == answer["source"],
                    f"{command}: the table sits under its source sentence")
            if rows.count() == 0:
                c.check(False, f"{command}: the table has rows")
                continue
            cell = rows.nth(row if row >= 0 else rows.count() + row).locator("td").nth(col).inner_text()
            c.check(cell == expected(answer), f"{command}: {cell} is the API's {expected(answer)}")
        status, trends = api(page, "trends")
        c.check(page.locator("#planner-trends tbody tr").count() == len(trends["years"]), "trends: one row per year")
        page.screenshot(path=f"{shots}/planners.png", full_page=True)
        n = renders(page)
        page.click("#lang-toggle")
        wait_ready(page, "planners", n)
        c.check(page.locator("#planner-platforms p.gloss").count() == 1, "in English each source sentence has a gloss")
        c.check("Planners" in page.locator("#nav").inner_text(), "the planners' view is in the English navigation")
        n = renders(page)
        page.click("#lang-toggle")
        wait_ready(page, "planners", n)

        # English.
        navigate(page, "#/actor/univ:sjtu", "actor")
        page.wait_for_function("() => window.innograph.graphs.ego", timeout=TIMEOUT_MS)
        n = renders(page)
        page.click("#lang-toggle")
        wait_ready(page, "actor", n)
        c.check(page.evaluate("() => document.documentElement.lang") == "en", "the toggle switches to English")
        c.check("Gaps" in page.locator("#nav").inner_text(), "the navigation is in English")
        c.check(page.locator("#actor-card h2").inner_text().startswith("Shanghai Jiao Tong University"), "names show in English first")
        page.wait_for_function("() => window.innograph.graphs.ego", timeout=TIMEOUT_MS)
        page.screenshot(path=f"{shots}/actor-en.png", full_page=True)
        n = renders(page)
        page.click("#lang-toggle")
        wait_ready(page, "actor", n)
        c.check(page.evaluate("() => document.documentElement.lang") == "zh-CN", "and back to Chinese")

        # The HTML report opens offline, with no script and no request.
        if args.report:
            report = ctx.new_page()
            report_requests = []
            report.on("request", lambda r: report_requests.append(r.url))
            report.on("console", on_console)
            report.goto("file://" + os.path.abspath(args.report))
            c.check(report.locator("script").count() == 0, "the report has no script")
            c.check(report.locator("svg").count() >= 3, f"the report draws SVG charts ({report.locator('svg').count()})")
            others = [u for u in report_requests if not u.startswith("file://")]
            c.check(not others, f"the report loads nothing from anywhere: {others}")
            report.screenshot(path=f"{shots}/report.png", full_page=False)
            report.close()

        ctx.close()

    c.check(not foreign, f"no request left the server's host ({len(requests)} requests): {foreign[:5]}")
    c.check(not console_errors, f"no console errors: {console_errors[:5]}")
    print(json.dumps({"measurements": measurements, "requests": len(requests), "failures": c.failures}))
    return 1 if c.failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--shots", required=True)
    parser.add_argument("--report")
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
