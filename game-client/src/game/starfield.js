/**
 * A parallax starfield: a few layers of stars on tiles that repeat forever, each layer moving
 * slower than the camera so space feels deep. Generated once from a seed, so it is the same
 * on every screen.
 * @module starfield
 */
const TILE = 1024;

function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export class Starfield {
  constructor(seed = 7) {
    const random = seededRandom(seed);
    this.layers = [
      { depth: 0.15, size: 1.0, alpha: 0.45, count: 220 },
      { depth: 0.35, size: 1.5, alpha: 0.7, count: 110 },
      { depth: 0.7, size: 2.1, alpha: 0.95, count: 45 },
    ].map((layer) => ({
      ...layer,
      stars: Array.from({ length: layer.count }, () => ({
        x: random() * TILE,
        y: random() * TILE,
        tint: random() < 0.2 ? '#ffd9a8' : random() < 0.3 ? '#a8c8ff' : '#ffffff',
        twinkle: random() * Math.PI * 2,
      })),
    }));
  }

  /**
   * Draws the stars for a camera position.
   * @param {CanvasRenderingContext2D} ctx
   * @param {{x:number, y:number}} camera world point at the screen centre
   * @param {number} width CSS pixels
   * @param {number} height CSS pixels
   * @param {number} time ms, for twinkling
   */
  draw(ctx, camera, width, height, time) {
    for (const layer of this.layers) {
      const offsetX = ((-camera.x * layer.depth + width / 2) % TILE + TILE) % TILE;
      const offsetY = ((-camera.y * layer.depth + height / 2) % TILE + TILE) % TILE;
      for (const star of layer.stars) {
        const twinkle = 0.75 + 0.25 * Math.sin(time / 700 + star.twinkle);
        ctx.globalAlpha = layer.alpha * twinkle;
        ctx.fillStyle = star.tint;
        for (let x = star.x + offsetX - TILE; x < width; x += TILE) {
          for (let y = star.y + offsetY - TILE; y < height; y += TILE) {
            if (x >= -3 && y >= -3) ctx.fillRect(x, y, layer.size, layer.size);
          }
        }
      }
    }
    ctx.globalAlpha = 1;
  }
}
