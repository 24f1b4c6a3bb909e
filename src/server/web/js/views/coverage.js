// Coverage (`#/coverage`): the five sections of `gaps --coverage` (`/gaps?coverage=true`)
// as tables, each with a bar chart of its key number.

import { get } from '../api.js';
import { actorLink, barChart, fill, h, message, table } from '../dom.js';
import { names, t } from '../i18n.js';
import { formatNumber } from '../shape.js';

const link = (lang, x) => (x ? actorLink(lang, x) : '–');
const label = (lang, x) => (x ? names(lang, x).main : '');
const members = (lang, c) => c.top_members.map((m) => names(lang, m).main).join('、');

/** The five sections: key in the report, i18n key, columns, the bar's value and label. */
const SECTIONS = [
  {
    key: 'unanswered_demands',
    title: 'unansweredDemands',
    headers: (lang) => [t(lang, 'field'), t(lang, 'demands'), t(lang, 'unanswered'), t(lang, 'firm'), t(lang, 'achievements')],
    row: (lang, r) => [link(lang, r.field), String(r.demands), String(r.unanswered), String(r.enterprises), String(r.achievements)],
    value: (r) => r.unanswered,
    label: (lang, r) => label(lang, r.field),
  },
  {
    key: 'universities_without_contracts',
    title: 'universitiesWithoutContracts',
    headers: (lang) => [t(lang, 'name'), t(lang, 'achievements'), t(lang, 'contracts')],
    row: (lang, r) => [link(lang, r.university), String(r.achievements), String(r.contracts)],
    value: (r) => r.achievements,
    label: (lang, r) => label(lang, r.university),
  },
  {
    key: 'chain_leaders_without_university',
    title: 'chainLeadersWithoutUniversity',
    headers: (lang) => [t(lang, 'firm'), t(lang, 'field'), t(lang, 'fieldUniversities'), t(lang, 'universityTies')],
    row: (lang, r) => [link(lang, r.enterprise), link(lang, r.field), String(r.field_universities), String(r.university_ties)],
    value: (r) => r.field_universities,
    label: (lang, r) => label(lang, r.enterprise),
  },
  {
    key: 'districts_without_platform',
    title: 'districtsWithoutPlatform',
    headers: (lang) => [t(lang, 'district'), t(lang, 'field'), t(lang, 'firm'), t(lang, 'platformsElsewhere')],
    row: (lang, r) => [link(lang, r.district), link(lang, r.field), String(r.enterprises), String(r.platforms_elsewhere)],
    value: (r) => r.enterprises,
    label: (lang, r) => `${label(lang, r.district)} · ${label(lang, r.field)}`,
  },
  {
    key: 'sparse_community_pairs',
    title: 'sparseCommunityPairs',
    headers: (lang) => ['A', 'B', t(lang, 'observed'), t(lang, 'expected'), t(lang, 'ratio')],
    row: (lang, r) => [members(lang, r.a), members(lang, r.b), String(r.observed), formatNumber(r.expected), formatNumber(r.ratio)],
    value: (r) => r.expected - r.observed,
    label: (lang, r) => `#${r.a.id} ↔ #${r.b.id}`,
  },
];

export default {
  name: 'coverage',
  nav: 'coverage',
  async render(ctx) {
    const lang = ctx.lang;
    const report = await get('gaps', { coverage: true, top: 20 });
    if (ctx.stale()) return;
    const totals = report.totals || {};
    fill(
      ctx.main,
      h('section', { class: 'panel' }, h('h2', {}, t(lang, 'coverage')),
        table(
          [t(lang, 'summary'), t(lang, 'count')],
          Object.entries(totals).map(([k, v]) => [t(lang, `total_${k}`), String(v)]),
          { class: 'compact', id: 'coverage-totals' },
        )),
      SECTIONS.map((sec) => {
        const rows = report[sec.key] || [];
        return h(
          'section',
          { class: 'panel coverage-section', 'data-section': sec.key },
          h('h3', {}, `${t(lang, sec.title)} (${totals[sec.key] ?? rows.length})`),
          rows.length
            ? [barChart(rows, sec.value, (r) => sec.label(lang, r)), table(sec.headers(lang), rows.map((r) => sec.row(lang, r)))]
            : message('note', t(lang, 'noRows')),
        );
      }),
    );
  },
};
