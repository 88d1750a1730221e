// Rewrites completions/ from the built CLI (`npm run completions`); a test fails when they differ.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const files = { bash: 'conduitctl.bash', zsh: '_conduitctl', fish: 'conduitctl.fish' };
for (const [shell, file] of Object.entries(files)) {
  const script = execFileSync(process.execPath, ['dist/conduitctl.js', 'completion', shell], { encoding: 'utf8' });
  writeFileSync(`completions/${file}`, script);
}
