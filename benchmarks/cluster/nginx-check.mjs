// Two players through the load balancer: do they land on different nodes and see each other?
//   node --experimental-websocket nginx-check.mjs http://127.0.0.1:PROXY_PORT [universe]
// Player "ada" logs in, connects and spawns; then "bob" does the same and moves. Passes when bob's
// welcome holds ada and her entity, ada sees bob join, appear and move, and bob sees ada move.
// Which node each landed on is read from the nodes' logs by nginx-check.sh. Exits 1 on failure,
// after at most 15 s.
const base = process.argv[2];
const universe = process.argv[3] ?? 'nginx-check';
if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(base)) {
  console.error('usage: nginx-check.mjs http://127.0.0.1:PORT [universe] (loopback only)');
  process.exit(2);
}
setTimeout(() => { console.error('FAIL: timed out', JSON.stringify(seen)); process.exit(1); }, 15000).unref();

const seen = { ada: [], bob: [] };
async function login(name) {
  const res = await fetch(`${base}/api/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }),
  });
  if (res.status !== 200) throw new Error(`login ${name}: ${res.status}`);
  return (await res.json()).access_token;
}
// Both logins first, then the two handshakes one after the other: with round robin they go to
// two different nodes (logins in between would shift the rotation).
const tokens = { ada: await login('ada'), bob: await login('bob') };
function player(name) {
  return new Promise((resolve, reject) => {
    const token = tokens[name];
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/universes/${universe}?access_token=${token}`, 'relay.v1.json');
    const p = { name, ws, messages: seen[name], waiters: [] };
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      p.messages.push(m);
      p.waiters = p.waiters.filter((w) => !(w.test(m) && (w.resolve(m), true)));
      if (m.t === 'welcome') resolve(p);
    };
    ws.onerror = () => reject(new Error(`${name}: websocket error`));
  });
}
function waitFor(p, test) {
  const earlier = p.messages.find(test);
  return earlier ? Promise.resolve(earlier) : new Promise((resolve) => p.waiters.push({ test, resolve }));
}
const send = (p, m) => p.ws.send(JSON.stringify(m));

const ada = await player('ada');
send(ada, { t: 'spawn', ref: 1, k: 1, x: 0, y: 0, vx: 10, vy: 0 });
const adaShip = await waitFor(ada, (m) => m.t === 'appeared' && m.ref === 1);
const bob = await player('bob');
const bobWelcome = bob.messages[0];
const adaNumber = ada.messages[0].you;
if (!bobWelcome.players.some((x) => x.p === adaNumber) || !bobWelcome.entities.some((e) => e.id === adaShip.id)) {
  console.error('FAIL: bob\'s welcome lacks ada or her ship', JSON.stringify(bobWelcome));
  process.exit(1);
}
await waitFor(ada, (m) => m.t === 'joined' && m.p === bobWelcome.you);
send(bob, { t: 'spawn', ref: 2, k: 1, x: 5, y: 5, vx: 0, vy: 10 });
const bobShip = await waitFor(bob, (m) => m.t === 'appeared' && m.ref === 2);
await waitFor(ada, (m) => m.t === 'appeared' && m.id === bobShip.id);
send(bob, { t: 'move', id: bobShip.id, x: 42, y: 5, vx: 0, vy: 20 });
await waitFor(ada, (m) => m.t === 'velocity' && m.id === bobShip.id && m.x === 42);
send(ada, { t: 'move', id: adaShip.id, x: 7, y: 0, vx: 20, vy: 0 });
await waitFor(bob, (m) => m.t === 'velocity' && m.id === adaShip.id && m.x === 7);
console.log(`OK: ada is player ${adaNumber}, bob player ${bobWelcome.you}; bob's welcome had ada's ship ${adaShip.id}; `
  + `ada saw bob join, his ship ${bobShip.id} appear and move; bob saw ada's ship move`);
ada.ws.close(1000);
bob.ws.close(1000);
setTimeout(() => process.exit(0), 300);
