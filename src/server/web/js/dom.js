// Small DOM builders shared by the views: elements, links to actors, kind badges, tables,
// messages and SVG charts. No inline styles or scripts (the page runs under
// `Content-Security-Policy: default-src 'self'`): colours go through SVG attributes and
// classes only.

import { kindLabel, names, t } from './i18n.js';
import { bars, formatNumber, histogramBars, kindColor } from './shape.js';

const SVG = 'http://www.w3.org/2000/svg';

/** `h('div', {class: 'x'}, child, 'text', ...)`; null/false children are skipped. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** An SVG element with attributes. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A kind badge: a coloured dot (SVG) and the kind's label. */
export function badge(lang, kind) {
  return h(
    'span',
    { class: 'badge', 'data-kind': kind },
    s('svg', { width: 10, height: 10, 'aria-hidden': 'true' }, s('circle', { cx: 5, cy: 5, r: 5, fill: kindColor(kind) })),
    kindLabel(lang, kind),
  );
}

/** Link to an actor's card, showing its name (and the other language's name, smaller). */
export function actorLink(lang, node) {
  const n = names(lang, node);
  return h(
    'a',
    { href: `#/actor/${encodeURIComponent(node.id)}`, class: 'actor-link', 'data-id': node.id },
    n.main,
    n.other ? h('span', { class: 'other-name' }, ` ${n.other}`) : null,
  );
}

/** A message panel: `kind` is `error`, `note` or `loading`. */
export function message(kind, text) {
  return h('div', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** The message of an API error for a view. */
export function errorMessage(lang, err) {
  const code = err && err.status ? ` (${err.status} ${err.code})` : '';
  return message('error', `${t(lang, 'error')}${code}: ${err && err.message ? err.message : err}`);
}

/** A table from column headers and rows of cells (nodes or text). */
export function table(headers, rows, attrs = {}) {
  return h(
    'table',
    attrs,
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x)))),
    h('tbody', {}, rows.map((r) => (r instanceof Node ? r : h('tr', {}, r.map((c) => h('td', {}, c)))))),
  );
}

/** A horizontal bar chart (SVG) of `rows` by `value`, labelled by `label`. */
export function barChart(rows, value, label, color = () => '#4e79a7') {
  const width = 260;
  const line = 20;
  const geometry = bars(rows, value, width);
  const svg = s('svg', {
    class: 'bar-chart',
    width: width + 330,
    height: rows.length * line + 4,
    role: 'img',
  });
  rows.forEach((r, i) => {
    const y = i * line + 2;
    svg.append(
      s('text', { x: 0, y: y + 14, class: 'bar-label' }, String(label(r)).slice(0, 24)),
      s('rect', { x: 240, y, width: Math.max(1, geometry[i].width), height: line - 6, fill: color(r) }),
      s('text', { x: 246 + geometry[i].width, y: y + 12, class: 'bar-value' }, formatNumber(geometry[i].value)),
    );
  });
  return svg;
}

/** A histogram (SVG) of a `/distribution` answer. */
export function histogramChart(lang, hist) {
  const width = 480;
  const height = 140;
  const svg = s('svg', { class: 'histogram', width: width + 60, height: height + 40, role: 'img' });
  const g = s('g', { transform: 'translate(40,5)' });
  for (const b of histogramBars(hist, width, height)) {
    g.append(
      s(
        'rect',
        { x: b.x, y: b.y, width: b.width, height: b.height, class: 'hist-bar' },
        s('title', {}, `${formatNumber(b.bin.lo)} – ${formatNumber(b.bin.hi)}: ${b.bin.count}`),
      ),
    );
  }
  const top = Math.max(0, ...hist.bins.map((b) => b.count));
  g.append(
    s('line', { x1: 0, y1: height, x2: width, y2: height, class: 'axis' }),
    s('text', { x: 0, y: height + 16, class: 'axis-label' }, formatNumber(hist.min)),
    s('text', { x: width, y: height + 16, class: 'axis-label end' }, formatNumber(hist.max)),
    s('text', { x: -6, y: 10, class: 'axis-label end' }, String(top)),
    s('text', { x: width / 2, y: height + 32, class: 'axis-label middle' }, `${t(lang, 'count')}: ${hist.count}`),
  );
  svg.append(g);
  return svg;
}
