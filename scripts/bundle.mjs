// Bundles the compiled CLI (dist/main.js, from tsc) with every dependency inside, two ways:
//   dist/conduitctl.js + dist/chunks/  what bin/conduitctl runs: each command's dynamic import()
//                                      stays a chunk, so `--version` and `--help` load only what
//                                      they need;
//   dist/conduitctl.mjs                `npm run bundle`: one self-contained file for a gateway image
//                                      (`node conduitctl.mjs …` alone in an empty folder).
// Why bundle at all: client-node is ~900 ESM files and Node 20 has no module compile cache.
// What keeps the bundle lean (measured in issue 11):
//   - ASCII output: one non-ASCII character makes V8 hold the whole source as a two-byte string
//     and decode it on every start;
//   - the adapter uses only client-node's KubeConfig (src/kube/rest.ts sends the requests): what its
//     config.js imports for other methods is stubbed for that importer (STUBS), so neither the
//     generated API (~4 MB) nor node-fetch → whatwg-url → tr46 (the DEP0040 punycode warning on
//     Node 22+; node-fetch's url.parse is DEP0169) is bundled; OIDC and SOCKS load on first use.
//     (Marking client-node free of side effects on top of that changes no byte of the output.)
// The test world (dist/sandbox, dist/reference-gateway) is not bundled: it runs from tsc's output,
// and the single file does not include it (see docs/architecture.md).
import { readFileSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = new URL('../', import.meta.url);
const dist = fileURLToPath(new URL('dist/', root));
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

/**
 * What client-node's modules import for paths a conduitctl run rarely or never takes, replaced for
 * that importer only (key: `<file in client-node/dist> <specifier>`). Loaded at every start, these
 * cost more than everything else in the Kubernetes chunk (measured on Node 20 and 24, issue 11).
 */
const STUBS = {
  // applyToFetchOptions (never called here) is config.js's only use of node-fetch. The platform's
  // Headers is reached only when constructed: reading globalThis.Headers loads Node's internal
  // undici (~40 ms).
  'config.js node-fetch': 'export class Headers { constructor(init) { return new globalThis.Headers(init); } }',
  // makeApiClient is config.js's only use of the generated API: src/kube/api.ts replaces it.
  'config.js ./gen/index.js': [
    'const absent = () => { throw new Error("conduitctl bundles no generated Kubernetes API: call it through src/kube/api.ts"); };',
    'export const createConfiguration = absent;',
    'export class ServerConfiguration { constructor() { absent(); } }',
  ].join('\n'),
  // OIDC logins only: openid-client touches fetch's Response and WebCrypto as it loads (~60 ms on
  // Node 24). Both functions oidc_auth.js calls are async: load it on the first call.
  'oidc_auth.js openid-client': [
    'const load = () => import("openid-client");',
    'export const discovery = async (...args) => (await load()).discovery(...args);',
    'export const refreshTokenGrant = async (...args) => (await load()).refreshTokenGrant(...args);',
  ].join('\n'),
  // A cluster's proxy-url: socks (with ip-address and smart-buffer) is evaluated only when a SOCKS
  // proxy agent is made. createAgent is synchronous, and socks-proxy-agent is CommonJS: require it.
  'config.js socks-proxy-agent':
    'export class SocksProxyAgent { constructor(...args) { return new (require("socks-proxy-agent").SocksProxyAgent)(...args); } }',
};
const CLIENT_NODE_DIST = /[\\/]node_modules[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]([^\\/]+)$/;

const clientNodeStubs = {
  name: 'client-node-stubs',
  resolveId(source, importer) {
    const file = importer && CLIENT_NODE_DIST.exec(importer)?.[1];
    const key = file && `${file} ${source}`;
    return key && Object.hasOwn(STUBS, key) ? `\0client-node-stub:${key}` : null;
  },
  load(id) {
    return id.startsWith('\0client-node-stub:') ? STUBS[id.slice('\0client-node-stub:'.length)] : null;
  },
};

/**
 * node:http and node:https through process.getBuiltinModule (Node 20.16+, 22.3+) instead of
 * `import`: an ESM import builds a facade that reads every export, and on Node 24 reading
 * node:http's lazy WebSocket/EventSource exports loads Node's internal undici (measured: ~75 ms
 * CPU for `import http` against ~10 ms, issue 11). Only the names below are exported, read once:
 * a bundled import of another name fails the build instead of touching a lazy or deprecated one.
 */
const FACADE_FREE = {
  http: ['Agent', 'ClientRequest', 'IncomingMessage', 'METHODS', 'OutgoingMessage', 'STATUS_CODES', 'Server', 'ServerResponse', 'createServer', 'get', 'globalAgent', 'request'],
  https: ['Agent', 'Server', 'createServer', 'get', 'globalAgent', 'request'],
};
const builtinsWithoutFacade = {
  name: 'builtins-without-facade',
  resolveId(source) {
    const name = source.replace(/^node:/, '');
    return Object.hasOwn(FACADE_FREE, name) ? { id: `\0builtin:${name}`, moduleSideEffects: false } : null;
  },
  load(id) {
    if (!id.startsWith('\0builtin:')) return null;
    const name = id.slice('\0builtin:'.length);
    return [
      `const m = process.getBuiltinModule("node:${name}");`,
      'export default m;',
      ...FACADE_FREE[name].map((key) => `export const ${key} = m.${key};`),
    ].join('\n');
  },
};

const input = {
  input: { conduitctl: `${dist}main.js` },
  platform: 'node',
  logLevel: 'warn',
  plugins: [clientNodeStubs, builtinsWithoutFacade],
  // main.ts reads package.json at run time when unbundled; the bundles carry the version.
  transform: { define: { CONDUITCTL_VERSION: JSON.stringify(version) } },
};

/**
 * charset 'ascii' escapes strings, identifiers and regular expressions; what is left is in licence
 * comments (`Jimmy W\u00e4rting`), where an escape means the same to a reader and nothing to V8.
 */
const asciiComments = {
  name: 'ascii-comments',
  // Per UTF-16 code unit: `\ud83d\ude00` means the same in a comment, string or regular expression.
  renderChunk: (code) => code.replace(/[^\x00-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`),
};

// Licence notices stay; JSDoc and annotation comments only cost parse time.
const output = { format: 'esm', charset: 'ascii', comments: { legal: true, jsdoc: false, annotation: false }, plugins: [asciiComments] };

/** Fails the build when a bundle would be decoded as a two-byte string after all. */
function assertAscii(files) {
  for (const file of files) {
    const bytes = readFileSync(file);
    const at = bytes.findIndex((byte) => byte > 0x7f);
    if (at >= 0) throw new Error(`${file}: non-ASCII byte at offset ${at}: ${JSON.stringify(bytes.subarray(Math.max(0, at - 60), at + 20).toString())}`);
  }
}

const only = process.argv[2];
if (only !== 'single') {
  rmSync(`${dist}chunks`, { recursive: true, force: true });
  const { output: files } = await build({ ...input, output: { ...output, dir: dist, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' } });
  assertAscii(files.map((file) => `${dist}${file.fileName}`));
}
if (only !== 'chunked') {
  await build({ ...input, output: { ...output, file: `${dist}conduitctl.mjs`, codeSplitting: false } });
  assertAscii([`${dist}conduitctl.mjs`]);
  if (only === 'single') console.log(`dist/conduitctl.mjs: ${(statSync(`${dist}conduitctl.mjs`).size / 1024).toFixed(0)} KiB, every dependency inside`);
}
