# Processes that fork, exec from a non-main thread (the thread group collapses to the exec'ing
# thread), spawn threads that exit, and exit while children still run.
main() {
  /usr/bin/python3 -c "
import os, threading, time
def worker():
    time.sleep(0.05)
    os.execv('/bin/ls', ['ls', '/opt/corpus'])
ts = [threading.Thread(target=time.sleep, args=(0.01,)) for _ in range(3)]
[t.start() for t in ts]; [t.join() for t in ts]
threading.Thread(target=worker).start()
time.sleep(5)
"
  /usr/bin/python3 -c "
import os
for i in range(3):
    pid = os.fork()
    if pid == 0:
        os.execv('/bin/true', ['true'])
    os.waitpid(pid, 0)
"
}
