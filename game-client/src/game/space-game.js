/**
 * One player's session in one universe: connects with the SDK, flies the own ship, fires,
 * detects hits on the own ship, and turns everybody's entities into frames for the renderer.
 *
 * Who decides what: each player is the authority for its own entities. The own ship is
 * simulated here in fixed steps ({@link FixedTimestep}) and predicted ({@link PredictedEntity}):
 * the keys act at once, its state is sent with a sequence number when its motion changes, and a
 * move the relay refuses is reconciled. Others' ships are drawn a little behind the server's time
 * by {@link Interpolator}, bullets by dead reckoning from the relay's events. A hit is decided by
 * the owner of the ship that was hit, against every bullet it sees, and ends in that owner
 * destroying its ship.
 * @module space-game
 */
import { FixedTimestep, Interpolator, PredictedEntity } from '../../sdk/src/index.js';
import { playerColor } from './player-colors.js';
import {
  BULLET, KIND, MoveScheduler, OPEN_ARENA, SHIP, ViewFollower, arenaFor, launchBullet, outsideArena, segmentHitsCircle,
  spawnNear, spawnPoint, stepShip,
} from './space-rules.js';

const PARTICLE_LIFETIME_S = 0.9;

/**
 * Others' ships are drawn this far behind the estimated server time: about the one-way delay of
 * a good connection plus jitter, so that most updates arrive before they are drawn.
 */
export const REMOTE_DELAY_MS = 100;
/** Ships tell their state at least every second (MoveScheduler): a ship silent for longer stops. */
export const MAX_EXTRAPOLATION_MS = 1500;
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
    /** The own ship's simulation runs in fixed steps of 1/60 s. */
    this.loop = new FixedTimestep({ stepMs: 1000 / 60 });
    /** Others' ships: drawn REMOTE_DELAY_MS behind the server's time. */
    this.interpolator = new Interpolator({
      delayMs: REMOTE_DELAY_MS,
      maxExtrapolationMs: MAX_EXTRAPOLATION_MS,
      maxCorrectionSpeed: SHIP.maxSpeed / 3, // a correction adds at most a third of the top speed
      snapDistance: 2000, // ships never teleport (a respawn is a new entity): a late bounce is caught up with, not jumped
    });
    /**
     * The own ship's prediction (null without a confirmed ship).
     * @type {PredictedEntity<{x: number, y: number, vx: number, vy: number, angle: number, bounced: boolean}, object> | null}
     */
    this.own = null;
    /** Corrections of the own ship (moves the relay refused), for tests and curious developers. */
    this.corrections = 0;
    /** Where ships were drawn in the last frame, for tests: `[{id, me, x, y}]`. */
    this.drawnShips = [];
    this.drawnAt = 0;
    /** Server time others' ships were drawn for in the last frame (smoothed, minus the interpolation delay). */
    this.drawnServerTime = 0;
    /** How far the last frame is between two fixed steps. */
    this.alpha = 1;
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
    this.dropPrediction();
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
        get corrections() { return game.corrections; },
        /** Ships as drawn in the last frame (after interpolation and prediction): `[{id, me, x, y}]`. */
        get drawnShips() { return game.drawnShips; },
        get pendingMoves() { return game.own?.pending ?? 0; },
        /** Local time of the last frame drawn (what `drawnShips` belongs to). */
        get frameTime() { return game.lastFrameAt; },
        /** Local clock (ms) when the last frame's positions were computed. */
        get drawnAt() { return game.drawnAt; },
        /** Server time others' ships were drawn for in the last frame. */
        get drawnServerTime() { return game.drawnServerTime; },
        /** How far behind the server's time others' ships are drawn, ms. */
        get remoteDelayMs() { return game.interpolator.delayMs; },
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
          const own = game.predicted();
          own.state = { ...own.state, x, y, vx: 0, vy: 0 };
          own.send();
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
      this.dropPrediction();
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

  /**
   * The own ship's prediction, made when a ship is confirmed (or adopted).
   * @private
   */
  predicted() {
    const ship = this.ship;
    if (this.own && this.own.id === ship.id) return this.own;
    this.dropPrediction();
    const arena = this.arena;
    this.own = new PredictedEntity({
      client: this.client,
      id: ship.id,
      state: { x: ship.x, y: ship.y, vx: ship.vx, vy: ship.vy, angle: ship.angle ?? 0, bounced: false },
      step: (state, controls, dt) => {
        const next = { ...state };
        next.bounced = stepShip(next, controls, dt, arena).bounced;
        return next;
      },
      onCorrection: () => { this.corrections += 1; },
    });
    return this.own;
  }

  /** @private */
  dropPrediction() {
    this.own?.dispose();
    this.own = null;
  }

  /** @private The own ship was hit: its owner (this client) destroys it. */
  die(bullet, now) {
    const shooter = this.client.players.get(bullet.owner)?.name ?? 'someone';
    this.explode(this.ship.x, this.ship.y, playerColor(this.client.you));
    this.client.destroy(this.ship.id);
    this.dropPrediction();
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

    this.alpha = this.loop.advance(now, (stepSeconds) => {
      if (this.ship?.id != null) this.flyShip(now, stepSeconds, controls);
    });
    if (this.ship?.id != null) {
      if (controls.fire && now >= this.nextFireAt && this.bullets.size + this.bulletsPending < BULLET.maxInFlight) {
        this.fire(now);
      }
    } else if (!this.ship && this.respawnAt !== null && now >= this.respawnAt && open) this.spawnShip(now);

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
    this.interpolator.adapt(client.clock.rtt, dt, { marginMs: 80 }); // others drawn behind by the one-way delay and a margin
    const view = this.viewFollower.next(this.camera);
    if (view) client.setView(view);
    const drawTime = client.smoothServerNow();
    this.drawnServerTime = this.interpolator.renderTime(drawTime);
    this.renderer.draw({
      camera: this.camera, arena: this.arena, time: now, particles: this.particles, ...this.views(drawTime, dt, controls, now),
    });
    this.drawnAt = client.clock.now();
    this.hud.setRtt(client.clock.rtt);
    this.hud.setDeaths(this.deaths);
    this.hud.setPlayers(client.players.values(), client.you);
  }

  /**
   * One fixed step of the own ship: the controls act at once (prediction), and the state goes to
   * the relay when the motion changed.
   * @private
   */
  flyShip(now, dt, controls) {
    const ship = this.ship;
    const own = this.predicted();
    own.apply({ left: controls.left, right: controls.right, thrust: controls.thrust, brake: controls.brake }, dt);
    const { bounced, ...state } = own.state;
    Object.assign(ship, state);
    const accelerating = controls.thrust || (controls.brake && Math.hypot(ship.vx, ship.vy) > 0);
    if (this.moves.due(now, { accelerating, bounced })) own.send();
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
        const { x, y, vx, vy } = this.interpolator.positionAt(e, serverNow);
        const speed = Math.hypot(vx, vy);
        let angle = this.headings.get(e.id) ?? Math.atan2(vy, vx);
        if (speed > 20) angle += angleDelta(angle, Math.atan2(vy, vx)) * Math.min(1, dt * 10);
        this.headings.set(e.id, angle);
        ships.push({
          id: e.id, x, y, angle, color: playerColor(e.owner), me: false, thrusting: now < (this.flames.get(e.id) ?? 0), shielded: false,
          name: client.players.get(e.owner)?.name ?? `player ${e.owner}`,
        });
      }
    }
    if (this.ship) {
      const drawn = this.own && this.own.id === this.ship.id ? this.own.renderPosition(this.alpha) : this.ship;
      ships.push({
        id: this.ship.id, x: drawn.x, y: drawn.y, angle: this.ship.angle, color: playerColor(client.you ?? 0),
        name: client.name ?? '', me: true, thrusting: this.ship.id != null && controls.thrust,
        shielded: this.ship.id == null || now < this.ship.shieldUntil,
      });
    }
    this.drawnShips = ships.map((ship) => ({ id: ship.id, me: ship.me, x: ship.x, y: ship.y }));
    if (this.ship) Object.assign(this.drawnShips.at(-1), { vx: this.ship.vx, vy: this.ship.vy });
    return { ships, bullets };
  }
}
