// The actor card (`#/actor/ID?depth=N`): kind, names, the source phrase, properties, ranks
// within its kind, neighbours grouped by edge kind, and the ego network drawn around it.

import { get, seg } from '../api.js';
import { actorLink, badge, errorMessage, fill, h, message, table } from '../dom.js';
import { draw } from '../graph.js';
import { edgeKindLabel, kindLabel, names, t } from '../i18n.js';
import { egoElements, formatNumber, groupEdges } from '../shape.js';

/** How many nodes the page asks for when drawing an ego network: every neighbour of a
 * 1,000-neighbour hub and a sample of the second ring, drawn within the page's 2 s budget
 * (benches/web, BENCHMARKS.md); larger neighbourhoods are sampled with a note. */
export const EGO_LIMIT = 1200;

/** How many edges it asks for: the server keeps every node's tie towards the actor first,
 * so the picture stays connected, then ties among the rest up to this cap. */
export const EGO_EDGE_LIMIT = 2000;

const ARROWS = { out: '→', in: '←', both: '—' };
const RESEARCH_KINDS = ['university', 'research_institute', 'tech_manager'];

function ranksPanel(lang, ranks) {
  if (!ranks.ranks.length) return message('note', t(lang, 'notRanked'));
  const kind = kindLabel(lang, ranks.kind);
  return table(
    [t(lang, 'rank'), '', ''],
    ranks.ranks.map((r) => [
      t(lang, r.algo),
      formatNumber(r.value),
      h('span', { 'data-algo': r.algo }, t(lang, 'rankOf', { rank: r.rank, of: r.of, kind }), r.note ? h('span', { class: 'muted' }, ` (${r.note})`) : null),
    ]),
    { class: 'ranks compact' },
  );
}

function neighboursPanel(lang, edges) {
  return h(
    'div',
    { class: 'groups' },
    groupEdges(edges).map((g) =>
      h(
        'details',
        { open: true, class: 'group', 'data-edge-kind': g.kind },
        h('summary', {}, `${edgeKindLabel(lang, g.kind)} (${g.items.length})`),
        h(
          'ul',
          {},
          g.items.map((e) => h('li', {}, h('span', { class: 'arrow' }, ARROWS[e.direction] || ''), ' ', actorLink(lang, e.other), ' ', badge(lang, e.other.kind))),
        ),
      ),
    ),
  );
}

function propsTable(lang, props) {
  const rows = Object.entries(props || {})
    .filter(([k]) => k !== 'source')
    .map(([k, v]) => [h('code', {}, k), typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  return rows.length ? table([t(lang, 'properties'), ''], rows, { class: 'props compact' }) : null;
}

async function drawEgo(ctx, id, depth, panel) {
  const status = panel.querySelector('.ego-status');
  const legend = panel.querySelector('.legend');
  try {
    const ego = await get(`nodes/${seg(id)}/ego`, { depth, limit: EGO_LIMIT, edge_limit: EGO_EDGE_LIMIT });
    if (ctx.stale()) return;
    const shaped = egoElements(ego, ctx.lang);
    fill(
      legend,
      shaped.legend.map((l) => h('span', { class: 'legend-item' }, badge(ctx.lang, l.kind), ` ${l.count}`)),
    );
    const info = await draw('ego', panel.querySelector('.graph'), shaped.elements, (node) => ctx.go(`#/actor/${encodeURIComponent(node)}?depth=${depth}`));
    if (ctx.stale()) return;
    fill(
      status,
      shaped.sampled ? message('note', t(ctx.lang, 'sampledNote', { shown: shaped.shown, total: shaped.total, edgesShown: shaped.edgesShown, edgesTotal: shaped.edgesTotal })) : null,
      h('p', { class: 'muted', id: 'ego-drawn' }, t(ctx.lang, 'drawnNote', { nodes: info.nodes, edges: info.edges })),
    );
  } catch (err) {
    if (!ctx.stale()) fill(status, errorMessage(ctx.lang, err));
  }
}

export default {
  name: 'actor',
  nav: null,
  async render(ctx, route) {
    const id = route.arg;
    const depth = Math.min(3, Math.max(1, Number(route.params.get('depth')) || 2));
    // Ranks need whole-graph centralities (computed once per store generation, seconds on
    // a large store): asked for at once but not waited for before the card and the network.
    const ranksAnswer = get(`nodes/${seg(id)}/ranks`);
    ranksAnswer.catch(() => {});
    const [node, edges] = await Promise.all([get(`nodes/${seg(id)}`), get(`nodes/${seg(id)}/edges`, { limit: 10000 })]);
    if (ctx.stale()) return;
    const lang = ctx.lang;
    const n = names(lang, node);
    const depthLinks = [1, 2, 3].map((d) =>
      h('a', { href: `#/actor/${encodeURIComponent(id)}?depth=${d}`, class: d === depth ? 'active' : '' }, String(d)),
    );
    const ego = h(
      'section',
      { class: 'panel ego', id: 'ego' },
      h('h3', {}, t(lang, 'egoNetwork'), h('span', { class: 'depth' }, ` ${t(lang, 'depth')}: `, depthLinks)),
      h('div', { class: 'legend' }),
      h('div', { class: 'graph', id: 'ego-graph' }),
      h('div', { class: 'ego-status' }, message('loading', t(lang, 'loading'))),
    );
    fill(
      ctx.main,
      h(
        'div',
        { class: 'actor-layout' },
        h(
          'section',
          { class: 'panel card', id: 'actor-card', 'data-id': node.id },
          h('h2', {}, n.main, n.other ? h('span', { class: 'other-name' }, ` ${n.other}`) : null),
          h('p', {}, badge(lang, node.kind), ' ', h('code', {}, node.id), ` · ${t(lang, 'degree')} ${node.degree}`),
          node.props && node.props.source
            ? h('blockquote', { class: 'source', lang: 'zh-CN' }, h('span', { class: 'muted' }, `${t(lang, 'source')}: `), node.props.source)
            : null,
          RESEARCH_KINDS.includes(node.kind) ? h('p', {}, h('a', { href: `#/partners/${encodeURIComponent(node.id)}`, class: 'button' }, t(lang, 'partners'))) : null,
          h('div', { class: 'ranks-panel' }, message('loading', t(lang, 'loading'))),
          propsTable(lang, node.props),
          h('h3', {}, `${t(lang, 'neighbours')} (${edges.total})`),
          neighboursPanel(lang, edges.items),
        ),
        ego,
      ),
    );
    const ranksPanelEl = ctx.main.querySelector('.ranks-panel');
    const showRanks = ranksAnswer.then(
      (ranks) => !ctx.stale() && fill(ranksPanelEl, ranksPanel(lang, ranks)),
      (err) => !ctx.stale() && fill(ranksPanelEl, errorMessage(lang, err)),
    );
    await Promise.all([drawEgo(ctx, id, depth, ego), showRanks]);
  },
};
