# Descriptors a shell juggles: exec redirections, dup onto stdin/stdout, pipes into loops.
main() {
  exec 4< /etc/hostname 5> /tmp/r5.txt
  exec 6>&5
  echo via6 >&6
  read -r h <&4; echo "$h" >&5
  exec 4<&- 5>&- 6>&-
  seq 1 20 | while read -r i; do echo "$i" > /dev/null; done
  ls /nonexistent 2> /tmp/err.txt || true
  cat /tmp/r5.txt /tmp/err.txt > /dev/null
  rm -f /tmp/r5.txt /tmp/err.txt
}
