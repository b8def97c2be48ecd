/**
 * A universe's entities, live, seen by a spectator over the normal protocol: the SDK's
 * RelayClient with a short-lived spectator token the console asks the relay for (the admin token
 * never goes into a WebSocket URL). Drawn on a canvas, fitted to where the entities are.
 * @module minimap
 */
import { RelayClient } from '../sdk/src/index.js';
import { playerColor } from '../src/game/player-colors.js';

export class Minimap {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {string} universe
   * @param {() => Promise<string>} getToken asked for a fresh spectator token before each connection
   */
  constructor(canvas, universe, getToken, onStatus = () => {}) {
    this.canvas = canvas;
    this.client = new RelayClient({ universe, getToken, baseUrl: `${location.origin}/`, format: 'binary' });
    this.client.on('statechange', ({ state }) => onStatus(state));
    this.client.on('close', ({ code, text }) => onStatus(`closed (${code}${text ? `: ${text}` : ''})`));
    this.frame = null;
    this.span = 1000;
  }

  start() {
    this.client.connect();
    const draw = () => {
      this.draw();
      this.frame = requestAnimationFrame(draw);
    };
    this.frame = requestAnimationFrame(draw);
  }

  stop() {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
    this.client.close();
  }

  /** Number of entities shown (for tests and the caption). */
  get size() {
    return this.client.entities.size;
  }

  draw() {
    const { canvas } = this;
    const size = Math.max(200, Math.round(canvas.clientWidth * (window.devicePixelRatio || 1)));
    if (canvas.width !== size) {
      canvas.width = size;
      canvas.height = size;
    }
    const g = canvas.getContext('2d');
    g.fillStyle = '#05070a';
    g.fillRect(0, 0, size, size);
    const now = this.client.serverNow();
    const positions = [];
    let extent = 0;
    for (const entity of this.client.entities.values()) {
      const p = entity.positionAt(now);
      positions.push([entity, p]);
      extent = Math.max(extent, Math.abs(p.x), Math.abs(p.y));
    }
    // the view grows at once and shrinks slowly, so the map does not jump around
    const wanted = Math.max(1000, extent * 1.15);
    this.span = wanted > this.span ? wanted : this.span + (wanted - this.span) * 0.02;
    const scale = size / (2 * this.span);
    g.strokeStyle = '#1f2630';
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(size / 2, 0); g.lineTo(size / 2, size);
    g.moveTo(0, size / 2); g.lineTo(size, size / 2);
    g.stroke();
    for (const [entity, p] of positions) {
      g.fillStyle = playerColor(entity.owner);
      const r = entity.kind === 1 ? 4 : 2;
      g.beginPath();
      g.arc(size / 2 + p.x * scale, size / 2 + p.y * scale, r * (window.devicePixelRatio || 1), 0, Math.PI * 2);
      g.fill();
    }
    g.fillStyle = '#8b949e';
    g.font = `${12 * (window.devicePixelRatio || 1)}px system-ui`;
    g.fillText(`±${Math.round(this.span)} units`, 8, size - 8);
  }
}
