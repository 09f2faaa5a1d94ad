// The status page: one self-contained HTML document (inline style and script, no external assets) that
// polls /status.json and renders every virtual service and real server, with buttons for the operator
// actions, and polls /graphs.json once per sample for the graphs of the servers in view (SVG trees drawn on the
// server, graphs.ts).
// The script builds the DOM with textContent, createElementNS and setAttribute only (check reasons come from
// the network: never parsed as HTML or markup). The nonce ties the inline script and style to this response's
// Content-Security-Policy; the graphs colour themselves with SVG presentation attributes, not style.

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#1d232a;background:#f5f6f8}
h1{font-size:20px;margin:0 0 4px}
.meta{color:#555;margin-bottom:12px}
section{background:#fff;border:1px solid #d8dce1;border-radius:6px;margin:0 0 14px;padding:8px 12px}
h2{font-size:16px;margin:4px 0 8px;font-family:ui-monospace,monospace}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceef1;vertical-align:top}
th{font-weight:600;color:#444;font-size:12px;text-transform:uppercase}
td.mono{font-family:ui-monospace,monospace}
.health{font-weight:700;padding:1px 8px;border-radius:10px;color:#fff;display:inline-block;min-width:64px;text-align:center}
.h-up{background:#1f8a3a}.h-down{background:#c0392b}.h-unknown{background:#7f8c8d}
.ov{font-weight:600;color:#9a5b00}
.reason{max-width:480px;word-break:break-word;color:#333}
button{font:12px system-ui,sans-serif;margin:0 4px 2px 0;padding:2px 8px;cursor:pointer}
td.actions{white-space:nowrap}
.fallback{color:#555;font-style:italic}
#recent li{font-family:ui-monospace,monospace;font-size:12px}
#error{color:#c0392b;font-weight:600}
.graphs{display:grid;grid-template-columns:repeat(2,auto);gap:2px 10px;justify-content:start;align-items:end;min-height:76px;min-width:250px}
.vgraphs{margin:0 0 6px;min-height:38px}
figure.g{margin:0;font-size:11px;color:#555;white-space:nowrap}
figure.g svg{display:block}
`;

const SCRIPT = `
'use strict';
const POLL_MS = __POLL_MS__;
const el = (tag, attrs, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
};
const w = (x) => (x === null ? '-' : String(x));
const time = (ms) => new Date(ms).toISOString().replace('T', ' ').replace(/\\.\\d+Z$/, 'Z');
const SVG_NS = 'http://www.w3.org/2000/svg';
let model = null;
let graphs = null;
const boxes = new Map();
const svg = (n) => {
  if (typeof n === 'string') return document.createTextNode(n);
  const e = document.createElementNS(SVG_NS, n[0]);
  for (const [k, v] of Object.entries(n[1])) e.setAttribute(k, String(v));
  for (const k of n.slice(2)) e.append(svg(k));
  return e;
};
// One box of graphs per virtual or real server and per /graphs.json sample, moved into each new table. The
// page asks /graphs.json only for the boxes near the viewport (drawing 5,000 real servers' graphs on the server
// cost seconds of CPU per sample): a box that comes into view without its graphs asks for them at once.
const inView = new Set();
const filled = new Set();
const keyOf = (box) => box.dataset.graphs + ' ' + box.dataset.id;
// Every box without IntersectionObserver; with it, only those near the viewport (looked up, not searched for).
const fillInView = () => {
  if (!near) for (const box of boxes.values()) fill(box);
  else for (const key of inView) { const box = boxes.get(key); if (box) fill(box); }
};
const fill = (box) => {
  const g = graphs && graphs[box.dataset.graphs][box.dataset.id];
  if (!g || box.dataset.filled) return;
  box.dataset.filled = 'yes';
  filled.add(box);
  for (const name of box.dataset.graphs === 'reals' ? ['timeline', 'conns', 'traffic', 'latency'] : ['conns', 'traffic'])
    box.append(el('figure', { class: 'g', 'data-graph': name }, svg(g[name].svg), el('figcaption', {}, g[name].caption)));
};
const near = typeof IntersectionObserver === 'function'
  ? new IntersectionObserver((entries) => {
      let missing = false;
      for (const e of entries) {
        const key = keyOf(e.target);
        if (!e.isIntersecting) { inView.delete(key); continue; }
        inView.add(key);
        fill(e.target);
        if (!e.target.dataset.filled) missing = true;
      }
      if (missing) graphsSoon();
    }, { rootMargin: '600px 0px' })
  : null;
function graphBox(kind, id) {
  const key = kind + ' ' + id;
  let box = boxes.get(key);
  if (box) return box;
  box = el('div', { class: kind === 'reals' ? 'graphs' : 'graphs vgraphs', 'data-graphs': kind, 'data-id': id });
  if (near) near.observe(box); else fill(box);
  boxes.set(key, box);
  return box;
}
async function act(target, override) {
  const r = await fetch('api/action', {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-Ldirectord-Action': '1' },
    body: JSON.stringify({ target, override }),
  });
  const text = await r.text();
  document.getElementById('error').textContent = r.ok ? '' : 'action failed: ' + r.status + ' ' + text;
  refresh();
}
function realRow(r) {
  const tr = el('tr', { 'data-real': r.id, 'data-health': r.health, 'data-override': r.override });
  tr.append(el('td', { class: 'mono' }, r.real));
  tr.append(el('td', {}, el('span', { class: 'health h-' + r.health }, r.health)));
  tr.append(el('td', {}, graphBox('reals', r.id)));
  tr.append(el('td', { class: 'ov' }, r.override === 'none' ? '' : r.override));
  tr.append(el('td', { class: 'mono weight' }, r.weight.configured + ' / ' + w(r.weight.desired) + ' / ' + w(r.weight.kernel)));
  tr.append(el('td', { class: 'reason' }, r.lastCheck ? (r.lastCheck.ok ? '✔ ' : '✘ ') + r.lastCheck.reason + ' (' + Math.round(r.lastCheck.durationMs) + ' ms)' : '-'));
  const b = el('td', { class: 'actions' });
  for (const [label, ov] of [['Drain', 'drain'], ['Maintenance', 'maintenance'], ['Clear', 'none']]) {
    const btn = el('button', { type: 'button', 'data-action': ov }, label);
    if (r.override === ov) btn.disabled = true;
    btn.addEventListener('click', () => act(r.id, ov));
    b.append(btn);
  }
  tr.append(b);
  return tr;
}
function render(m) {
  document.getElementById('meta').textContent =
    m.configFile + ' — ' + m.state + (m.lastPass ? ' — last pass: ' + m.lastPass.phase + ', ' + m.lastPass.ops + ' op(s), ' + m.lastPass.failed + ' failed' : '') + ' — ' + time(m.generatedAt);
  // Connection-sync daemons (src/sync): one line while syncdaemon is set.
  const sd = m.syncDaemons;
  document.getElementById('sync').textContent = sd && sd.managed ? 'sync daemons: ' + sd.roles.map((r) => r.role + ' ' + (r.running ? 'running on ' + r.running.mcastInterface + ' syncid ' + r.running.syncId : 'not running') + (r.wanted ? '' : ' (not wanted)') + (r.lastError ? ' — ' + r.lastError.errno + ': ' + r.lastError.operation : '')).join('; ') : '';
  // BGP announcement (src/announce): one section while a virtual service has announce=yes.
  const an = m.announce;
  document.getElementById('announce').replaceChildren(...(an ? [el('h2', {}, 'BGP announcement'),
    el('p', { class: 'meta' }, an.speakers + ' speaker process(es) on ' + an.socket + ', next hop ' + an.nexthop + (an.lastError ? ' — ' + an.errors + ' error(s), last: ' + an.lastError.message : '')),
    el('ul', {}, ...an.prefixes.map((p) => el('li', { 'data-prefix': p.prefix, 'data-announced': p.announce ? 'yes' : 'no' }, p.prefix + ' ' + (p.announce ? 'ANNOUNCED' : 'WITHDRAWN') + ' — ' + p.reason + ' — since ' + time(p.since) + ', ' + p.transitions + ' change(s)')))] : []));
  const root = document.getElementById('virtuals');
  root.replaceChildren(...m.virtuals.map((v) => {
    const head = el('tr', {}, ...['Real server', 'Health', 'Recent', 'Override', 'Weight cfg / want / kernel', 'Last check', 'Actions'].map((h) => el('th', {}, h)));
    const table = el('table', {}, head, ...v.reals.map(realRow));
    const s = el('section', { 'data-virtual': v.id }, el('h2', {}, v.label), graphBox('virtuals', v.id), table);
    if (v.fallback) s.append(el('p', { class: 'fallback' }, 'fallback ' + v.fallback.label + (v.fallback.active ? ' — ACTIVE (no real server serves)' : ' — idle') + ', kernel weight ' + w(v.fallback.kernelWeight)));
    return s;
  }));
  // the boxes of servers no longer in the model (a reload removed them) go with their rows
  for (const [key, box] of boxes) if (!box.isConnected) { boxes.delete(key); filled.delete(box); inView.delete(key); if (near) near.unobserve(box); }
  document.getElementById('recent').replaceChildren(...m.recent.map((e) => el('li', { 'data-kind': e.kind }, time(e.at) + '  ' + e.kind.toUpperCase() + '  ' + e.virtual + '  ' + e.real + '  ' + e.text)));
}
async function refresh() {
  try {
    const r = await fetch('status.json', { credentials: 'same-origin', cache: 'no-store' });
    if (!r.ok) throw new Error('status.json: ' + r.status);
    model = await r.json();
    render(model);
    document.body.dataset.loaded = 'yes';
  } catch (e) {
    document.getElementById('error').textContent = String(e.message || e);
  }
}
// graphs.json for the boxes in view (every box without IntersectionObserver). A new sample replaces the graphs
// and redraws the boxes in view; the same sample asked again (boxes scrolled into view) adds their graphs.
function graphsUrl() {
  if (!near) return 'graphs.json';
  const q = ['only'];
  for (const key of inView) {
    const sp = key.indexOf(' ');
    q.push((key.slice(0, sp) === 'reals' ? 'r=' : 'v=') + encodeURIComponent(key.slice(sp + 1)));
  }
  return 'graphs.json?' + q.join('&');
}
let graphsTimer = null;
let graphsBusy = false;
let graphsAgain = false;
function graphsSoon() {
  if (graphsBusy) { graphsAgain = true; return; }
  clearTimeout(graphsTimer);
  graphsTimer = setTimeout(refreshGraphs, 50);
}
async function refreshGraphs() {
  clearTimeout(graphsTimer);
  graphsBusy = true;
  let next = 5000;
  try {
    const r = await fetch(graphsUrl(), { credentials: 'same-origin', cache: 'no-store' });
    if (r.status === 404) return;
    if (!r.ok) throw new Error('graphs.json: ' + r.status);
    const g = await r.json();
    next = Math.max(250, g.intervalMs || next);
    if (graphs && g.at === graphs.at) {
      Object.assign(graphs.virtuals, g.virtuals);
      Object.assign(graphs.reals, g.reals);
      fillInView();
    } else {
      // a new sample: the boxes drawn from the last one are emptied and the ones in view drawn again, in place
      // (re-rendering the table instead cost seconds with thousands of rows)
      graphs = g;
      for (const box of filled) { box.replaceChildren(); delete box.dataset.filled; }
      filled.clear();
      fillInView();
      document.body.dataset.graphsAt = String(g.at ?? '');
    }
  } catch (e) {
    document.getElementById('error').textContent = String(e.message || e);
  } finally {
    graphsBusy = false;
  }
  if (graphsAgain) { graphsAgain = false; next = 50; }
  graphsTimer = setTimeout(refreshGraphs, next);
}
refresh();
setInterval(refresh, POLL_MS);
refreshGraphs();
`;

export function statusPage(nonce: string, pollMs: number): string {
  const script = SCRIPT.replace('__POLL_MS__', String(Math.max(250, Math.floor(pollMs))));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>ldirectord status</title><style nonce="${nonce}">${STYLE}</style></head>
<body><h1>ldirectord status</h1><div class="meta" id="meta">loading…</div><div class="meta" id="sync"></div><div id="error"></div><section id="announce"></section>
<div id="virtuals"></div><section><h2>Recent transitions</h2><ol id="recent"></ol></section>
<script nonce="${nonce}">${script}</script></body></html>
`;
}

export function pageSecurityHeaders(nonce: string): Record<string, string> {
  return {
    'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };
}
