// Partners for researchers (`#/partners/ID`): pick a university, institute or technology
// manager; `/partners/{id}` ranks the firms to approach, each with the introduction path
// drawn.

import { get, seg } from '../api.js';
import { actorLink, errorMessage, fill, h, message, table } from '../dom.js';
import { draw, drop } from '../graph.js';
import { edgeKindLabel, t } from '../i18n.js';
import { formatNumber, partnerPath, pathElements } from '../shape.js';
import { field, nodeSelect, nodesOfKind, presentKinds } from './common.js';

const SOURCE_KINDS = ['university', 'research_institute', 'tech_manager'];

function pathText(lang, row) {
  if (!row.path || !row.path.length) return t(lang, 'noPath');
  const parts = [];
  row.path_names.forEach((name, i) => {
    if (i > 0) {
      const forward = row.path_forward ? row.path_forward[i - 1] : null;
      const [l, r] = forward === true ? ['→', '→'] : forward === false ? ['←', '←'] : ['—', '—'];
      parts.push(` ${l}${edgeKindLabel(lang, row.path_edges[i - 1])}${r} `);
    }
    parts.push(name);
  });
  return parts.join('');
}

export default {
  name: 'partners',
  nav: 'partners',
  async render(ctx, route) {
    const lang = ctx.lang;
    const kinds = await presentKinds();
    const lists = await Promise.all(SOURCE_KINDS.map((k) => nodesOfKind(k, kinds)));
    if (ctx.stale()) return;
    const sources = lists.flat();
    const id = route.arg || (sources[0] && sources[0].id) || '';
    const select = nodeSelect(lang, 'source', sources, id, false);
    select.addEventListener('change', () => ctx.go(`#/partners/${encodeURIComponent(select.value)}`));
    const list = h('section', { class: 'panel', id: 'partners-list' }, message('loading', t(lang, 'loading')));
    const graph = h('section', { class: 'panel', id: 'partners-paths' }, h('h3', {}, t(lang, 'introduction')), h('div', { class: 'graph', id: 'partners-graph' }), h('div', { class: 'status' }));
    fill(ctx.main, h('section', { class: 'panel' }, h('h2', {}, t(lang, 'partners')), h('form', { class: 'controls' }, field(t(lang, 'pickSource'), select))), list, graph);
    drop('partners');
    if (!id) {
      fill(list, message('note', t(lang, 'noRows')));
      return;
    }
    let answer;
    try {
      answer = await get(`partners/${seg(id)}`, { top: 10 });
    } catch (err) {
      if (!ctx.stale()) fill(list, errorMessage(lang, err));
      return;
    }
    if (ctx.stale()) return;
    if (!answer.items.length) {
      fill(list, message('note', t(lang, 'noRows')));
      return;
    }
    fill(
      list,
      table(
        ['#', t(lang, 'firm'), t(lang, 'score'), t(lang, 'introduction')],
        answer.items.map((r, i) => [String(i + 1), actorLink(lang, r), formatNumber(r.score), pathText(lang, r)]),
        { class: 'partners' },
      ),
    );
    try {
      const info = await draw('partners', graph.querySelector('.graph'), pathElements(answer.items.filter((r) => r.path && r.path.length).map(partnerPath), lang), (node) => ctx.go(`#/actor/${encodeURIComponent(node)}`));
      if (!ctx.stale()) fill(graph.querySelector('.status'), h('p', { class: 'muted' }, t(lang, 'drawnNote', { nodes: info.nodes, edges: info.edges })));
    } catch (err) {
      if (!ctx.stale()) fill(graph.querySelector('.status'), errorMessage(lang, err));
    }
  },
};
