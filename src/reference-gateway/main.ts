// Process entry of bin/conduit-gateway: parse argv/env, start the instance(s), announce them on
// stdout as one JSON line, and drain gracefully on SIGTERM/SIGINT.
import { startGateways } from './fleet.js';
import { startGateway, type GatewayHandle } from './gateway.js';
import { parseGatewayArgs, USAGE, UsageError, type GatewayCommand } from './options.js';

const SIGNAL_EXIT_CODES: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

function log(message: string): void {
  process.stderr.write(`conduit-gateway: ${message}\n`);
}

function parseCommand(): GatewayCommand {
  try {
    return parseGatewayArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    log(`${error.message}\nRun conduit-gateway --help to see the options.`);
    process.exit(2);
  }
}

async function start(command: Exclude<GatewayCommand, { kind: 'help' }>): Promise<GatewayHandle[]> {
  try {
    return command.kind === 'single' ? [await startGateway(command.options)] : await startGateways(command.count, command.options);
  } catch (error) {
    log(`cannot listen: ${(error as Error).message}`);
    process.exit(1);
  }
}

function drainOnSignals(handles: readonly GatewayHandle[]): void {
  let stopping = false;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      process.exit(SIGNAL_EXIT_CODES[signal]);
    }
    stopping = true;
    const connections = handles.reduce((sum, handle) => sum + handle.activeConnections(), 0);
    log(`${signal}: draining ${handles.length} instance(s) with ${connections} connection(s)`);
    Promise.all(handles.map((handle) => handle.shutdown())).then(
      () => {
        log('drained; exiting');
        process.exit(0);
      },
      (error: unknown) => {
        log(`shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function main(): Promise<void> {
  const command = parseCommand();
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const handles = await start(command);
  drainOnSignals(handles);
  const instances = handles.map(({ name, address, port, adminPort }) => ({ name, address, port, adminPort }));
  process.stdout.write(JSON.stringify({ event: 'listening', instances }) + '\n');
}

await main();
