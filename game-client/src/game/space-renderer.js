/**
 * Draws a frame of the space game on a canvas: deep space, the arena, ships with a glow in their
 * player's color, bullets, explosions, names and a radar. It only draws what it is given.
 * @module space-renderer
 */
import { ARENA, SHIP } from './space-rules.js';

/** Width of the radar on the screen, px (narrow screens: phones). */
const RADAR_WIDTH = 160;
const NARROW_RADAR_WIDTH = 128;
import { Starfield } from './starfield.js';

/**
 * @typedef {object} ShipView
 * @property {number} x
 * @property {number} y
 * @property {number} angle
 * @property {string} color
 * @property {string} name
 * @property {boolean} me
 * @property {boolean} thrusting
 * @property {boolean} shielded
 */

export class SpaceRenderer {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.starfield = new Starfield();
    this.width = 0;
    this.height = 0;
  }

  /** Matches the canvas to its CSS size and the screen's pixel density (sharp on phones). */
  fit() {
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    if (width !== this.width || height !== this.height || this.canvas.width !== Math.round(width * ratio)) {
      this.width = width;
      this.height = height;
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
    }
    this.ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  }

  /** Only the background: the lobby's backdrop. */
  drawBackdrop(time) {
    this.fit();
    this.drawSpace({ x: time * 0.02, y: time * 0.008 }, time);
  }

  /**
   * @param {object} frame
   * @param {{x:number, y:number}} frame.camera
   * @param {ShipView[]} frame.ships
   * @param {Array<{x:number, y:number, vx:number, vy:number, color:string}>} frame.bullets
   * @param {Array<{x:number, y:number, vx:number, vy:number, life:number, color:string}>} frame.particles
   * @param {number} frame.time ms
   * @param {{halfWidth: number, halfHeight: number}} [frame.arena]
   */
  draw({ camera, ships, bullets, particles, time, arena = ARENA }) {
    this.fit();
    const { ctx } = this;
    this.drawSpace(camera, time);
    ctx.save();
    ctx.translate(Math.round(this.width / 2 - camera.x), Math.round(this.height / 2 - camera.y));
    this.drawArena(arena);
    for (const bullet of bullets) this.drawBullet(bullet);
    for (const ship of ships) this.drawShip(ship, time);
    this.drawParticles(particles);
    for (const ship of ships) this.drawName(ship);
    ctx.restore();
    this.drawRadar(camera, ships, arena);
  }

  /** @private */
  drawSpace(camera, time) {
    const { ctx, width, height } = this;
    const sky = ctx.createLinearGradient(0, 0, width, height);
    sky.addColorStop(0, '#05060f');
    sky.addColorStop(1, '#0a0718');
    ctx.fillStyle = sky;
    ctx.fillRect(0, 0, width, height);
    const nebulae = [
      { x: -500, y: -250, r: 800, color: 'rgba(110, 50, 190, 0.30)' },
      { x: 650, y: 380, r: 900, color: 'rgba(20, 110, 190, 0.26)' },
      { x: 250, y: -700, r: 600, color: 'rgba(190, 50, 110, 0.18)' },
    ];
    for (const n of nebulae) {
      const x = n.x - camera.x * 0.08 + width / 2;
      const y = n.y - camera.y * 0.08 + height / 2;
      const glow = ctx.createRadialGradient(x, y, 0, x, y, n.r);
      glow.addColorStop(0, n.color);
      glow.addColorStop(1, 'rgba(0, 0, 0, 0)');
      ctx.fillStyle = glow;
      ctx.fillRect(0, 0, width, height);
    }
    this.starfield.draw(ctx, camera, width, height, time);
  }

  /** @private */
  drawArena(arena) {
    const { ctx } = this;
    const w = arena.halfWidth;
    const h = arena.halfHeight;
    ctx.strokeStyle = 'rgba(120, 160, 255, 0.07)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let x = -w; x <= w; x += 200) { ctx.moveTo(x, -h); ctx.lineTo(x, h); }
    for (let y = -h; y <= h; y += 200) { ctx.moveTo(-w, y); ctx.lineTo(w, y); }
    ctx.stroke();
    ctx.save();
    ctx.shadowColor = '#4fd1ff';
    ctx.shadowBlur = 24;
    ctx.strokeStyle = 'rgba(79, 209, 255, 0.75)';
    ctx.lineWidth = 3;
    ctx.strokeRect(-w, -h, w * 2, h * 2);
    ctx.restore();
  }

  /** @private */
  drawShip(ship, time) {
    const { ctx } = this;
    const r = SHIP.radius;
    ctx.save();
    ctx.translate(ship.x, ship.y);
    ctx.rotate(ship.angle);
    if (ship.thrusting) {
      const flicker = 0.75 + 0.25 * Math.sin(time / 30);
      const flame = ctx.createLinearGradient(-r, 0, -r * 2.6, 0);
      flame.addColorStop(0, 'rgba(255, 240, 200, 0.95)');
      flame.addColorStop(0.4, 'rgba(255, 150, 40, 0.8)');
      flame.addColorStop(1, 'rgba(255, 60, 20, 0)');
      ctx.fillStyle = flame;
      ctx.beginPath();
      ctx.moveTo(-r * 0.7, -r * 0.4);
      ctx.lineTo(-r * (1.4 + 1.2 * flicker), 0);
      ctx.lineTo(-r * 0.7, r * 0.4);
      ctx.closePath();
      ctx.fill();
    }
    ctx.shadowColor = ship.color;
    ctx.shadowBlur = ship.me ? 26 : 18;
    ctx.beginPath();
    ctx.moveTo(r * 1.25, 0);
    ctx.lineTo(-r * 0.9, -r * 0.85);
    ctx.lineTo(-r * 0.5, 0);
    ctx.lineTo(-r * 0.9, r * 0.85);
    ctx.closePath();
    ctx.fillStyle = 'rgba(10, 14, 30, 0.9)';
    ctx.fill();
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = ship.color;
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(r * 0.25, 0, r * 0.22, 0, Math.PI * 2);
    ctx.fillStyle = ship.color;
    ctx.fill();
    ctx.restore();
    if (ship.shielded) {
      ctx.save();
      ctx.globalAlpha = 0.35 + 0.2 * Math.sin(time / 90);
      ctx.strokeStyle = ship.color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(ship.x, ship.y, r * 1.9, 0, Math.PI * 2);
      ctx.stroke();
      ctx.restore();
    }
  }

  /** @private */
  drawName(ship) {
    const { ctx } = this;
    ctx.font = '600 13px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
    ctx.fillText(ship.name, ship.x + 1, ship.y - SHIP.radius * 1.8 + 1);
    ctx.fillStyle = ship.color;
    ctx.fillText(ship.name, ship.x, ship.y - SHIP.radius * 1.8);
  }

  /** @private A glowing bolt with a short streak behind it. */
  drawBullet(bullet) {
    const { ctx } = this;
    ctx.save();
    ctx.shadowColor = bullet.color;
    ctx.shadowBlur = 16;
    ctx.lineCap = 'round';
    ctx.strokeStyle = bullet.color;
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.moveTo(bullet.x - bullet.vx * 0.03, bullet.y - bullet.vy * 0.03);
    ctx.lineTo(bullet.x, bullet.y);
    ctx.stroke();
    ctx.fillStyle = '#ffffff';
    ctx.beginPath();
    ctx.arc(bullet.x, bullet.y, 2.8, 0, Math.PI * 2);
    ctx.fill();
    ctx.restore();
  }

  /** @private */
  drawParticles(particles) {
    const { ctx } = this;
    ctx.save();
    ctx.globalCompositeOperation = 'lighter';
    for (const p of particles) {
      ctx.globalAlpha = Math.max(0, p.life);
      ctx.fillStyle = p.color;
      ctx.beginPath();
      ctx.arc(p.x, p.y, 1.5 + 2.5 * p.life, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.restore();
  }

  /**
   * @private A small map of the whole arena: bottom right, or on narrow (phone) screens bottom
   * left above the touch buttons.
   */
  drawRadar(camera, ships, arena) {
    const { ctx } = this;
    const narrow = this.width < 640;
    const scale = (narrow ? NARROW_RADAR_WIDTH : RADAR_WIDTH) / (arena.halfWidth * 2);
    const w = arena.halfWidth * 2 * scale;
    const h = arena.halfHeight * 2 * scale;
    const left = narrow ? 8 : this.width - w - 16;
    const top = this.height - h - (narrow ? 112 : 16);
    ctx.save();
    ctx.fillStyle = 'rgba(8, 12, 28, 0.7)';
    ctx.strokeStyle = 'rgba(79, 209, 255, 0.5)';
    ctx.lineWidth = 1;
    ctx.fillRect(left, top, w, h);
    ctx.strokeRect(left, top, w, h);
    ctx.beginPath();
    ctx.rect(left, top, w, h);
    ctx.clip();
    const viewW = this.width * scale;
    const viewH = this.height * scale;
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.25)';
    ctx.strokeRect(left + (camera.x + arena.halfWidth) * scale - viewW / 2,
      top + (camera.y + arena.halfHeight) * scale - viewH / 2, viewW, viewH);
    for (const ship of ships) {
      ctx.fillStyle = ship.color;
      ctx.beginPath();
      ctx.arc(left + (ship.x + arena.halfWidth) * scale, top + (ship.y + arena.halfHeight) * scale,
        ship.me ? 3.5 : 2.5, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.restore();
  }
}
