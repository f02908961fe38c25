# dup, dup2, dup3(O_CLOEXEC), fcntl(F_DUPFD) and fcntl(F_DUPFD_CLOEXEC) of files, pipes and
# sockets; closing the originals; fcntl F_SETFD/F_GETFL.
main() {
  /usr/bin/python3 -c "
import fcntl, os, socket
f = os.open('/etc/hostname', os.O_RDONLY)
a = os.dup(f); os.dup2(f, 20); os.dup2(f, 21, inheritable=False)
b = fcntl.fcntl(f, fcntl.F_DUPFD, 30); c = fcntl.fcntl(f, fcntl.F_DUPFD_CLOEXEC, 40)
fcntl.fcntl(a, fcntl.F_SETFD, fcntl.FD_CLOEXEC); fcntl.fcntl(a, fcntl.F_GETFL)
os.close(f); os.read(a, 10); os.read(20, 10)
r, w = os.pipe(); w2 = os.dup(w); os.dup2(r, 22); os.close(w)
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM); s.bind(('127.0.0.1', 0)); s.listen(1)
d = os.dup(s.fileno()); os.dup2(s.fileno(), 23)
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(('::1', 0)); os.dup2(u.fileno(), 24)
for x in (a, b, c, 20, 21, 22, 23, 24, d, w2, r): os.close(x)
"
}
