// Every container's gateway inside this process: SIGTERM is the gateway's graceful shutdown,
// SIGKILL its abrupt close. Parses args and env exactly as the gateway's own process entry does.
import { parseGatewayArgs, startGateway, type GatewayHandle } from '../../reference-gateway/index.js';
import type { Container, ContainerRuntime, ExitInfo } from './runtime.js';

export function createInProcessRuntime(): ContainerRuntime {
  return {
    mode: 'in-process',
    async start(launch) {
      const command = parseGatewayArgs(launch.args, launch.env);
      if (command.kind !== 'single') throw new Error('an in-process container runs one gateway instance: drop --instances and --help');
      const handle: GatewayHandle = await startGateway(command.options);
      let finish!: (info: ExitInfo) => void;
      const exited = new Promise<ExitInfo>((resolve) => (finish = resolve));
      let stopping: 'SIGTERM' | 'SIGKILL' | undefined;
      const container: Container = {
        exited,
        signal(signal) {
          if (stopping === 'SIGKILL' || stopping === signal) return;
          stopping = signal;
          if (signal === 'SIGTERM') {
            handle.shutdown().then(
              () => finish({ code: 0, signal: null }),
              (error: unknown) => finish({ code: 1, signal: null, message: (error as Error).message }),
            );
          } else {
            void handle.close().finally(() => finish({ code: null, signal: 'SIGKILL' }));
          }
        },
      };
      return container;
    },
  };
}
