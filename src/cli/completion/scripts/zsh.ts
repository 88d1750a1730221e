// The zsh script: static; every candidate comes from `conduitctl __complete`.
export const zshScript = (name: string): string => `#compdef ${name} kubectl-conduit
# zsh completion for ${name}
# Written by \`${name} completion zsh\`. The candidates come from \`${name} __complete\`, which reads
# the installed ${name}'s own command tree: this file never needs regenerating for new commands.
# Install: put it in a directory of $fpath as _${name}, or: source <(${name} completion zsh)

_${name}() {
    local cur=\${words[CURRENT]}
    local -a lines
    lines=("\${(@f)$(\${words[1]} __complete "\${(@)words[2,CURRENT-1]}" "$cur" 2>/dev/null)}")
    [[ \${lines[-1]} == :<-> ]] || return 1
    local directive=\${lines[-1]#:}
    lines=("\${(@)lines[1,-2]}")
    (( directive & 1 )) && return 1

    local -a candidates
    local entry value
    for entry in "\${lines[@]}"; do
        [[ -n $entry ]] || continue
        value=\${entry%%$'\\t'*}
        if [[ $entry == *$'\\t'* ]]; then
            candidates+=("\${value//:/\\\\:}:\${entry#*$'\\t'}")
        else
            candidates+=("\${value//:/\\\\:}")
        fi
    done

    if (( \${#candidates} > 0 )); then
        _describe -t ${name} '${name}' candidates
    elif (( directive & 16 )); then
        _files -/
    elif (( ! (directive & 4) )); then
        _files
    else
        return 1
    fi
}

if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
    _${name} "$@"
else
    compdef _${name} ${name} kubectl-conduit
fi
`;
