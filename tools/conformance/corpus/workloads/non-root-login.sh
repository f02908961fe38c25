# Sessions of a non-root user (runuser -l: a login shell; runuser -u: a plain one), its pipelines
# and files.
main() {
  runuser -l corpus -c 'cd /tmp && echo hi | tee /tmp/corpus-user.txt > /dev/null; id -un; ls -l /tmp/corpus-user.txt; rm /tmp/corpus-user.txt; cat /etc/shadow 2>/dev/null || true'
  runuser -u corpus -- bash -c 'whoami > /dev/null; echo $HOME > /dev/null'
}
