# IPv6 TCP server and clients, and an IPv4 client reaching a dual-stack IPv6 listener.
main() {
  /usr/bin/python3 -c "
import socket, threading
srv = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
srv.bind(('::', 9003)); srv.listen(4)
def serve():
    for _ in range(3):
        c, a = srv.accept(); c.sendall(c.recv(100)); c.close()
t = threading.Thread(target=serve); t.start()
for host in ('::1', '::1', '127.0.0.1'):
    c = socket.create_connection((host, 9003)); c.sendall(b'hi6'); c.recv(100); c.close()
t.join(); srv.close()
"
}
