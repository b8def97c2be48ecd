// Packs the SDK as it would be published (npm pack in game-client/sdk), then installs the tarball
// into two scratch consumers: a strict TypeScript project that must compile against the shipped
// types, and a Node.js program that plays against the relay at RELAY_URL with the `ws` package.
// Run by dev.universerelay.sdk.SdkPackageTest against an embedded relay; by hand:
//   RELAY_URL=http://127.0.0.1:8080 node game-client/test/package/run-package-test.mjs
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const gameClient = path.resolve(here, '..', '..');
const sdk = path.join(gameClient, 'sdk');
const scratch = path.resolve(process.env.SCRATCH_DIR ?? path.join(gameClient, '..', 'target', 'sdk-package-test'));
const relayUrl = process.env.RELAY_URL;
if (!relayUrl) throw new Error('RELAY_URL is needed (the relay the Node.js consumer plays against)');

function run(command, args, cwd, env = {}) {
  console.log(`$ (cd ${path.relative(process.cwd(), cwd) || '.'} && ${command} ${args.join(' ')})`);
  execFileSync(command, args, {
    cwd, stdio: 'inherit', timeout: 120_000, env: { ...process.env, ...env },
  });
}

rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });

// 1. the package, as npm would publish it (prepack generates the .d.ts)
run('npm', ['pack', '--pack-destination', scratch, '--no-fund', '--no-audit'], sdk);
const manifest = JSON.parse(readFileSync(path.join(sdk, 'package.json'), 'utf8'));
const tarball = path.join(scratch, `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`);
if (!existsSync(tarball)) throw new Error(`npm pack made no ${tarball}`);

// 2. installed into a consumer project, from the tarball (ws from npm's cache, filled by npm ci)
const consumer = path.join(scratch, 'consumer');
cpSync(path.join(here, 'consumer'), consumer, { recursive: true });
const wsVersion = JSON.parse(readFileSync(path.join(gameClient, 'package.json'), 'utf8')).devDependencies.ws;
run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-save', tarball, `ws@${wsVersion}`], consumer);

const installed = path.join(consumer, 'node_modules', ...manifest.name.split('/'));
const shipped = readdirSync(installed).sort();
const expected = ['LICENSE', 'README.md', 'package.json', 'src', 'types'];
if (JSON.stringify(shipped) !== JSON.stringify(expected)) {
  throw new Error(`the package ships ${shipped.join(', ')}; expected exactly ${expected.join(', ')} (no game, no tests)`);
}
for (const file of ['types/index.d.ts', 'types/messages.d.ts', 'src/index.js']) {
  if (!existsSync(path.join(installed, file))) throw new Error(`the package lacks ${file}`);
}
if (readdirSync(path.join(installed, 'src')).some((f) => !f.endsWith('.js'))) throw new Error('src/ holds more than modules');

// 3. a strict TypeScript game compiles against the shipped types
run(process.execPath, [path.join(gameClient, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', consumer], consumer);

// 4. a Node.js program plays against the relay
run(process.execPath, ['play.mjs'], consumer, { RELAY_URL: relayUrl });
console.log('package test passed');
