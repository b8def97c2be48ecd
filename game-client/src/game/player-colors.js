/**
 * A distinct, stable color per player number: hues spread by the golden angle, so players
 * who joined one after the other never get similar colors.
 * @param {number} p player number
 * @returns {string} CSS color
 */
export function playerColor(p) {
  const hue = Math.round((p * 137.508) % 360);
  return `hsl(${hue} 95% 62%)`;
}
