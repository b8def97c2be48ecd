// A TypeScript game using the packed SDK: it must compile with --strict against the shipped .d.ts.
import {
  CloseCode, FixedTimestep, GuestTokenSource, Interpolator, PredictedEntity, RelayClient,
  type CorrectionEvent, type RelayCloseEvent, type RelayErrorEvent, type ServerMessage,
} from '@universe-relay/client';

const tokens = new GuestTokenSource('ada', { baseUrl: 'http://localhost:8080/' });
const client = new RelayClient({ universe: 'alpha', getToken: tokens.getToken, baseUrl: 'http://localhost:8080/' });

client.on('welcome', ({ welcome, resumed }) => {
  const you: number = welcome.you;
  console.log(`player ${you}`, resumed ? 'resumed' : 'new');
});
client.on('velocity', ({ entity }) => console.log(entity.id, entity.vx, entity.history.length));
client.on('error', (e: RelayErrorEvent) => {
  if (e.code === 'rate_limited' || e.code === 'token_unavailable') console.log(e.text, e.seq ?? e.ref);
});
client.on('close', (e: RelayCloseEvent) => {
  if (e.code === CloseCode.REPLACED && !e.willRetry) console.log(e.text);
});
client.on('ack', ({ id, seq, s }) => console.log(id, seq, s));
// @ts-expect-error: 'velocity' details have no `code`
client.on('velocity', ({ code }) => code);
// @ts-expect-error: not an event of the client
client.on('no-such-event', () => {});

/** Protocol messages are a discriminated union on `t`. */
function describe(m: ServerMessage): string {
  switch (m.t) {
    case 'appeared': return `${m.id} owned by ${m.o} at ${m.x},${m.y}`;
    case 'velocity': return `${m.id} now moves ${m.vx},${m.vy}`;
    case 'ack': return `move ${m.seq} of ${m.id} applied at ${m.s}`;
    case 'error': return `${m.code}${m.seq === undefined ? '' : ` (move ${m.seq})`}`;
    case 'welcome': return `welcome to ${m.universe}`;
    default: return m.t;
  }
}
console.log(describe({ t: 'ack', id: 1, seq: 2, s: 3 }));

interface ShipState { x: number; y: number; vx: number; vy: number; angle: number }
interface ShipInput { thrust: boolean; turn: -1 | 0 | 1 }

const loop = new FixedTimestep({ stepMs: 1000 / 60 });
const interpolator = new Interpolator({ delayMs: 100 });

async function play(): Promise<void> {
  client.connect();
  const entity = await client.spawn({ kind: 1, x: 0, y: 0 });
  const own = new PredictedEntity<ShipState, ShipInput>({
    client,
    id: entity.id,
    state: { x: entity.x, y: entity.y, vx: 0, vy: 0, angle: 0 },
    step: (state, input, dt) => {
      const angle = state.angle + input.turn * 3 * dt;
      const vx = state.vx + (input.thrust ? Math.cos(angle) * 300 * dt : 0);
      const vy = state.vy + (input.thrust ? Math.sin(angle) * 300 * dt : 0);
      return { x: state.x + vx * dt, y: state.y + vy * dt, vx, vy, angle };
    },
    onCorrection: (c: CorrectionEvent) => console.log(c.how, c.from, c.to),
  });
  const frame = (now: number) => {
    loop.advance(now, (dt) => { own.apply({ thrust: true, turn: 0 }, dt); });
    const seq: number | null = own.send();
    const drawn: { x: number; y: number } = own.renderPosition();
    for (const other of client.entities.values()) {
      if (other.owner !== client.you) {
        const { x, y, stale } = interpolator.positionAt(other, client.serverNow());
        console.log(seq, drawn.x, x, y, stale);
      }
    }
  };
  frame(0);
}
void play();
