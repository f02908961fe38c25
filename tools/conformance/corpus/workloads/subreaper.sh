# A child subreaper (PR_SET_CHILD_SUBREAPER): orphaned grandchildren are reparented to it, not to
# init, and keep running and exec'ing after their parent exited.
main() {
  /usr/bin/python3 -c "
import ctypes, os, time
libc = ctypes.CDLL(None)
libc.prctl(36, 1, 0, 0, 0)
pid = os.fork()
if pid == 0:
    if os.fork() == 0:
        time.sleep(0.3)
        os.execv('/bin/cat', ['cat', '/etc/hostname'])
    os._exit(0)
os.waitpid(pid, 0)
time.sleep(0.1)
os.wait()
"
}
