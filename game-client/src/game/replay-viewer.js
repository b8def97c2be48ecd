/**
 * The replay page (watch.html#<id>): plays a recording over /ws/replays/<id> (docs/protocol.md
 * section 15) as a spectator sees a live universe, with speed, pause and seek controls. Entities
 * are drawn where they are at the replay's own time: the status messages give that time and the
 * speed, so ships glide at the chosen speed between events.
 * @module replay-viewer
 */
import { GuestTokenSource } from '../../sdk/src/index.js';
import { playerColor as colorFor } from './player-colors.js';
import { SpaceRenderer } from './space-renderer.js';
import { formatDuration } from './recordings-list.js';

const SHIP = 1;
const BULLET = 2;

export class ReplayViewer {
  constructor(doc, id) {
    this.doc = doc;
    this.id = id;
    this.el = (name) => doc.getElementById(name);
    this.renderer = new SpaceRenderer(this.el('space'));
    /** @type {Map<number, {id:number, o:number, k:number, x:number, y:number, vx:number, vy:number, s:number}>} */
    this.entities = new Map();
    /** @type {Map<number, string>} */
    this.players = new Map();
    this.status = null;
    this.anchor = { time: 0, at: 0 };
    this.socket = null;
    this.error = '';
    this.camera = { x: 0, y: 0 };
    window.__relayReplay = this; // for the browser tests
  }

  async start() {
    const tokens = new GuestTokenSource('watcher');
    const token = await tokens.getToken();
    const url = new URL(`ws/replays/${encodeURIComponent(this.id)}`, globalThis.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('access_token', token);
    this.socket = new WebSocket(url.href, 'relay.v1.json');
    this.socket.addEventListener('message', (event) => this.receive(JSON.parse(event.data)));
    this.socket.addEventListener('close', (event) => {
      if (event.code !== 1000) this.showError(`Replay closed (${event.code}) ${event.reason}`);
    });
    this.el('speed').addEventListener('change', () => this.send({ speed: Number(this.el('speed').value) }));
    this.el('pause').addEventListener('click', () => this.send({ paused: !this.status?.paused }));
    this.el('seek').addEventListener('change', () => this.send({ seek: Math.round(Number(this.el('seek').value)), paused: false }));
    const loop = (now) => {
      this.draw(now);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  }

  send(control) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ t: 'replay', ...control }));
  }

  /** The recorded server time the replay is at now. */
  time(now = performance.now()) {
    if (!this.status || this.status.paused || this.status.ended) return this.anchor.time;
    return this.anchor.time + (now - this.anchor.at) * this.status.speed;
  }

  receive(message) {
    const list = Array.isArray(message) ? message : [message];
    for (const m of list) {
      switch (m.t) {
        case 'welcome':
          this.entities = new Map(m.entities.map((e) => [e.id, e]));
          this.players = new Map(m.players.map((p) => [p.p, p.name]));
          this.anchor = { time: m.s, at: performance.now() };
          break;
        case 'appeared':
        case 'velocity': {
          const known = this.entities.get(m.id);
          this.entities.set(m.id, { ...known, ...m });
          if (m.s > this.time()) this.anchor = { time: m.s, at: performance.now() };
          break;
        }
        case 'destroyed':
          this.entities.delete(m.id);
          break;
        case 'joined':
          this.players.set(m.p, m.name);
          break;
        case 'left':
          this.players.delete(m.p);
          break;
        case 'replay':
          this.status = m;
          this.anchor = { time: m.s, at: performance.now() };
          this.showStatus();
          break;
        case 'error':
          this.showError(m.msg);
          break;
        default:
      }
    }
  }

  showStatus() {
    const s = this.status;
    const seek = this.el('seek');
    seek.min = String(s.start);
    seek.max = String(s.end);
    seek.value = String(s.s);
    this.el('pause').textContent = s.paused ? '▶ Play' : '❚❚ Pause';
    this.el('speed').value = String(s.speed);
    this.el('replay-title').textContent = s.universe;
  }

  showError(text) {
    this.error = text;
    const box = this.el('replay-message');
    box.textContent = text;
    box.hidden = !text;
  }

  /** Where each entity is at the replay's time, in the renderer's terms. */
  views(time) {
    const ships = [];
    const bullets = [];
    for (const e of this.entities.values()) {
      const dt = (time - e.s) / 1000;
      const x = e.x + e.vx * dt;
      const y = e.y + e.vy * dt;
      if (e.k === BULLET) {
        bullets.push({ x, y, vx: e.vx, vy: e.vy, color: colorFor(e.o) });
      } else {
        ships.push({ x, y, angle: Math.atan2(e.vy, e.vx) || 0, color: colorFor(e.o), name: this.players.get(e.o) ?? `#${e.o}`,
          me: false, thrusting: e.k === SHIP && Math.hypot(e.vx, e.vy) > 1, shielded: false });
      }
    }
    return { ships, bullets };
  }

  draw(now) {
    const time = this.time(now);
    const { ships, bullets } = this.views(time);
    if (ships.length) {
      const cx = ships.reduce((a, s) => a + s.x, 0) / ships.length;
      const cy = ships.reduce((a, s) => a + s.y, 0) / ships.length;
      this.camera.x += (cx - this.camera.x) * 0.1;
      this.camera.y += (cy - this.camera.y) * 0.1;
    }
    this.renderer.draw({ camera: this.camera, ships, bullets, particles: [], time: now });
    if (this.status) {
      this.el('replay-time').textContent = `${formatDuration(time - this.status.start)} / ${formatDuration(this.status.end - this.status.start)}`;
      if (this.doc.activeElement !== this.el('seek')) this.el('seek').value = String(Math.round(time));
    }
  }

  /** What is drawn, for tests: the replay time and each entity's drawn position. */
  snapshot() {
    const time = this.time();
    return {
      time,
      status: this.status,
      players: [...this.players.values()],
      entities: [...this.entities.values()].map((e) => ({ id: e.id, owner: e.o, kind: e.k,
        x: e.x + e.vx * (time - e.s) / 1000, y: e.y + e.vy * (time - e.s) / 1000 })),
    };
  }
}

const id = decodeURIComponent(globalThis.location?.hash?.slice(1) ?? '');
if (id) new ReplayViewer(document, id).start();
