# bash completion for conduitctl
# Printed by `conduitctl completion bash`. The candidates come from `conduitctl __complete`, which reads
# the installed conduitctl's own command tree: this file never needs regenerating for new commands.
# Install: source <(conduitctl completion bash)   or copy it to a bash-completion directory.

_conduitctl_complete() {
    local line=${COMP_LINE:0:COMP_POINT}
    local -a words
    read -r -a words <<< "$line"
    local cur=""
    if [[ $line != *[[:space:]] ]] && (( ${#words[@]} > 1 )); then
        cur=${words[${#words[@]}-1]}
        unset 'words[${#words[@]}-1]'
    fi

    # Readline replaces only the text after the last word-break character (--output=j → j).
    local prefix="" i
    for (( i = ${#cur} - 1; i >= 0; i-- )); do
        if [[ ${cur:i:1} != [[:space:]] && $COMP_WORDBREAKS == *"${cur:i:1}"* ]]; then
            prefix=${cur:0:i+1}
            break
        fi
    done

    local -a lines
    mapfile -t lines < <("${words[0]}" __complete "${words[@]:1}" "$cur" 2>/dev/null)
    (( ${#lines[@]} > 0 )) || return 0
    local last=${lines[${#lines[@]}-1]}
    [[ $last =~ ^:[0-9]+$ ]] || return 0
    local directive=${last:1}
    unset 'lines[${#lines[@]}-1]'
    (( directive & 1 )) && return 0

    COMPREPLY=()
    local entry
    for entry in "${lines[@]}"; do
        entry=${entry%%$'\t'*}
        [[ -n $entry ]] && COMPREPLY+=("${entry#"$prefix"}")
    done
    (( ${#COMPREPLY[@]} > 0 )) && return 0

    local word=${cur#"$prefix"}
    if (( directive & 16 )); then
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$word")
    elif (( ! (directive & 4) )); then
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$word")
    fi
    return 0
}

complete -F _conduitctl_complete conduitctl kubectl-conduit
