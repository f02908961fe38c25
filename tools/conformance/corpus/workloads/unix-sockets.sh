# Unix sockets: a named stream server, an abstract-namespace datagram pair, socketpair across a
# fork.
main() {
  /usr/bin/python3 -c "
import os, socket, threading
path = '/tmp/corpus.sock'
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); srv.bind(path); srv.listen(2)
def serve():
    c, _ = srv.accept(); c.sendall(c.recv(10)); c.close()
t = threading.Thread(target=serve); t.start()
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); c.connect(path); c.sendall(b'u'); c.recv(10); c.close()
t.join(); srv.close(); os.unlink(path)
a = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); a.bind('\0corpus-abstract')
b = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); b.connect('\0corpus-abstract'); b.send(b'x'); a.recv(10)
a.close(); b.close()
p, q = socket.socketpair()
if os.fork() == 0:
    p.close(); q.sendall(b'child'); os._exit(0)
q.close(); p.recv(10); os.wait()
"
}
