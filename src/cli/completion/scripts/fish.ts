// The fish script: static; every candidate comes from `conduitctl __complete`.
export const fishScript = (name: string): string => `# fish completion for ${name}
# Written by \`${name} completion fish\`. The candidates come from \`${name} __complete\`, which reads
# the installed ${name}'s own command tree: this file never needs regenerating for new commands.
# Install: ${name} completion fish > ~/.config/fish/completions/${name}.fish

function __${name}_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l lines ($tokens[1] __complete $tokens[2..-1] "$current" 2>/dev/null)
    or return
    string match -qr '^:[0-9]+$' -- "$lines[-1]"
    or return
    set -l directive (string sub -s 2 -- $lines[-1])
    set -e lines[-1]
    test (math "bitand($directive, 1)") -eq 0
    or return
    if test (count $lines) -gt 0
        printf '%s\\n' $lines
    else if test (math "bitand($directive, 16)") -ne 0
        __fish_complete_directories "$current"
    else if test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path "$current"
    end
end

complete -c ${name} -e
complete -c ${name} -f -a '(__${name}_complete)'
complete -c kubectl-conduit -e
complete -c kubectl-conduit -f -a '(__${name}_complete)'
`;
