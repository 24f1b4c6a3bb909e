// Gaps for planners (`#/gaps?a=KIND&b=KIND&field=ID&district=ID`): the ranked missing ties
// between two kinds from `/gaps`, with their evidence; clicking a gap draws the shortest
// path between its two actors (`/path`).

import { get } from '../api.js';
import { actorLink, errorMessage, fill, h, message, table } from '../dom.js';
import { draw, drop } from '../graph.js';
import { t } from '../i18n.js';
import { formatNumber, pathElements } from '../shape.js';
import { field, kindSelect, nodeSelect, nodesOfKind, presentKinds } from './common.js';

function evidence(lang, gap) {
  const e = gap.evidence || {};
  const parts = [];
  const list = (key, ids) => {
    if (ids && ids.length) parts.push(h('div', {}, h('span', { class: 'muted' }, `${t(lang, key)}: `), ids.join(', ')));
  };
  list('sharedPartners', e.shared_partners);
  list('sharedFields', e.shared_fields);
  list('sharedDistricts', e.shared_districts);
  if (e.path && e.path.length) parts.push(h('div', {}, h('span', { class: 'muted' }, `${t(lang, 'path')}: `), e.path.join(' → ')));
  return parts.length ? parts : '–';
}

async function drawPath(ctx, gap, panel) {
  const status = panel.querySelector('.path-status');
  fill(status, message('loading', t(ctx.lang, 'loading')));
  try {
    const found = await get('path', { from: gap.source, to: gap.target, k: 1 });
    if (ctx.stale()) return;
    if (!found.items.length) {
      drop('path');
      fill(status, message('note', t(ctx.lang, 'noPath')));
      return;
    }
    const info = await draw('path', panel.querySelector('.graph'), pathElements(found.items, ctx.lang), (id) => ctx.go(`#/actor/${encodeURIComponent(id)}`));
    fill(status, h('p', { class: 'muted', id: 'path-drawn' }, `${gap.source_name} → ${gap.target_name}: ${t(ctx.lang, 'drawnNote', { nodes: info.nodes, edges: info.edges })}`));
  } catch (err) {
    if (!ctx.stale()) fill(status, errorMessage(ctx.lang, err));
  }
}

export default {
  name: 'gaps',
  nav: 'gaps',
  async render(ctx, route) {
    const lang = ctx.lang;
    const kinds = await presentKinds();
    const a = route.params.get('a') || (kinds.includes('university') ? 'university' : kinds[0]);
    const b = route.params.get('b') || (kinds.includes('enterprise') ? 'enterprise' : kinds[0]);
    const fieldId = route.params.get('field') || '';
    const districtId = route.params.get('district') || '';
    const [fields, districts] = await Promise.all([nodesOfKind('field', kinds), nodesOfKind('district', kinds)]);
    if (ctx.stale()) return;
    const form = h(
      'form',
      { class: 'controls', id: 'gaps-form' },
      field(t(lang, 'between'), kindSelect(lang, 'a', kinds, a)),
      field('↔', kindSelect(lang, 'b', kinds, b)),
      field(t(lang, 'field'), nodeSelect(lang, 'field', fields, fieldId)),
      field(t(lang, 'district'), nodeSelect(lang, 'district', districts, districtId)),
      h('button', { type: 'submit' }, t(lang, 'show')),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const q = new URLSearchParams();
      for (const k of ['a', 'b', 'field', 'district']) {
        const v = form.elements[k].value;
        if (v) q.set(k, v);
      }
      ctx.go(`#/gaps?${q}`);
    });
    const pathPanel = h('section', { class: 'panel', id: 'gap-path' }, h('h3', {}, t(lang, 'path')), h('div', { class: 'graph small', id: 'path-graph' }), h('div', { class: 'path-status' }, message('note', t(lang, 'clickGap'))));
    const list = h('section', { class: 'panel', id: 'gaps-list' }, message('loading', t(lang, 'loading')));
    fill(ctx.main, h('section', { class: 'panel' }, h('h2', {}, t(lang, 'gaps')), form), list, pathPanel);
    drop('path');
    let answer;
    try {
      answer = await get('gaps', { between: `${a},${b}`, field: fieldId, district: districtId, top: 50, limit: 50 });
    } catch (err) {
      if (!ctx.stale()) fill(list, errorMessage(lang, err));
      return;
    }
    if (ctx.stale()) return;
    if (!answer.items.length) {
      fill(list, message('note', t(lang, 'noGaps')));
      return;
    }
    const rows = answer.items.map((g, i) => {
      const tr = h(
        'tr',
        { class: 'clickable', 'data-source': g.source, 'data-target': g.target },
        h('td', {}, String(i + 1)),
        h('td', {}, actorLink(lang, { id: g.source, name: g.source_name })),
        h('td', {}, actorLink(lang, { id: g.target, name: g.target_name })),
        h('td', {}, formatNumber(g.score)),
        h('td', {}, evidence(lang, g)),
      );
      tr.addEventListener('click', (ev) => {
        if (ev.target.closest('a')) return;
        list.querySelectorAll('tr.selected').forEach((x) => x.classList.remove('selected'));
        tr.classList.add('selected');
        drawPath(ctx, g, pathPanel);
      });
      return tr;
    });
    fill(list, h('p', { class: 'muted' }, `${answer.total} · ${t(lang, 'clickGap')}`), table(['#', t(lang, 'actor'), t(lang, 'actor'), t(lang, 'score'), t(lang, 'evidence')], rows, { class: 'gaps' }));
  },
};
