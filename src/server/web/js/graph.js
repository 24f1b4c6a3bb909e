// Draws positioned graph elements with cytoscape.js (canvas, no WebGL) and records what was
// drawn in `window.innograph.graphs[name]` (node and edge counts and ids, milliseconds, and a
// `tap(id)` that clicks a node), which is
// what the browser test and the benchmark read.

import cytoscape from '../vendor/cytoscape.esm.min.mjs';

const STYLE = [
  // Text and outline styles only on nodes that have a label, and no border on plain nodes:
  // per-node text and border work dominated drawing large ego networks (BENCHMARKS.md).
  { selector: 'node', style: { 'background-color': 'data(color)', width: 'data(size)', height: 'data(size)' } },
  {
    selector: 'node[label]',
    style: {
      label: 'data(label)',
      'font-size': 11,
      'text-valign': 'bottom',
      'text-margin-y': 3,
      color: '#222',
      'text-outline-color': '#fff',
      'text-outline-width': 2,
    },
  },
  { selector: 'node.center', style: { 'border-width': 4, 'border-color': '#111', 'font-weight': 'bold', 'font-size': 14 } },
  { selector: 'edge', style: { width: 1, 'line-color': '#b8c0cc', 'curve-style': 'haystack', opacity: 0.7 } },
  {
    selector: 'edge[label]',
    style: {
      label: 'data(label)',
      'font-size': 10,
      color: '#555',
      'curve-style': 'bezier',
      'target-arrow-shape': 'triangle',
      'target-arrow-color': '#b8c0cc',
      'text-background-color': '#fff',
      'text-background-opacity': 1,
    },
  },
  { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#f0a000' } },
];

const live = new Map();

/** Draws `elements` (preset positions) into `container`, replacing any graph drawn there
 * under the same `name`; `onNode(id)` is called when a node is clicked. */
export function draw(name, container, elements, onNode) {
  const started = performance.now();
  if (live.has(name)) live.get(name).destroy();
  const cy = cytoscape({
    container,
    elements,
    style: STYLE,
    layout: { name: 'preset', fit: true, padding: 30 },
    minZoom: 0.05,
    maxZoom: 4,
    textureOnViewport: elements.length > 2000,
    hideEdgesOnViewport: elements.length > 2000,
  });
  if (onNode) cy.on('tap', 'node', (ev) => onNode(ev.target.id()));
  live.set(name, cy);
  return new Promise((resolve) => {
    // Resolves once the first frame with the elements has been rendered (or, should the
    // renderer skip the event, two animation frames later).
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const info = {
        nodes: cy.nodes().length,
        edges: cy.edges().length,
        ids: cy.nodes().map((n) => n.id()),
        ms: performance.now() - started,
        at: performance.now(),
        // What a click on a node does, for tests (a canvas has no element to click).
        tap: (id) => {
          cy.$id(id).emit('tap');
        },
      };
      window.innograph.graphs[name] = info;
      resolve(info);
    };
    cy.one('render', finish);
    cy.resize();
    cy.fit(undefined, 30);
    requestAnimationFrame(() => requestAnimationFrame(finish));
  });
}

/** Forgets a drawn graph (when its view is left). */
export function drop(name) {
  if (live.has(name)) {
    live.get(name).destroy();
    live.delete(name);
  }
  delete window.innograph.graphs[name];
}
