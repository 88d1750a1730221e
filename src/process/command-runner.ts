// The CommandRunner port over node:child_process: the program's output goes to our stderr, so
// stdout stays the report's alone (one JSON document with -o json).
import { spawn } from 'node:child_process';
import type { CommandExit, CommandRunner, RunningCommand } from '../ops/ports/index.js';

export function createCommandRunner(env: NodeJS.ProcessEnv): CommandRunner {
  return {
    start(argv) {
      const [program, ...args] = argv;
      if (program === undefined) throw new TypeError('no command given');
      const child = spawn(program, args, { env, stdio: ['ignore', 2, 2] });
      const exited = new Promise<CommandExit>((resolve) => {
        child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, signal: null, startError: `${error.code ?? 'error'}: ${program}` }));
        child.once('exit', (code, signal) => resolve({ code, signal }));
      });
      const running: RunningCommand = {
        exited,
        async stop(graceMs) {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          const exit = await exited;
          clearTimeout(timer);
          return exit;
        },
      };
      return running;
    },
  };
}
