import type { Command } from '../../cli/commander.js';
import type { Factory } from '../../cli/factory.js';

/** The Examples of the sandbox's subcommands (kubectl prints examples under every command). */
export function addSandboxExamples(f: Factory, subcommands: Record<'up' | 'down' | 'status' | 'demo', Command>): void {
  const p = f.programName;
  const examples: Record<keyof typeof subcommands, string> = {
    up: `  # start kube-sim and a 3-pod Conduit StatefulSet, then point kubectl and ${p} at it
  ${p} sandbox up
  export KUBECONFIG=~/.conduitctl/sandbox/kubeconfig
  ${p} status sts/conduit -n conduit

  # five replicas, every gateway inside the sandbox process, pod IPs from another range
  ${p} sandbox up --replicas 5 --in-process --pod-cidr 127.0.110.0/24

  # the API on another address and a fixed port (the kubeconfig and its certificate name it)
  ${p} sandbox up --api-address 127.0.42.1 --api-port 6443`,
    down: `  # stop the sandbox and every gateway process it started
  ${p} sandbox down

  # a sandbox started with its own state directory
  ${p} sandbox down --state-dir /tmp/sandbox-a`,
    status: `  # is a sandbox running, where is its kubeconfig, which pods does it have?
  ${p} sandbox status

  # the same as JSON
  ${p} sandbox status -o json`,
    demo: `  # rehearse a rollout day from start to end under a probe (starts and stops its own sandbox)
  ${p} sandbox demo

  # keep the sandbox running afterwards to try more commands on it
  ${p} sandbox demo --keep`,
  };
  for (const [name, text] of Object.entries(examples)) subcommands[name as keyof typeof subcommands].addHelpText('after', `\nExamples:\n${text}`);
}
