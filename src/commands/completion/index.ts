import { Argument, Command } from '../../cli/commander.js';
import type { Factory } from '../../cli/factory.js';
import { completionScript, SHELLS, type Shell } from '../../cli/completion/scripts.js';

export function defineCompletionCommand(f: Factory): Command {
  return new Command('completion')
    .summary('print the shell completion script for bash, zsh or fish')
    .description(
      'Print a completion script for bash, zsh or fish. It completes commands, subcommands, flags, flag ' +
        'values (-o, --then, --via…) and live names: pods and sts/NAME of the current context and namespace ' +
        '(or of the --kubeconfig, --context and -n already typed), and the instances of a --fleet file. ' +
        'The script asks the installed conduitctl for every candidate, so it keeps up with new commands. ' +
        'The same scripts ship in the completions/ folder of the package. For `kubectl conduit <TAB>`, ' +
        'put kubectl_complete-conduit (in bin/) on your PATH next to kubectl-conduit.',
    )
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(SHELLS))
    .addHelpText(
      'after',
      `
Examples:
  # bash: load completion in the current shell, and in every new one
  source <(conduitctl completion bash)
  echo 'source <(conduitctl completion bash)' >> ~/.bashrc

  # zsh: write the script into a directory of $fpath
  conduitctl completion zsh > "\${fpath[1]}/_conduitctl"

  # fish
  conduitctl completion fish > ~/.config/fish/completions/conduitctl.fish`,
    )
    .action(async (shell: Shell) => {
      f.terminal.out.write(await completionScript(shell, f.installation));
    });
}
