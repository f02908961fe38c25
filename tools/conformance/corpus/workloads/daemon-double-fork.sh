# A daemon that double-forks and calls setsid (reparented to init), then execs; and
# start-stop-daemon backgrounding a sleep.
main() {
  /usr/bin/python3 -c "
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.chdir('/')
        fd = os.open('/dev/null', os.O_RDWR)
        for t in (0, 1, 2): os.dup2(fd, t)
        time.sleep(0.2)
        os.execv('/bin/sleep', ['sleep', '0.3'])
    os._exit(0)
time.sleep(1)
"
  busybox start-stop-daemon -S -b -x /bin/sleep -- 0.2
  sleep 0.5
}
