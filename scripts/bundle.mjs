// Bundles the compiled CLI (dist/main.js, from tsc) into dist/conduitctl.js plus lazily loaded
// chunks in dist/chunks/, with every dependency inside. Node 20 has no module compile cache, and
// @kubernetes/client-node alone is ~900 ESM files: loading them one by one cost ~500 ms on every
// Kubernetes command. The bundle keeps each command's dynamic import() a separate chunk, so
// `--version` and `--help` still load only what they need. The test world (dist/sandbox,
// dist/reference-gateway) is not bundled: it runs from tsc's output.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
rmSync(`${dist}chunks`, { recursive: true, force: true });
await build({
  input: { conduitctl: `${dist}main.js` },
  platform: 'node',
  logLevel: 'warn',
  output: {
    dir: dist,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
  },
});
