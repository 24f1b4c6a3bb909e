// Pieces several views share: kind and attribute pickers built from the API.

import { get } from '../api.js';
import { h } from '../dom.js';
import { kindLabel, names, t } from '../i18n.js';

/** Node kinds present in the database, most numerous first (from `/stats`). */
export async function presentKinds() {
  const stats = await get('stats');
  return Object.entries(stats.nodes)
    .sort((a, b) => b[1] - a[1])
    .map(([kind]) => kind);
}

/** Nodes of one kind (up to `limit`), or none when the kind is absent. */
export async function nodesOfKind(kind, kinds, limit = 1000) {
  if (!kinds.includes(kind)) return [];
  const page = await get('nodes', { kind, limit });
  return page.items;
}

/** A `<select>` of node kinds. */
export function kindSelect(lang, name, kinds, selected) {
  return h(
    'select',
    { name, id: `pick-${name}` },
    kinds.map((k) => h('option', { value: k, selected: k === selected }, kindLabel(lang, k))),
  );
}

/** A `<select>` of nodes (by name) with an "any" first option. */
export function nodeSelect(lang, name, nodes, selected, any = true) {
  return h(
    'select',
    { name, id: `pick-${name}` },
    any ? h('option', { value: '' }, t(lang, 'any')) : null,
    nodes.map((n) => h('option', { value: n.id, selected: n.id === selected }, names(lang, n).main)),
  );
}

/** A labelled form control. */
export function field(label, control) {
  return h('label', { class: 'field' }, h('span', {}, label), control);
}
