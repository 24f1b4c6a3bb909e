// Data shaping for the views: grouping an actor's edges, turning an ego network or a path
// into positioned graph elements, colours and sizes, bar and histogram geometry. Pure
// functions of their arguments (no DOM, no fetch), so the browser test can call them
// directly with known inputs.

import { edgeKindLabel, kindLabel, names } from './i18n.js';

/** One colour per node kind (colour-blind-safe where possible); grey for unknown kinds. */
export const KIND_COLORS = {
  university: '#1f77b4',
  research_institute: '#17becf',
  enterprise: '#d62728',
  incubator: '#ff7f0e',
  organisation: '#7f7f7f',
  agency: '#2ca02c',
  tech_manager: '#e377c2',
  project: '#bcbd22',
  platform: '#9467bd',
  achievement: '#8c564b',
  demand: '#f7b6d2',
  programme: '#98df8a',
  district: '#c7c7c7',
  field: '#dbdb8d',
};

export function kindColor(kind) {
  return KIND_COLORS[kind] || '#999999';
}

/** Edges of `/nodes/{id}/edges`, grouped by edge kind (largest group first, then by kind),
 * each group's items in the order given. */
export function groupEdges(edges) {
  const groups = new Map();
  for (const e of edges) {
    if (!groups.has(e.kind)) groups.set(e.kind, []);
    groups.get(e.kind).push(e);
  }
  return [...groups.entries()]
    .map(([kind, items]) => ({ kind, items }))
    .sort((a, b) => b.items.length - a.items.length || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}

/** Node diameter in pixels for a PageRank value: area proportional to PageRank between the
 * smallest and largest value drawn; `lo` for missing values. */
export function nodeSize(value, min, max, lo = 10, hi = 46) {
  if (value == null || !Number.isFinite(value) || !(max > min)) return lo;
  const t = (value - min) / (max - min);
  return lo + (hi - lo) * Math.sqrt(Math.max(0, Math.min(1, t)));
}

/** Positions on concentric rings: the centre at the origin, hop h on ring h, nodes of a ring
 * grouped by kind so that colours form arcs. Returns a Map id -> {x, y}. */
export function ringPositions(nodes) {
  const byHop = new Map();
  for (const n of nodes) {
    if (!byHop.has(n.hop)) byHop.set(n.hop, []);
    byHop.get(n.hop).push(n);
  }
  const pos = new Map();
  let radius = 0;
  for (const hop of [...byHop.keys()].sort((a, b) => a - b)) {
    const ring = byHop.get(hop).slice().sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
    if (hop === 0) {
      ring.forEach((n) => pos.set(n.id, { x: 0, y: 0 }));
      continue;
    }
    // Rings far enough apart, and long enough to give each node about 24 px.
    radius = Math.max(radius + 160, (ring.length * 24) / (2 * Math.PI));
    ring.forEach((n, i) => {
      const a = (2 * Math.PI * i) / ring.length - Math.PI / 2;
      pos.set(n.id, { x: radius * Math.cos(a), y: radius * Math.sin(a) });
    });
  }
  return pos;
}

/** Graph elements for an ego network from `/nodes/{id}/ego`: nodes coloured by kind, sized
 * by PageRank, labelled when among the `labels` most central (and always the centre);
 * with the legend (kinds present, with counts) and the sampling note's numbers. */
export function egoElements(ego, lang, labels = 40) {
  const ranks = ego.nodes.map((n) => n.pagerank).filter((x) => x != null && Number.isFinite(x));
  const min = ranks.length ? Math.min(...ranks) : 0;
  const max = ranks.length ? Math.max(...ranks) : 0;
  const labelled = new Set(
    ego.nodes
      .slice()
      .sort((a, b) => (b.pagerank ?? -1) - (a.pagerank ?? -1))
      .slice(0, labels)
      .map((n) => n.id),
  );
  labelled.add(ego.center);
  const pos = ringPositions(ego.nodes);
  const legend = new Map();
  const nodes = ego.nodes.map((n) => {
    legend.set(n.kind, (legend.get(n.kind) || 0) + 1);
    const data = {
      id: n.id,
      kind: n.kind,
      hop: n.hop,
      color: kindColor(n.kind),
      size: n.id === ego.center ? 50 : nodeSize(n.pagerank, min, max),
    };
    // Only labelled nodes carry a `label`: the renderer then styles text for those alone,
    // which halves the drawing time of a 1,500-node network (BENCHMARKS.md).
    if (labelled.has(n.id)) data.label = names(lang, n).main;
    return { group: 'nodes', data, position: pos.get(n.id), classes: n.id === ego.center ? 'center' : '' };
  });
  const edges = ego.edges.map((e, i) => ({
    group: 'edges',
    data: { id: `e${i}`, source: e.source, target: e.target, kind: e.kind },
  }));
  const shown = ego.returned.reduce((a, b) => a + b, 0);
  const total = ego.reachable.reduce((a, b) => a + b, 0);
  const edgesTotal = ego.edges_among ?? ego.edges.length;
  return {
    elements: nodes.concat(edges),
    legend: [...legend.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([kind, count]) => ({ kind, label: kindLabel(lang, kind), color: kindColor(kind), count })),
    sampled: Boolean(ego.sampled),
    shown,
    total,
    edgesShown: ego.edges.length,
    edgesTotal,
  };
}

/** Graph elements for one or more paths (lists of ids with kinds, names and edge kinds, as
 * `/path` and `/partners` give them), laid out left to right, one row per path; a node on
 * several paths is drawn once, where it first appears. Edges are labelled in `lang`. */
export function pathElements(paths, lang = 'zh') {
  const nodes = new Map();
  const edges = new Map();
  paths.forEach((p, row) => {
    p.nodes.forEach((id, col) => {
      if (!nodes.has(id)) {
        nodes.set(id, {
          group: 'nodes',
          data: { id, kind: p.kinds[col], label: p.names[col], color: kindColor(p.kinds[col]), size: 28 },
          position: { x: col * 190, y: row * 90 },
        });
      }
      if (col > 0) {
        const key = `${p.nodes[col - 1]}|${id}|${p.edges[col - 1]}`;
        if (!edges.has(key)) {
          edges.set(key, {
            group: 'edges',
            data: { id: `p${edges.size}`, source: p.nodes[col - 1], target: id, kind: p.edges[col - 1], label: edgeKindLabel(lang, p.edges[col - 1]) },
          });
        }
      }
    });
  });
  return [...nodes.values(), ...edges.values()];
}

/** A partner row of `/partners/{id}` as a path (`path`, `path_kinds`, `path_names`,
 * `path_edges`). */
export function partnerPath(row) {
  return { nodes: row.path, kinds: row.path_kinds, names: row.path_names, edges: row.path_edges };
}

/** Bars for a top-N chart: one per row, width proportional to the value over the largest. */
export function bars(rows, value, width = 300) {
  const values = rows.map(value).map((v) => (Number.isFinite(v) ? v : 0));
  const max = Math.max(0, ...values);
  return values.map((v) => ({ value: v, width: max > 0 ? (v / max) * width : 0 }));
}

/** Bar geometry for a histogram from `/distribution` in a `width` × `height` box:
 * one bar per bin, height proportional to its count over the largest. */
export function histogramBars(hist, width = 480, height = 140) {
  const n = hist.bins.length;
  const top = Math.max(0, ...hist.bins.map((b) => b.count));
  const w = n ? width / n : 0;
  return hist.bins.map((b, i) => {
    const h = top > 0 ? (b.count / top) * height : 0;
    return { x: i * w, y: height - h, width: Math.max(1, w - 1), height: h, bin: b };
  });
}

/** A number for a table: integers as they are, others with 4 significant digits. */
export function formatNumber(x) {
  if (x == null || Number.isNaN(x)) return '–';
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(3);
  return x.toPrecision(4).replace(/\.?0+$/, '');
}
