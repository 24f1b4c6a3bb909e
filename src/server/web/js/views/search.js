// Search by name or id (the CLI's search rules, through `/nodes?q=`), and with no query the
// overview: counts per kind from `/stats`.

import { get } from '../api.js';
import { actorLink, badge, fill, h, message, table } from '../dom.js';
import { t } from '../i18n.js';

async function overview(ctx) {
  const stats = await get('stats');
  if (ctx.stale()) return;
  const kinds = Object.entries(stats.nodes).sort((a, b) => b[1] - a[1]);
  const total = kinds.reduce((a, [, n]) => a + n, 0);
  const edges = Object.values(stats.edges).reduce((a, n) => a + n, 0);
  fill(
    ctx.main,
    h('section', { class: 'panel', id: 'overview' },
      h('p', { class: 'lead' }, t(ctx.lang, 'welcome')),
      h('h2', {}, t(ctx.lang, 'summary')),
      h('p', {}, `${t(ctx.lang, 'nodes')}: ${total} · ${t(ctx.lang, 'edges')}: ${edges}`),
      table(
        [t(ctx.lang, 'kind'), t(ctx.lang, 'count')],
        kinds.map(([kind, n]) => [h('a', { href: `#/hubs?kind=${encodeURIComponent(kind)}` }, badge(ctx.lang, kind)), String(n)]),
        { class: 'compact' },
      ),
    ),
  );
}

export default {
  name: 'search',
  nav: null,
  async render(ctx, route) {
    const q = (route.params.get('q') || '').trim();
    document.getElementById('search-input').value = q;
    if (!q) return overview(ctx);
    const answer = await get('nodes', { q, limit: 50 });
    if (ctx.stale()) return;
    const rows = answer.items.map((n) => [
      actorLink(ctx.lang, n),
      badge(ctx.lang, n.kind),
      h('code', {}, n.id),
      String(n.degree),
    ]);
    fill(
      ctx.main,
      h('section', { class: 'panel', id: 'search-results' },
        h('h2', {}, `${t(ctx.lang, 'search')}: ${q}`),
        answer.items.length
          ? h('p', { class: 'muted' }, `${answer.total} ${t(ctx.lang, 'results')}`)
          : message('note', t(ctx.lang, 'noResults')),
        answer.items.length
          ? table([t(ctx.lang, 'name'), t(ctx.lang, 'kind'), t(ctx.lang, 'id'), t(ctx.lang, 'degree')], rows, { class: 'results' })
          : null,
      ),
    );
  },
};
