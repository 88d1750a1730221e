# fish completion for conduitctl
# Printed by `conduitctl completion fish`. The candidates come from `conduitctl __complete`, which reads
# the installed conduitctl's own command tree: this file never needs regenerating for new commands.
# Install: conduitctl completion fish > ~/.config/fish/completions/conduitctl.fish

function __conduitctl_complete
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
        printf '%s\n' $lines
    else if test (math "bitand($directive, 16)") -ne 0
        __fish_complete_directories "$current"
    else if test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path "$current"
    end
end

complete -c conduitctl -e
complete -c conduitctl -f -a '(__conduitctl_complete)'
complete -c kubectl-conduit -e
complete -c kubectl-conduit -f -a '(__conduitctl_complete)'
