# Credential transitions as root: setgid, setgroups, setresgid, setresuid, setuid to the corpus
# user, then exec; a failed setuid back to root.
main() {
  /usr/bin/python3 -c "
import os
if os.fork() == 0:
    os.setgroups([]); os.setresgid(1500, 1500, 1500); os.setgid(1500)
    os.setresuid(1500, 1500, 0); os.setuid(1500)
    try: os.setuid(0)
    except PermissionError: pass
    os.execv('/usr/bin/id', ['id'])
os.wait()
"
  setpriv --reuid=1500 --regid=1500 --clear-groups /bin/cat /etc/hostname > /dev/null
}
