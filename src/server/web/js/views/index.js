// The page's views, in navigation order. A view is a module exporting
// `{ name, nav, render(ctx, route) }`: `name` is its route (`#/name/arg?params`), `nav` the
// i18n key of its navigation label (null to stay out of the navigation), and `render`
// fills `ctx.main` from the public API. Adding a view is one module here and its words in
// i18n.js.

import search from './search.js';
import actor from './actor.js';
import gaps from './gaps.js';
import partners from './partners.js';
import coverage from './coverage.js';
import hubs from './hubs.js';
import planners from './planners.js';

export const VIEWS = [search, actor, gaps, partners, coverage, hubs, planners];
