/**
 * Entry point of the browser game: one animation loop that draws the lobby backdrop or the game,
 * and the switch between the two.
 * @module main
 */
import { GuestTokenSource, RelayClient } from '../../sdk/src/index.js';
import { ControlInput } from './control-input.js';
import { GameHud } from './game-hud.js';
import { Lobby } from './lobby.js';
import { RecordingsList } from './recordings-list.js';
import { SpaceGame } from './space-game.js';
import { SpaceRenderer } from './space-renderer.js';

const renderer = new SpaceRenderer(document.getElementById('space'));
const hud = new GameHud(document);
const input = new ControlInput();
const format = new URLSearchParams(location.search).get('format') === 'json' ? 'json' : 'binary';
let game = null;

const lobby = new Lobby(document, {
  async onJoin(name, universe) {
    const tokens = new GuestTokenSource(name);
    await tokens.getToken(); // fail here, in the lobby, when the name is refused
    lobby.hide();
    history.replaceState(null, '', `#${encodeURIComponent(universe)}`);
    input.attach(window, document.getElementById('touch-controls'));
    const client = new RelayClient({ universe, getToken: tokens.getToken, format });
    client.on('tokenexpired', () => tokens.invalidate());
    // a refused handshake may be a token the server no longer accepts (e.g. it restarted with
    // another key): log in again before the next attempt
    client.on('close', ({ wasOpen, willRetry }) => {
      if (!wasOpen && willRetry) tokens.invalidate();
    });
    game = new SpaceGame({ client, renderer, hud, input });
    game.start();
  },
});

function leaveGame() {
  game?.stop();
  game = null;
  input.detach();
  lobby.show();
}

for (const id of ['leave-button', 'ended-back']) document.getElementById(id).addEventListener('click', leaveGame);
window.addEventListener('touchstart', () => document.body.classList.add('touch'), { once: true, passive: true });

function loop(now) {
  if (game) game.frame(now);
  else renderer.drawBackdrop(now);
  requestAnimationFrame(loop);
}
requestAnimationFrame(loop);
lobby.show();
const recordings = new RecordingsList(document);
recordings.refresh();
