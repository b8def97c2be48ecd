// N concurrent replays at 1x against a running relay, for a bounded time; then the relay's own
// measure of how late it delivered replayed events behind the recorded schedule
// (relay_replay_lag_seconds, a histogram), read from /prometheus. Loopback only.
//   node benchmarks/replays/replays.mjs http://127.0.0.1:PORT 50 20
// Needs the `ws` package (game-client's dev dependency) and recordings on the relay.
import { createRequire } from 'node:module';
const require = createRequire(new URL('../../game-client/package.json', import.meta.url));
const WebSocket = require('ws');

const [base = 'http://127.0.0.1:8080', countArg = '50', secondsArg = '20'] = process.argv.slice(2);
const count = Math.min(Number(countArg), 500);
const seconds = Math.min(Number(secondsArg), 300);

async function login(name) {
  const r = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }) });
  if (!r.ok) throw new Error(`login: HTTP ${r.status}`);
  return (await r.json()).access_token;
}

function lagQuantiles(text) {
  const buckets = [];
  let total = 0;
  for (const line of text.split('\n')) {
    const m = line.match(/^relay_replay_lag_seconds_bucket\{.*le="([^"]+)".*\} (\S+)/);
    if (m) buckets.push([m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])]);
    const c = line.match(/^relay_replay_lag_seconds_count(?:\{.*\})? (\S+)/);
    if (c) total = Number(c[1]);
  }
  buckets.sort((a, b) => a[0] - b[0]);
  const q = (p) => buckets.find(([, n]) => n >= p * total)?.[0];
  return { events: total, p50_ms: 1000 * q(0.5), p99_ms: 1000 * q(0.99), p999_ms: 1000 * q(0.999) };
}

const list = await (await fetch(`${base}/api/recordings`, { headers: { authorization: `Bearer ${await login('lister')}` } })).json();
const ids = (Array.isArray(list) ? list : list.recordings ?? []).map((r) => r.id);
if (ids.length === 0) throw new Error('no recordings on the relay');
const before = lagQuantiles(await (await fetch(`${base}/prometheus`)).text());
let messages = 0, bytes = 0, opened = 0, closedEarly = 0;
const sockets = [];
for (let i = 0; i < count; i++) {
  const token = await login(`viewer${i}`);
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/replays/${ids[i % ids.length]}?access_token=${token}`, 'relay.v1.bin');
  ws.on('open', () => { opened++; });
  ws.on('message', (data) => { messages++; bytes += data.length; });
  ws.on('close', (code) => { if (code !== 1000 && code !== 1005) closedEarly++; });
  sockets.push(ws);
}
await new Promise((r) => setTimeout(r, seconds * 1000));
for (const ws of sockets) ws.close(1000);
const after = lagQuantiles(await (await fetch(`${base}/prometheus`)).text());
console.log(JSON.stringify({ replays: count, opened, closed_early: closedEarly, recordings: ids.length, seconds,
  frames: messages, bytes, lag_events: after.events - before.events, lag_p50_ms: after.p50_ms, lag_p99_ms: after.p99_ms, lag_p999_ms: after.p999_ms }));
process.exit(0);
