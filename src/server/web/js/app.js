// The page's shell: hash routes (`#/VIEW/ARG?key=value`), the language toggle, the search
// box and the navigation; each view is a module listed in views/index.js. State the tests
// read lives in `window.innograph`.

import { t } from './i18n.js';
import { errorMessage, fill, h, message } from './dom.js';
import { VIEWS } from './views/index.js';

const state = (window.innograph = {
  lang: 'zh',
  view: null,
  ready: false,
  renders: 0,
  graphs: {},
  firstPaintMs: null,
  errors: [],
});

try {
  const saved = window.localStorage.getItem('innograph.lang');
  if (saved === 'en' || saved === 'zh') state.lang = saved;
} catch {
  // Storage can be disabled; the page works without it.
}

/** Parses `#/view/arg?k=v` into {view, arg, params}. */
export function parseRoute(hash) {
  const raw = (hash || '').replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const [view, ...rest] = path.split('/');
  return {
    view: view || 'search',
    arg: rest.length ? decodeURIComponent(rest.join('/')) : '',
    params: new URLSearchParams(query),
  };
}

/** Goes to a route (adds a history entry). */
export function go(hash) {
  if (window.location.hash === hash) render();
  else window.location.hash = hash;
}

function chrome() {
  const lang = state.lang;
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = `${t(lang, 'title')} · innograph`;
  fill(document.getElementById('brand'), t(lang, 'title'));
  document.getElementById('search-input').placeholder = t(lang, 'searchPlaceholder');
  document.getElementById('search-input').setAttribute('aria-label', t(lang, 'search'));
  fill(document.getElementById('search-button'), t(lang, 'searchButton'));
  fill(document.getElementById('lang-toggle'), t(lang, 'language'));
  const current = parseRoute(window.location.hash).view;
  fill(
    document.getElementById('nav'),
    VIEWS.filter((v) => v.nav).map((v) =>
      h('a', { href: `#/${v.name}`, class: v.name === current ? 'active' : '', 'data-view': v.name }, t(lang, v.nav)),
    ),
  );
}

let generation = 0;

async function render() {
  const route = parseRoute(window.location.hash);
  const view = VIEWS.find((v) => v.name === route.view) || VIEWS[0];
  const main = document.getElementById('main');
  const mine = ++generation;
  state.ready = false;
  state.view = view.name;
  chrome();
  fill(main, message('loading', t(state.lang, 'loading')));
  const ctx = {
    lang: state.lang,
    main,
    go,
    // A view checks this after each await: a newer navigation has replaced it.
    stale: () => mine !== generation,
  };
  try {
    await view.render(ctx, route);
  } catch (err) {
    if (mine === generation) {
      state.errors.push(String(err && err.message ? err.message : err));
      fill(main, errorMessage(state.lang, err));
    }
  }
  if (mine === generation) {
    state.renders += 1;
    state.ready = true;
    if (state.firstPaintMs == null) state.firstPaintMs = performance.now();
  }
}

document.getElementById('lang-toggle').addEventListener('click', () => {
  state.lang = state.lang === 'zh' ? 'en' : 'zh';
  try {
    window.localStorage.setItem('innograph.lang', state.lang);
  } catch {
    // See above.
  }
  render();
});

document.getElementById('search-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = document.getElementById('search-input').value.trim();
  go(`#/search?q=${encodeURIComponent(q)}`);
});

window.addEventListener('hashchange', render);
render();
