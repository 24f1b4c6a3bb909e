// Hubs and brokers (`#/hubs?kind=KIND&algo=ALGO`): the top actors of a kind by degree,
// PageRank and betweenness (`/centrality`) and by brokerage (`/brokers`), with the
// histogram of the chosen measure over the whole kind (`/distribution`).

import { get } from '../api.js';
import { actorLink, barChart, errorMessage, fill, h, histogramChart, message, table } from '../dom.js';
import { kindLabel, names, t } from '../i18n.js';
import { formatNumber, kindColor } from '../shape.js';
import { field, kindSelect } from './common.js';

const TOP = 10;
const MEASURES = ['degree', 'pagerank', 'betweenness'];
/** Above this many nodes, betweenness is estimated from sampled sources (as the CLI's
 * `--samples`); the tables say so. */
const EXACT_BETWEENNESS_MAX_NODES = 5000;
const SAMPLES = 500;

function measurePanel(lang, algo, rows, note) {
  return h(
    'section',
    { class: 'panel measure', 'data-algo': algo },
    h('h3', {}, `${t(lang, algo)} · ${t(lang, 'top', { n: TOP })}`),
    note ? h('p', { class: 'muted' }, note) : null,
    rows.length
      ? [
          barChart(rows, (r) => r[algo], (r) => names(lang, r).main, (r) => kindColor(r.kind)),
          table(['#', t(lang, 'name'), t(lang, algo)], rows.map((r, i) => [String(i + 1), actorLink(lang, r), formatNumber(r[algo])])),
        ]
      : message('note', t(lang, 'noRows')),
  );
}

function brokerPanel(lang, rows) {
  return h(
    'section',
    { class: 'panel measure', 'data-algo': 'brokerage' },
    h('h3', {}, `${t(lang, 'brokerage')} · ${t(lang, 'top', { n: TOP })}`),
    rows.length
      ? [
          barChart(rows, (r) => r.total, (r) => names(lang, r).main, (r) => kindColor(r.kind)),
          table(
            ['#', t(lang, 'name'), t(lang, 'total'), 'coordinator', 'gatekeeper', 'itinerant', 'liaison'],
            rows.map((r, i) => [String(i + 1), actorLink(lang, r), String(r.total), String(r.coordinator), String(r.representative_gatekeeper), String(r.itinerant), String(r.liaison)]),
          ),
        ]
      : message('note', t(lang, 'noRows')),
  );
}

export default {
  name: 'hubs',
  nav: 'hubs',
  async render(ctx, route) {
    const lang = ctx.lang;
    const stats = await get('stats');
    if (ctx.stale()) return;
    const kinds = Object.entries(stats.nodes).sort((a, b) => b[1] - a[1]).map(([k]) => k);
    const nodeTotal = Object.values(stats.nodes).reduce((a, b) => a + b, 0);
    const kind = route.params.get('kind') || (kinds.includes('university') ? 'university' : kinds[0]);
    const algo = MEASURES.includes(route.params.get('algo')) ? route.params.get('algo') : 'degree';
    const samples = nodeTotal > EXACT_BETWEENNESS_MAX_NODES ? SAMPLES : null;
    const select = kindSelect(lang, 'kind', kinds, kind);
    select.addEventListener('change', () => ctx.go(`#/hubs?kind=${encodeURIComponent(select.value)}&algo=${algo}`));
    const histPanel = h('section', { class: 'panel', id: 'histogram' }, message('loading', t(lang, 'loading')));
    const panels = h('div', { class: 'measures' }, message('loading', t(lang, 'loading')));
    fill(
      ctx.main,
      h('section', { class: 'panel' }, h('h2', {}, `${t(lang, 'hubs')} · ${kindLabel(lang, kind)}`), h('form', { class: 'controls' }, field(t(lang, 'kind'), select))),
      histPanel,
      panels,
    );
    const extra = (a) => (a === 'betweenness' && samples ? { samples } : {});
    const sampledNote = samples ? `${SAMPLES} sampled sources` : null;
    const requests = MEASURES.map((a) => get('centrality', { algo: a, kind, top: TOP, ...extra(a) }));
    requests.push(get('brokers', { kind, top: TOP }));
    const results = await Promise.allSettled(requests);
    if (ctx.stale()) return;
    fill(
      panels,
      results.map((r, i) => {
        if (r.status === 'rejected') return errorMessage(lang, r.reason);
        return i < MEASURES.length
          ? measurePanel(lang, MEASURES[i], r.value.items, MEASURES[i] === 'betweenness' ? sampledNote : null)
          : brokerPanel(lang, r.value.items);
      }),
    );
    try {
      const hist = await get('distribution', { algo, kind, bins: 20, ...extra(algo) });
      if (ctx.stale()) return;
      const tabs = MEASURES.map((a) =>
        h('a', { href: `#/hubs?kind=${encodeURIComponent(kind)}&algo=${a}`, class: a === algo ? 'active' : '' }, t(lang, a)),
      );
      fill(histPanel, h('h3', {}, `${t(lang, 'distribution')} · `, tabs), histogramChart(lang, hist));
    } catch (err) {
      if (!ctx.stale()) fill(histPanel, errorMessage(lang, err));
    }
  },
};
