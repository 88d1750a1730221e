# Sourced by the interactive zsh that zpty-driver.zsh starts: real compinit, the committed
# completions/_conduitctl on $fpath, and every match zsh keeps (after its own matching against the
# typed word) written to $CAPTURE_FILE, then a marker once the completion widget has finished.
PROMPT='> '
fpath=($COMPLETIONS_DIR $fpath)
autoload -Uz compinit && compinit -u -D
compadd() {
  if (( ${@[(I)-[OAD]]} )); then builtin compadd "$@"; return; fi
  local -a matched
  builtin compadd -O matched "$@"
  (( ${#matched} )) && print -rl -- "${matched[@]}" >> $CAPTURE_FILE
  builtin compadd "$@"
}
_capture_complete() {
  zle complete-word
  print -r -- '<<done>>' >> $CAPTURE_FILE
}
zle -N _capture_complete
bindkey '^I' _capture_complete
