"""Side-by-side drawing time of the hub's ego network under style variants, interleaved in one
browser so machine load hits every variant alike: the page's style before (labels and borders
on every node), label styles only on labelled nodes, no border on plain nodes, and fewer nodes.

    python ego_variants.py BASE_URL HUB_ID ROUNDS     (against `innograph serve`, see run.sh)
"""
import os, sys, statistics
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "web"))
from browser_test import CHROMIUM_FLAGS as FLAGS
from playwright.sync_api import sync_playwright
base = sys.argv[1]; hub = sys.argv[2]; rounds = int(sys.argv[3])
JS = r"""
async ([hub, variant]) => {
  const { default: cytoscape } = await import('/assets/vendor/cytoscape.esm.min.mjs');
  const shape = await import('/assets/js/shape.js');
  const lim = variant.limit, elim = variant.elimit;
  const ego = await (await fetch(`/api/v1/nodes/${encodeURIComponent(hub)}/ego?depth=2&limit=${lim}&edge_limit=${elim}`)).json();
  const t0 = performance.now();
  const shaped = shape.egoElements(ego, 'zh');
  let elements = shaped.elements;
  // The page before: every node carried a label ('' when not shown).
  if (variant.style === 'old') elements = elements.map(e => e.group === 'nodes' ? {...e, data: {label: '', ...e.data}} : e);
  const base = { 'background-color': 'data(color)', width: 'data(size)', height: 'data(size)' };
  const lab = { label: 'data(label)', 'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 3, color: '#222', 'text-outline-color': '#fff', 'text-outline-width': 2 };
  const border = { 'border-width': 1, 'border-color': '#ffffff' };
  let style;
  if (variant.style === 'old') style = [{ selector: 'node', style: {...base, ...lab, ...border} }];
  else style = [{ selector: 'node', style: {...base, ...(variant.border? border: {})} }, { selector: 'node[label]', style: lab }];
  style.push({ selector: 'node.center', style: { 'border-width': 4, 'border-color': '#111', 'font-weight': 'bold', 'font-size': 14 } });
  style.push({ selector: 'edge', style: { width: 1, 'line-color': '#b8c0cc', 'curve-style': 'haystack', opacity: variant.opacity } });
  const c = document.createElement('div'); c.style.width='900px'; c.style.height='640px'; document.body.prepend(c);
  const cy = cytoscape({ container: c, elements, style, layout: { name: 'preset', fit: true, padding: 30 }, minZoom: 0.05, maxZoom: 4,
     textureOnViewport: elements.length > 2000, hideEdgesOnViewport: elements.length > 2000 });
  await new Promise(r => { let d=false; const f=()=>{ if(!d){d=true; r();} }; cy.one('render', f); cy.resize(); cy.fit(undefined,30); requestAnimationFrame(()=>requestAnimationFrame(f)); });
  const ms = performance.now() - t0;
  const n = cy.nodes().length, m = cy.edges().length;
  cy.destroy(); c.remove();
  return { ms, n, m };
}
"""
variants = {
 'old1500': dict(limit=1500, elimit=3000, style='old', opacity=0.7, border=True),
 'lab1500': dict(limit=1500, elimit=3000, style='new', opacity=0.7, border=True),
 'lab1500nb': dict(limit=1500, elimit=3000, style='new', opacity=0.7, border=False),
 'lab1200e2000': dict(limit=1200, elimit=2000, style='new', opacity=0.7, border=False),
}
res = {k: [] for k in variants}
cpu = {k: [] for k in variants}


def task_seconds(cdp):
    """The page's main-thread task time so far, in thread CPU time (robust to machine load)."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "TaskDuration")


with sync_playwright() as p:
    b = p.chromium.launch(executable_path=os.environ.get("INNOGRAPH_CHROMIUM","/usr/bin/chromium"), args=FLAGS)
    page = b.new_page(viewport={'width':1280,'height':900})
    page.goto(base + "/#/search")
    page.wait_for_function("() => window.innograph && window.innograph.ready", timeout=60000)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
    for r in range(rounds):
        for k, v in variants.items():
            before = task_seconds(cdp)
            out = page.evaluate(JS, [hub, v]); res[k].append(out['ms'])
            cpu[k].append((task_seconds(cdp) - before) * 1000)
            if r == 0: print(k, out, flush=True)
    b.close()
for k, v in res.items():
    print(f"{k:14s} wall median {statistics.median(v):6.0f} ms, main-thread CPU median {statistics.median(cpu[k]):6.0f} ms; wall {[round(x) for x in v]}")
print(open('/proc/loadavg').read())
