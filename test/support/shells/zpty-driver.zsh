# Types $LINE and a TAB into a real interactive zsh (zpty) and prints the matches captured.
zmodload zsh/zpty
zpty shell 'zsh -f -i'
zpty -w shell "source ${(q)CAPTURE_INIT}"
zpty -w -n shell "$LINE"$'\t'
integer waited=0
until [[ -f $CAPTURE_FILE ]] && grep -q '<<done>>' $CAPTURE_FILE; do
  (( waited++ < DEADLINE_TENTHS )) || { zpty -d shell; print -u2 'zsh completion did not finish'; exit 4; }
  sleep 0.1
done
zpty -d shell
grep -v '<<done>>' $CAPTURE_FILE
exit 0
