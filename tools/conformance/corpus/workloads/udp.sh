# UDP servers and clients on IPv4 and IPv6: sendto/recvfrom without connecting, and a
# connected UDP client.
main() {
  /usr/bin/python3 -c "
import socket
for fam, host in ((socket.AF_INET, '127.0.0.1'), (socket.AF_INET6, '::1')):
    s = socket.socket(fam, socket.SOCK_DGRAM); s.bind((host, 9005))
    c = socket.socket(fam, socket.SOCK_DGRAM)
    for i in range(3):
        c.sendto(b'ping', (host, 9005)); d, a = s.recvfrom(100); s.sendto(d, a); c.recvfrom(100)
    c.connect((host, 9005)); c.send(b'x'); s.recvfrom(10)
    c.close(); s.close()
"
}
