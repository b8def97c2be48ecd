/**
 * The operator console (docs/operations.md, "Console"): sign in with an admin token, then an
 * overview of every node (polled every second), the universes (every two seconds) and one
 * universe's members with a live minimap of its entities; kick, close and drain, each confirmed.
 * Plain ES modules like the game; nothing is fetched from anywhere but this relay.
 * @module console
 */
import { ConsoleApi, ConsoleApiError } from './console-api.js';
import { compact, drawLineChart, SERIES_COLORS } from './line-chart.js';
import { Minimap } from './minimap.js';

const TOKEN_KEY = 'universe-relay.console.token';
const OVERVIEW_POLL_MS = 1000;
const UNIVERSES_POLL_MS = 2000;
const CHART_WINDOW_MS = 15 * 60 * 1000;

const $ = (id) => document.getElementById(id);
let api = null;
let timer = null;
let minimap = null;
let viewToken = 0; // bumps on every navigation: late answers of an old view are dropped
const history = new Map(); // node -> NodePoint[]
let historySince = 0;
let universeSort = 'players';

/** A test hook, like the game's window.__relayGame. */
window.__console = { get minimap() { return minimap; }, get view() { return location.hash; } };

function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const rate = (v) => compact(v ?? 0);
const bytes = (v) => `${compact(v ?? 0)}B`;
const micros = (v) => (v >= 1000 ? `${(v / 1000).toFixed(1)} ms` : `${Math.round(v ?? 0)} µs`);
const since = (ms) => (ms ? new Date(ms).toLocaleTimeString() : '—');

function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 4000);
}

/** Asks in a modal dialog; resolves true only when the operator confirmed. */
function confirmAction(text) {
  const dialog = $('confirm');
  $('confirm-text').textContent = text;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
  });
}

function signOut(message = '') {
  sessionStorage.removeItem(TOKEN_KEY);
  api = null;
  stopView();
  $('view').hidden = true;
  $('nav').hidden = true;
  $('sign-out').hidden = true;
  $('who').textContent = '';
  $('login').hidden = false;
  $('login-error').textContent = message;
  $('token').value = '';
}

/** Any refusal of the admin API sends the operator back to the sign-in form with the reason. */
function handleFailure(error) {
  if (error instanceof ConsoleApiError && (error.status === 401 || error.status === 403)) {
    signOut(`Refused: ${error.message}.`);
    return true;
  }
  return false;
}

async function signIn(token) {
  const candidate = new ConsoleApi(token);
  try {
    const overview = await candidate.overview();
    api = candidate;
    sessionStorage.setItem(TOKEN_KEY, token);
    $('login').hidden = true;
    $('nav').hidden = false;
    $('sign-out').hidden = false;
    $('who').textContent = `node ${overview.node}`;
    if (!location.hash || location.hash === '#/') location.hash = '#/overview';
    route();
  } catch (error) {
    if (!handleFailure(error)) signOut(`Could not reach the relay: ${error.message}`);
  }
}

function stopView() {
  viewToken += 1;
  clearTimeout(timer);
  timer = null;
  if (minimap) minimap.stop();
  minimap = null;
}

/** Runs `tick` now and then every `ms` while the view is current. */
function poll(ms, tick) {
  const mine = viewToken;
  const loop = async () => {
    try {
      await tick(() => mine === viewToken);
    } catch (error) {
      if (handleFailure(error)) return;
      if (mine === viewToken) toast(error.message);
    }
    if (mine === viewToken) timer = setTimeout(loop, ms);
  };
  loop();
}

function route() {
  if (!api) return;
  stopView();
  const [, view, name] = location.hash.match(/^#\/([a-z]+)(?:\/(.+))?$/) ?? [];
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.view === (view === 'universe' ? 'universes' : view));
  }
  const root = $('view');
  root.hidden = false;
  root.replaceChildren();
  if (view === 'universes' && name) universeView(root, decodeURIComponent(name));
  else if (view === 'universes') universesView(root);
  else overviewView(root);
}

// ---------------------------------------------------------------- overview

function card(label, id) {
  return h('div', { class: 'card' }, h('div', { class: 'value', id }, '—'), h('div', { class: 'label' }, label));
}

const CHARTS = [
  { id: 'chart-connections', title: 'Connections', value: (p) => p.connections },
  { id: 'chart-in', title: 'Events in / s', value: (p) => p.eventsIn },
  { id: 'chart-out', title: 'Events out / s', value: (p) => p.eventsOut },
  { id: 'chart-p99', title: 'Fan-out p99 (ms)', value: (p) => p.fanoutP99Micros / 1000 },
  { id: 'chart-bytes', title: 'Bytes out / s', value: (p) => p.bytesOut, unit: 'B' },
  { id: 'chart-refusals', title: 'Refusals / s', value: (p) => p.refusals },
];

function overviewView(root) {
  root.append(
    h('h1', {}, 'Overview'),
    h('div', { class: 'cards' },
      card('connections', 'sum-connections'), card('universes', 'sum-universes'), card('players', 'sum-players'),
      card('events in / s', 'sum-in'), card('events out / s', 'sum-out'), card('fan-out p99 (worst node)', 'sum-p99'),
      card('refusals / s', 'sum-refusals')),
    h('h2', {}, 'Nodes'),
    h('table', { id: 'nodes' }, h('thead', {}, h('tr', {},
      ['node', 'state', 'connections', 'universes', 'players', 'in / s', 'out / s', 'bytes in / s', 'bytes out / s', 'fan-out p99', 'refusals / s', '']
        .map((c, i) => h('th', { class: i >= 2 && i <= 10 ? 'num' : '' }, c)))), h('tbody')),
    h('h2', {}, 'Last 15 minutes'),
    h('div', { class: 'legend', id: 'legend' }),
    h('div', { class: 'charts' }, CHARTS.map((c) => h('div', { class: 'chart' }, h('h3', {}, c.title),
      document.createElementNS('http://www.w3.org/2000/svg', 'svg')))),
    h('h2', {}, 'Refused connections and abuse closes, by reason (since start)'),
    h('table', { id: 'refusals' }, h('thead', {}, h('tr', {}, h('th', {}, 'reason'), h('th', { class: 'num' }, 'count'))), h('tbody')),
  );
  root.querySelectorAll('.chart svg').forEach((svg, i) => svg.setAttribute('id', CHARTS[i].id));
  let historyDue = 0;
  poll(OVERVIEW_POLL_MS, async (current) => {
    const overview = await api.overview();
    if (!current()) return;
    renderOverview(overview);
    if (Date.now() >= historyDue) {
      historyDue = Date.now() + 5000;
      const { nodes } = await api.history(historySince);
      if (!current()) return;
      for (const series of nodes ?? []) { // the API leaves empty lists out
        const points = history.get(series.node) ?? [];
        points.push(...(series.points ?? []));
        const cutoff = Date.now() - CHART_WINDOW_MS;
        while (points.length && points[0].at < cutoff) points.shift();
        history.set(series.node, points);
        for (const p of series.points ?? []) historySince = Math.max(historySince, p.at);
      }
    }
    for (const n of overview.nodes) { // the latest sample of every node, between history polls
      const points = history.get(n.node) ?? [];
      if (!points.length || points[points.length - 1].at < n.latest.at) points.push(n.latest);
      history.set(n.node, points);
    }
    renderCharts();
  });
}

function renderOverview(o) {
  const reasonsByCount = o.refusals ?? {};
  const live = o.nodes.filter((n) => n.state !== 'lost');
  const total = (f) => live.reduce((s, n) => s + f(n.latest), 0);
  $('sum-connections').textContent = o.connections;
  $('sum-universes').textContent = o.universes;
  $('sum-players').textContent = o.players;
  $('sum-in').textContent = rate(total((p) => p.eventsIn));
  $('sum-out').textContent = rate(total((p) => p.eventsOut));
  $('sum-p99').textContent = micros(Math.max(0, ...live.map((n) => n.latest.fanoutP99Micros)));
  $('sum-refusals').textContent = rate(total((p) => p.refusals));
  $('nodes').tBodies[0].replaceChildren(...o.nodes.map((n) => h('tr', { 'data-node': n.node },
    h('td', {}, n.node, n.node === o.node ? h('span', { class: 'muted' }, ' (this node)') : null),
    h('td', {}, h('span', { class: `state ${n.state}` }, n.state)),
    h('td', { class: 'num' }, n.latest.connections),
    h('td', { class: 'num' }, n.universeCount),
    h('td', { class: 'num' }, n.latest.players),
    h('td', { class: 'num' }, rate(n.latest.eventsIn)),
    h('td', { class: 'num' }, rate(n.latest.eventsOut)),
    h('td', { class: 'num' }, bytes(n.latest.bytesIn)),
    h('td', { class: 'num' }, bytes(n.latest.bytesOut)),
    h('td', { class: 'num' }, micros(n.latest.fanoutP99Micros)),
    h('td', { class: 'num' }, rate(n.latest.refusals)),
    h('td', {}, h('button', {
      class: 'danger', type: 'button', disabled: n.state !== 'ready',
      onclick: () => drainNode(n.node),
    }, 'Drain')),
  )));
  const reasons = Object.entries(reasonsByCount).filter(([, count]) => count > 0).sort((a, b) => b[1] - a[1]);
  $('refusals').tBodies[0].replaceChildren(...(reasons.length
    ? reasons.map(([reason, count]) => h('tr', {}, h('td', {}, reason), h('td', { class: 'num' }, count)))
    : [h('tr', {}, h('td', { colspan: 2, class: 'muted' }, 'none'))]));
}

/** A legend's colour swatch, coloured through the CSSOM (the page's CSP forbids style attributes). */
function swatch(color) {
  const i = h('i');
  i.style.background = color;
  return i;
}

function renderCharts() {
  const to = Date.now();
  const nodes = [...history.keys()].sort();
  // the last 15 minutes, or what there is of them (at least a minute) on a node that just started
  const oldest = Math.min(...nodes.map((n) => history.get(n)[0]?.at ?? to));
  const from = Math.max(to - CHART_WINDOW_MS, Math.min(oldest, to - 60_000));
  $('legend').replaceChildren(...nodes.map((n, i) => h('span', {},
    swatch(SERIES_COLORS[i % SERIES_COLORS.length]), n)));
  for (const c of CHARTS) {
    const svg = $(c.id);
    if (!svg) return;
    drawLineChart(svg, nodes.map((n) => ({ name: n, points: history.get(n).map((p) => ({ t: p.at, v: c.value(p) })) })),
      { from, to, unit: c.unit });
  }
}

async function drainNode(node) {
  if (!(await confirmAction(`Drain node ${node}? It refuses new connections (503) and closes its open ones with 1001; clients move to another node.`))) return;
  try {
    await api.drain(node);
    toast(`Node ${node} is draining`);
  } catch (error) {
    if (!handleFailure(error)) toast(`Drain failed: ${error.message}`);
  }
}

// ---------------------------------------------------------------- universes

const UNIVERSE_COLUMNS = [
  { label: 'universe', sort: 'name' },
  { label: 'players', sort: 'players', num: true },
  { label: 'spectators', num: true },
  { label: 'entities', sort: 'entities', num: true },
  { label: 'events / s (in + out)', sort: 'events', num: true },
  { label: 'bytes / s (in + out)', sort: 'bytes', num: true },
  { label: 'recording' },
  { label: 'nodes' },
];

function universesView(root) {
  const head = h('tr', {}, UNIVERSE_COLUMNS.map((c) => h('th', {
    class: `${c.num ? 'num' : ''} ${c.sort ? 'sortable' : ''} ${c.sort === universeSort ? 'sorted' : ''}`,
    'data-sort': c.sort,
    onclick: c.sort ? () => { universeSort = c.sort; route(); } : undefined,
  }, c.label)));
  root.append(h('h1', {}, 'Universes'), h('p', { class: 'muted', id: 'universe-count' }),
    h('table', { id: 'universes' }, h('thead', {}, head), h('tbody')));
  poll(UNIVERSES_POLL_MS, async (current) => {
    const list = await api.universes(universeSort);
    if (!current()) return;
    list.universes = list.universes ?? [];
    $('universe-count').textContent = list.total > list.universes.length
      ? `${list.total} universes; the ${list.universes.length} first shown` : `${list.total} universe${list.total === 1 ? '' : 's'}`;
    $('universes').tBodies[0].replaceChildren(...list.universes.map((u) => h('tr', {
      class: 'link', 'data-universe': u.name, onclick: () => { location.hash = `#/universes/${encodeURIComponent(u.name)}`; },
    },
    h('td', {}, u.name),
    h('td', { class: 'num' }, u.players),
    h('td', { class: 'num' }, u.spectators),
    h('td', { class: 'num' }, u.entities),
    h('td', { class: 'num' }, rate(u.eventsIn + u.eventsOut)),
    h('td', { class: 'num' }, bytes(u.bytesIn + u.bytesOut)),
    h('td', { class: 'muted' }, u.recording ?? 'off'),
    h('td', { class: 'muted' }, (u.nodes ?? []).join(', ')))));
  });
}

function universeView(root, name) {
  const status = h('span', { class: 'muted', id: 'minimap-status' }, 'connecting…');
  root.append(
    h('p', {}, h('a', { href: '#/universes' }, '← universes')),
    h('h1', {}, `Universe ${name}`),
    h('div', { class: 'toolbar' },
      h('span', { id: 'universe-summary', class: 'muted' }),
      h('button', { type: 'button', class: 'danger', id: 'close-universe', onclick: () => closeUniverse(name) }, 'Close universe'),
      h('button', { type: 'button', id: 'toggle-recording', onclick: () => toggleRecording(name) }, 'Start recording'),
      h('span', { class: 'muted' }, 'recording: ', h('span', { id: 'recording' }, 'off'))),
    h('div', { class: 'split' },
      h('div', {}, h('h2', {}, 'Members'), h('div', { class: 'scroll' }, h('table', { id: 'members' }, h('thead', {}, h('tr', {},
        ['#', 'name', 'role', 'state', 'entities', 'address', 'connected since', 'rate-limit hits', 'errors', '']
          .map((c, i) => h('th', { class: [0, 4, 7, 8].includes(i) ? 'num' : '' }, c)))), h('tbody')))),
      h('div', {}, h('h2', {}, 'Live map'), h('canvas', { class: 'minimap', id: 'minimap' }),
        h('p', {}, 'spectator: ', status, ' · ', h('span', { id: 'minimap-count' }, '0'), ' entities'))),
  );
  minimap = new Minimap($('minimap'), name, async () => (await api.watchToken(name)).access_token,
    (state) => { status.textContent = state; });
  minimap.start();
  poll(UNIVERSES_POLL_MS, async (current) => {
    let u;
    try {
      u = await api.universe(name);
    } catch (error) {
      if (error instanceof ConsoleApiError && error.status === 404 && current()) {
        $('universe-summary').textContent = `No universe ${name} on this node (closed, empty, or served by another node).`;
        $('members').tBodies[0].replaceChildren();
        return;
      }
      throw error;
    }
    if (!current()) return;
    $('minimap-count').textContent = minimap?.size ?? 0;
    $('recording').textContent = u.recording ?? 'off';
    $('toggle-recording').textContent = u.recording ? 'Stop recording' : 'Start recording';
    $('universe-summary').textContent = `${u.players} players · ${u.spectators} spectators · ${u.entities} entities · created ${since(u.created)} · node ${u.node}`;
    $('members').tBodies[0].replaceChildren(...(u.members ?? []).map((m) => h('tr', { 'data-player': m.p },
      h('td', { class: 'num' }, m.p),
      h('td', {}, m.name),
      h('td', {}, m.spectator ? 'spectator' : 'player'),
      h('td', {}, m.connected ? (m.address ? 'connected' : 'on another node') : 'resume grace'),
      h('td', { class: 'num' }, m.entities),
      h('td', {}, m.address ?? '—'),
      h('td', {}, since(m.connectedAt)),
      h('td', { class: 'num' }, m.rateLimitHits ?? '—'),
      h('td', { class: 'num' }, m.errors ?? '—'),
      h('td', {}, h('button', {
        type: 'button', class: 'danger', 'data-kick': m.p, disabled: !m.address && m.connected,
        onclick: () => kick(name, m),
      }, 'Kick')))));
  });
}

async function kick(universe, member) {
  if (!(await confirmAction(`Kick ${member.name} (#${member.p}) from ${universe}? Its entities are destroyed and its connection is closed with 4003.`))) return;
  try {
    await api.kick(universe, member.p);
    toast(`${member.name} was kicked`);
  } catch (error) {
    if (!handleFailure(error)) toast(`Kick failed: ${error.message}`);
  }
}

async function toggleRecording(name) {
  const stop = $('toggle-recording').textContent.startsWith('Stop');
  const question = stop ? `Stop recording ${name}? The recording is closed and kept.`
    : `Start recording ${name}? Its events are written to a recording on this node until you stop it.`;
  if (!(await confirmAction(question))) return;
  try {
    if (stop) await api.stopRecording(name);
    else await api.startRecording(name);
    toast(stop ? `Recording of ${name} stopped` : `Recording of ${name} started`);
  } catch (error) {
    if (!handleFailure(error)) toast(`${stop ? 'Stop' : 'Start'} recording failed: ${error.message}`);
  }
}

async function closeUniverse(name) {
  if (!(await confirmAction(`Close universe ${name}? Every connection is closed with 4003 and the universe is forgotten.`))) return;
  try {
    await api.closeUniverse(name);
    toast(`Universe ${name} was closed`);
    location.hash = '#/universes';
  } catch (error) {
    if (!handleFailure(error)) toast(`Close failed: ${error.message}`);
  }
}

// ---------------------------------------------------------------- start

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('token').value.trim();
  if (token) signIn(token);
});
$('sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', route);
const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) signIn(saved);
else signOut();
