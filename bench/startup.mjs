// `conduitctl --version` against `node -e 0`, measured alternately in the same run (target ≤ 1.5×).
import { CLI, median, report, timeProcess } from './lib.mjs';

const runs = Number(process.argv[2] ?? 21);
const bare = [];
const version = [];
for (let i = 0; i < runs; i++) {
  bare.push(timeProcess(process.execPath, ['-e', '0']));
  version.push(timeProcess(process.execPath, [CLI, '--version']));
}
const ratio = median(version) / median(bare);
report(`startup (${runs} runs each, medians)`, [
  ['node -e 0', `${median(bare).toFixed(1)} ms`],
  ['conduitctl --version', `${median(version).toFixed(1)} ms`],
  ['ratio (target ≤ 1.5×)', `${ratio.toFixed(2)}×`],
]);
