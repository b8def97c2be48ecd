/**
 * One player's session in one universe: connects with the SDK, flies the own ship, fires,
 * detects hits on the own ship, and turns everybody's entities into frames for the renderer.
 *
 * Who decides what: each player is the authority for its own entities. The own ship is
 * simulated here and its state sent when its motion changes; others' ships and all bullets are
 * drawn by dead reckoning from the relay's events. A hit is decided by the owner of the ship that
 * was hit, against every bullet it sees, and ends in that owner destroying its ship.
 * @module space-game
 */
import { playerColor } from './player-colors.js';
import {
  BULLET, KIND, MoveScheduler, OPEN_ARENA, SHIP, ViewFollower, arenaFor, launchBullet, outsideArena, segmentHitsCircle,
  spawnNear, spawnPoint, stepShip,
} from './space-rules.js';

const PARTICLE_LIFETIME_S = 0.9;
const SAME_NOTICE_QUIET_MS = 3000;

/** Turns an angle difference into the range -π..π, so headings turn the short way. */
function angleDelta(from, to) {
  return Math.atan2(Math.sin(to - from), Math.cos(to - from));
}

export class SpaceGame {
  /**
   * @param {object} options
   * @param {import('../../sdk/src/relay-client.js').RelayClient} options.client not connected yet
   * @param {import('./space-renderer.js').SpaceRenderer} options.renderer
   * @param {import('./game-hud.js').GameHud} options.hud
   * @param {{controls: object}} options.input
   * @param {() => number} [options.random] for spawn points
   */
  constructor({ client, renderer, hud, input, random = Math.random }) {
    this.renderer = renderer;
    this.hud = hud;
    this.input = input;
    this.random = random;
    this.client = client;
    /** The field: open worlds (`open-…`) are much larger than the screen. */
    this.arena = arenaFor(client.universe);
    /** The own ship: local physics; id null while its spawn is not confirmed. */
    this.ship = null;
    /** Local time to spawn a ship at (the first one as soon as connected). */
    this.respawnAt = 0;
    this.moves = new MoveScheduler();
    this.nextFireAt = 0;
    this.bulletsPending = 0;
    /** @type {Map<number, number>} own bullet id -> local time it expires */
    this.bullets = new Map();
    /** Bullets that already hit the own ship (they fly on until their owner removes them). */
    this.spentBullets = new Set();
    /** @type {Map<number, number>} drawn heading of others' ships */
    this.headings = new Map();
    /** @type {Map<number, number>} others' ships that just sped up -> local time to stop the flame */
    this.flames = new Map();
    this.particles = [];
    this.deaths = 0;
    /** Local time of the last frame, ms: the game's clock. */
    this.lastFrameAt = null;
    this.lastServerNow = null;
    this.lastNotice = new Map();
    this.camera = { x: 0, y: 0 };
    /** Keeps the relay's view of this player on the camera (universes with interest management). */
    this.viewFollower = new ViewFollower();
    this.debug = this.debugView();
  }

  /** Connects and exposes the debug hook. */
  start() {
    this.hud.setVisible(true);
    this.hud.setUniverse(this.client.universe);
    this.listen();
    this.client.connect();
    globalThis.__relayGame = this.debug;
  }

  /** Leaves the universe for good. */
  stop() {
    this.client.close();
    this.hud.setVisible(false);
    if (globalThis.__relayGame === this.debug) delete globalThis.__relayGame;
  }

  /**
   * What end-to-end tests and a curious developer can read without parsing pixels:
   * `window.__relayGame.state.snapshot()`.
   * @private
   */
  debugView() {
    const game = this;
    const client = this.client;
    return {
      client,
      state: {
        get universe() { return client.universe; },
        get you() { return client.you; },
        get connection() { return client.state; },
        get rtt() { return client.clock.rtt; },
        get myShipId() { return game.ship?.id ?? null; },
        get deaths() { return game.deaths; },
        get entities() { return client.entities; },
        get players() { return client.players; },
        /**
         * Puts the own ship somewhere else at rest, as if it had flown there (the next move tells
         * the others; the camera and the view follow). For tests of open worlds. False without a ship.
         */
        teleport(x, y) {
          if (game.ship?.id == null) return false;
          Object.assign(game.ship, { x, y, vx: 0, vy: 0 });
          game.camera = { x, y };
          game.client.move(game.ship.id, { x, y, vx: 0, vy: 0 });
          return true;
        },
        snapshot() {
          const now = client.serverNow();
          return {
            universe: client.universe,
            you: client.you,
            connection: client.state,
            myShipId: game.ship?.id ?? null,
            deaths: game.deaths,
            players: [...client.players.values()],
            entities: [...client.entities.values()].map((e) => ({
              id: e.id, owner: e.owner, kind: e.kind, ...e.positionAt(now), vx: e.vx, vy: e.vy,
            })),
          };
        },
      },
    };
  }

  /** @private */
  listen() {
    const { client, hud } = this;
    client.on('statechange', ({ state, previous }) => {
      hud.setConnection(state);
      if (state === 'open') hud.banner(null);
      if (state === 'open' && previous === 'reconnecting') this.notice('Reconnected.', 'info');
    });
    client.on('close', ({ text, willRetry }) => {
      if (willRetry) hud.banner(`${text} Reconnecting…`);
      else hud.ended(text);
    });
    client.on('error', ({ text }) => this.notice(text, 'error'));
    client.on('welcome', ({ resumed }) => this.onWelcome(resumed));
    client.on('joined', ({ player }) => this.notice(`${player.name} joined.`, 'info'));
    client.on('left', ({ player }) => this.notice(`${player.name} left.`, 'info'));
    client.on('velocity', ({ entity, previousSpeed }) => {
      // the protocol has no "thrusting" flag: a ship that sped up was thrusting
      if (entity.kind === KIND.SHIP && Math.hypot(entity.vx, entity.vy) > previousSpeed + 5) {
        this.flames.set(entity.id, (this.lastFrameAt ?? 0) + 300);
      }
    });
    client.on('hidden', ({ id }) => {
      this.headings.delete(id);
      this.flames.delete(id);
    });
    client.on('destroyed', ({ id, entity }) => {
      this.spentBullets.delete(id);
      this.headings.delete(id);
      this.flames.delete(id);
      if (entity?.kind === KIND.SHIP) {
        const { x, y } = entity.positionAt(client.serverNow());
        this.explode(x, y, playerColor(entity.owner));
      }
    });
  }

  /** @private Shows a notice, but not the same one again and again. */
  notice(text, kind) {
    const now = this.lastFrameAt ?? 0;
    if (now - (this.lastNotice.get(text) ?? -Infinity) < SAME_NOTICE_QUIET_MS) return;
    this.lastNotice.set(text, now);
    this.hud.toast(text, kind);
  }

  /**
   * After every (re)connection the server's snapshot is the truth: keep the own ship if the
   * server still has it, adopt one it has otherwise, and clean up own entities nobody tracks
   * (spawns whose confirmation was lost with the connection).
   * @private
   */
  onWelcome(resumed) {
    const { client } = this;
    const own = [...client.entities.values()].filter((e) => e.owner === client.you);
    const keepShip = resumed && this.ship?.id != null && client.entities.get(this.ship.id)?.owner === client.you;
    if (!keepShip) {
      const adopted = own.find((e) => e.kind === KIND.SHIP);
      if (adopted) {
        const p = adopted.positionAt(client.serverNow());
        this.ship = { ...p, vx: adopted.vx, vy: adopted.vy, angle: Math.atan2(adopted.vy, adopted.vx), id: adopted.id, shieldUntil: 0 };
      } else if (this.ship?.id != null) {
        this.ship = null; // it is gone: spawn a new one
        this.respawnAt = this.lastFrameAt ?? 0;
      }
    }
    for (const e of own) {
      const tracked = e.kind === KIND.SHIP ? e.id === this.ship?.id : this.bullets.has(e.id);
      if (!tracked) client.destroy(e.id);
    }
    for (const id of this.bullets.keys()) {
      if (client.entities.get(id)?.owner !== client.you) this.bullets.delete(id);
    }
    if (!resumed) this.notice(`Welcome to ${client.universe}, ${client.name}!`, 'info');
  }

  /**
   * Where the next ship starts: in an open world near another pilot's ship (the first ship of a
   * player comes right after the welcome, whose snapshot lists every ship; a respawn knows the
   * ships in its view), so that pilots meet on a field much larger than a view; elsewhere near the
   * middle of the arena.
   * @private
   */
  spawnPosition() {
    if (this.arena !== OPEN_ARENA) return spawnPoint(this.random, this.arena);
    const { client } = this;
    const now = client.serverNow();
    const ships = [...client.entities.values()]
      .filter((e) => e.kind === KIND.SHIP && e.owner !== client.you)
      .map((e) => e.positionAt(now));
    return spawnNear(ships, this.random, this.arena);
  }

  /** @private */
  spawnShip(now) {
    const ship = { ...this.spawnPosition(), vx: 0, vy: 0, id: null, shieldUntil: 0 };
    this.ship = ship;
    this.respawnAt = null;
    this.client.spawn({ kind: KIND.SHIP, x: ship.x, y: ship.y, vx: 0, vy: 0 }).then((entity) => {
      if (this.ship !== ship) {
        this.client.destroy(entity.id);
        return;
      }
      ship.id = entity.id;
      ship.shieldUntil = (this.lastFrameAt ?? now) + SHIP.shieldMs;
    }, () => {
      if (this.ship === ship) {
        this.ship = null;
        this.respawnAt = now + 500;
      }
    });
  }

  /** @private */
  fire(now) {
    const ship = this.ship;
    this.nextFireAt = now + BULLET.cooldownMs;
    this.bulletsPending += 1;
    const expiresAt = now + BULLET.lifetimeMs;
    this.client.spawn({ kind: KIND.BULLET, ...launchBullet(ship) }).then((entity) => {
      this.bulletsPending -= 1;
      this.bullets.set(entity.id, expiresAt);
    }, () => {
      this.bulletsPending -= 1;
    });
  }

  /** @private The own ship was hit: its owner (this client) destroys it. */
  die(bullet, now) {
    const shooter = this.client.players.get(bullet.owner)?.name ?? 'someone';
    this.explode(this.ship.x, this.ship.y, playerColor(this.client.you));
    this.client.destroy(this.ship.id);
    this.ship = null;
    this.deaths += 1;
    this.respawnAt = now + SHIP.respawnMs;
    this.notice(`Hit by ${shooter}! Respawning…`, 'warn');
  }

  /** @private */
  explode(x, y, color) {
    for (let i = 0; i < 48; i += 1) {
      const angle = Math.random() * Math.PI * 2;
      const speed = 60 + Math.random() * 320;
      this.particles.push({
        x, y, vx: Math.cos(angle) * speed, vy: Math.sin(angle) * speed, life: 1,
        color: i % 3 === 0 ? '#ffffff' : color,
      });
    }
  }

  /**
   * Advances and draws one frame.
   * @param {number} now local time, ms (requestAnimationFrame's)
   */
  frame(now) {
    const dt = this.lastFrameAt === null ? 0 : Math.min(0.05, (now - this.lastFrameAt) / 1000);
    this.lastFrameAt = now;
    const { client } = this;
    const serverNow = client.serverNow();
    const controls = this.input.controls;
    const open = client.state === 'open';

    if (this.ship?.id != null) this.flyShip(now, dt, controls);
    else if (!this.ship && this.respawnAt !== null && now >= this.respawnAt && open) this.spawnShip(now);

    for (const [id, expiresAt] of this.bullets) {
      const bullet = client.entities.get(id);
      if (!bullet || now >= expiresAt || outsideArena(bullet.positionAt(serverNow), 50, this.arena)) {
        this.bullets.delete(id);
        client.destroy(id);
      }
    }
    if (this.ship?.id != null && now >= this.ship.shieldUntil) this.checkHits(serverNow, now);
    this.lastServerNow = serverNow;

    for (const p of this.particles) {
      p.x += p.vx * dt;
      p.y += p.vy * dt;
      p.vx *= 0.97;
      p.vy *= 0.97;
      p.life -= dt / PARTICLE_LIFETIME_S;
    }
    this.particles = this.particles.filter((p) => p.life > 0);

    if (this.ship) {
      this.camera.x += (this.ship.x - this.camera.x) * Math.min(1, dt * 8);
      this.camera.y += (this.ship.y - this.camera.y) * Math.min(1, dt * 8);
    }
    const view = this.viewFollower.next(this.camera);
    if (view) client.setView(view);
    this.renderer.draw({ camera: this.camera, arena: this.arena, time: now, particles: this.particles, ...this.views(serverNow, dt, controls, now) });
    this.hud.setRtt(client.clock.rtt);
    this.hud.setDeaths(this.deaths);
    this.hud.setPlayers(client.players.values(), client.you);
  }

  /** @private */
  flyShip(now, dt, controls) {
    const ship = this.ship;
    const { bounced } = stepShip(ship, controls, dt, this.arena);
    const accelerating = controls.thrust || (controls.brake && Math.hypot(ship.vx, ship.vy) > 0);
    if (this.moves.due(now, { accelerating, bounced })) {
      this.client.move(ship.id, { x: ship.x, y: ship.y, vx: ship.vx, vy: ship.vy });
    }
    if (controls.fire && now >= this.nextFireAt && this.bullets.size + this.bulletsPending < BULLET.maxInFlight) {
      this.fire(now);
    }
  }

  /** @private Tests every bullet of others against the own ship, along its path this frame. */
  checkHits(serverNow, now) {
    const before = this.lastServerNow ?? serverNow;
    const reach = SHIP.radius + BULLET.radius;
    for (const e of this.client.entities.values()) {
      if (e.kind !== KIND.BULLET || e.owner === this.client.you || this.spentBullets.has(e.id)) continue;
      if (segmentHitsCircle(e.extrapolate(before), e.extrapolate(serverNow), this.ship, reach)) {
        this.spentBullets.add(e.id);
        this.die(e, now);
        return;
      }
    }
  }

  /** @private What the renderer draws this frame. */
  views(serverNow, dt, controls, now) {
    const { client } = this;
    const ships = [];
    const bullets = [];
    for (const e of client.entities.values()) {
      if (e.kind === KIND.BULLET) {
        bullets.push({ ...e.positionAt(serverNow), vx: e.vx, vy: e.vy, color: playerColor(e.owner) });
      } else if (e.kind === KIND.SHIP && e.id !== this.ship?.id) {
        const p = e.positionAt(serverNow);
        const speed = Math.hypot(e.vx, e.vy);
        let angle = this.headings.get(e.id) ?? Math.atan2(e.vy, e.vx);
        if (speed > 20) angle += angleDelta(angle, Math.atan2(e.vy, e.vx)) * Math.min(1, dt * 10);
        this.headings.set(e.id, angle);
        ships.push({
          ...p, angle, color: playerColor(e.owner), me: false, thrusting: now < (this.flames.get(e.id) ?? 0), shielded: false,
          name: client.players.get(e.owner)?.name ?? `player ${e.owner}`,
        });
      }
    }
    if (this.ship) {
      ships.push({
        x: this.ship.x, y: this.ship.y, angle: this.ship.angle, color: playerColor(client.you ?? 0),
        name: client.name ?? '', me: true, thrusting: this.ship.id != null && controls.thrust,
        shielded: this.ship.id == null || now < this.ship.shieldUntil,
      });
    }
    return { ships, bullets };
  }
}
