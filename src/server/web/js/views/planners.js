// The planners' questions (`#/planners`): the six answers of `/trends`, `/consortia`,
// `/synergy`, `/engagement`, `/platforms` and `/universities`, one table each under the
// sentence of the source document it answers (quoted in Chinese; in English with a gloss),
// with the answer's own notes when the data cannot say more.

import { get } from '../api.js';
import { fill, h, message, table } from '../dom.js';
import { t } from '../i18n.js';
import { formatNumber } from '../shape.js';

const count = (x) => (x == null ? '–' : String(x));
const millions = (x) => (x == null ? '–' : (x / 1e6).toFixed(1));
const percent = (x) => (x == null ? '–' : `${(x * 100).toFixed(1)}%`);
const millibits = (x) => (x == null ? '–' : (x * 1000).toFixed(1));

/** The word for `prefix + key`, or the key itself when the page has none. */
function label(lang, prefix, key) {
  const word = t(lang, `${prefix}${key}`);
  return word === `${prefix}${key}` ? key : word;
}

/** The all-contracts series and the university-signed one, per year. */
function trendsRows(report) {
  const find = (section, key) => report.series.find((s) => s.section === section && s.key === key);
  const all = find('contracts', 'all');
  const univ = find('signer', 'university');
  return report.years.map((year, i) => [
    String(year),
    count(all && all.counts[i]),
    millions(all && all.amounts ? all.amounts[i] : null),
    count(univ && univ.counts[i]),
    millions(univ && univ.amounts ? univ.amounts[i] : null),
  ]);
}

/** One table per command: its endpoint, columns and rows (cells as text). */
const COMMANDS = [
  {
    name: 'trends',
    title: 'trendsTitle',
    headers: (lang) => [t(lang, 'year'), t(lang, 'contracts'), t(lang, 'amountM'), t(lang, 'universityContracts'), t(lang, 'universityAmountM')],
    rows: trendsRows,
  },
  {
    name: 'consortia',
    params: { no_years: true },
    title: 'consortiaTitle',
    headers: (lang) => [t(lang, 'programmeColumn'), t(lang, 'projects'), t(lang, 'crossRegionProjects'), t(lang, 'ties'), t(lang, 'crossRegion'), t(lang, 'crossField'), t(lang, 'crossKind')],
    rows: (r, lang) =>
      r.shares.map((s) => [label(lang, 'programme_', s.programme), count(s.projects), count(s.cross_region_projects), count(s.ties), percent(s.cross_region_share), percent(s.cross_field_share), percent(s.cross_kind_share)]),
  },
  {
    name: 'synergy',
    params: { no_years: true },
    title: 'synergyTitle',
    headers: (lang) => [t(lang, 'group'), t(lang, 'units'), 'T(UI)', 'T(UG)', 'T(IG)', 'T(UIG)'],
    rows: (r) =>
      r.rows.map((x) => [x.name, count(x.units), millibits(x.helix.t_ui), millibits(x.helix.t_ug), millibits(x.helix.t_ig), millibits(x.helix.t_uig)]),
  },
  {
    name: 'engagement',
    params: { top: 1 },
    title: 'engagementTitle',
    headers: (lang) => [t(lang, 'firmClass'), t(lang, 'firms'), t(lang, 'explorer'), t(lang, 'openCompetition'), t(lang, 'yrdJoint'), t(lang, 'engaged'), t(lang, 'notEngaged')],
    rows: (r, lang) =>
      r.totals.map((x) => [label(lang, 'class_', x.class), count(x.firms), count(x.explorer), count(x.open_competition), count(x.yrd_joint), count(x.engaged), count(x.not_engaged)]),
  },
  {
    name: 'platforms',
    params: { top: 1 },
    title: 'platformsTitle',
    headers: (lang) => [t(lang, 'platformType'), t(lang, 'platformsCount'), t(lang, 'dated'), t(lang, 'medianScore'), t(lang, 'lowerQuartile'), t(lang, 'underPerformers')],
    rows: (r, lang) =>
      r.types.map((x) => [label(lang, 'ptype_', x.platform_type), count(x.platforms), count(x.dated), x.median_score == null ? '–' : formatNumber(x.median_score), x.lower_quartile == null ? '–' : formatNumber(x.lower_quartile), count(x.under)]),
  },
  {
    name: 'universities',
    params: { top: 1 },
    title: 'universitiesTitle',
    headers: (lang) => [t(lang, 'group'), t(lang, 'universitiesCount'), t(lang, 'owned'), t(lang, 'offered'), t(lang, 'contracted'), t(lang, 'contracts'), t(lang, 'amountM'), t(lang, 'spinOffs'), t(lang, 'managersPer100')],
    rows: (r, lang) =>
      r.groups.map((g) => [label(lang, 'group_', g.group), count(g.universities), count(g.owned), count(g.offered), count(g.contracted), count(g.contracts), millions(g.amount), count(g.spin_offs), g.managers_per_100_results == null ? '–' : g.managers_per_100_results.toFixed(1)]),
  },
];

/** A command's panel: the source sentence, its English gloss, the table and the notes. */
function panel(lang, command, report) {
  const rows = command.rows(report, lang);
  return h(
    'section',
    { class: 'panel planner', id: `planner-${command.name}`, 'data-command': command.name },
    h('h3', {}, t(lang, command.title)),
    h('blockquote', { class: 'source', lang: 'zh-CN' }, report.source),
    lang === 'en' ? h('p', { class: 'gloss' }, t(lang, `${command.name}Gloss`)) : null,
    rows.length ? table(command.headers(lang), rows, { class: 'compact planner-table' }) : message('note', t(lang, 'noRows')),
    (report.notes || []).map((n) => message('note', n)),
  );
}

export default {
  name: 'planners',
  nav: 'planners',
  async render(ctx) {
    const lang = ctx.lang;
    const reports = await Promise.all(COMMANDS.map((c) => get(c.name, c.params || {})));
    if (ctx.stale()) return;
    fill(
      ctx.main,
      h('section', { class: 'panel' }, h('h2', {}, t(lang, 'planners')), h('p', {}, t(lang, 'plannersIntro'))),
      COMMANDS.map((c, i) => panel(lang, c, reports[i])),
    );
  },
};
