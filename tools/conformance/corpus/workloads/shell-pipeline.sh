# A shell session: pipelines, redirections, subshells, here-documents, command substitution.
main() {
  cat /etc/passwd | grep -v nologin | sort | uniq -c > /tmp/users.txt
  wc -l < /tmp/users.txt
  (cd /tmp && ls -la | head -n 3) 2>&1 | tr a-z A-Z
  exec 3> /tmp/fd3.txt; echo three >&3; exec 3>&-
  cat <<DOC | sed s/x/y/ >> /tmp/users.txt
x marks
DOC
  n=$(grep -c root /etc/group); echo "$n"
  { echo a; echo b; } | paste -sd, - > /dev/null
  rm -f /tmp/users.txt /tmp/fd3.txt
}
