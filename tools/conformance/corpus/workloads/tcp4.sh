# IPv4 TCP server and clients: bind, listen, accept, connect, a refused connect, shutdown.
main() {
  /usr/bin/python3 -c "
import socket, threading
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', 9001)); srv.listen(4)
def serve():
    for _ in range(3):
        c, a = srv.accept(); c.sendall(c.recv(100)); c.close()
t = threading.Thread(target=serve); t.start()
for i in range(3):
    c = socket.create_connection(('127.0.0.1', 9001)); c.sendall(b'hello'); c.recv(100); c.close()
t.join(); srv.close()
try: socket.create_connection(('127.0.0.1', 9002))
except OSError: pass
"
}
