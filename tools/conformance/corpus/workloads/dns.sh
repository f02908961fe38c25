# DNS lookups against a real DNS server on 127.0.0.1:53 (a small responder speaking the wire
# format): glibc's resolver (getent), busybox nslookup, Python's getaddrinfo.
before() {
  /usr/bin/python3 -c "
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 53))
while True:
    q, a = s.recvfrom(512)
    qid, = struct.unpack('>H', q[:2]); end = q.index(b'\0', 12) + 5; qtype, = struct.unpack('>H', q[end-4:end-2])
    ans = b'\xc0\x0c' + struct.pack('>HHIH', 1, 1, 60, 4) + bytes([192, 0, 2, 10]) if qtype == 1 else b''
    s.sendto(struct.pack('>HHHHHH', qid, 0x8180, 1, 1 if ans else 0, 0, 0) + q[12:end] + ans, a)
" &
  echo $! > /tmp/dns.pid
  sleep 0.5
}
main() {
  getent hosts corpus.example || true
  busybox nslookup corpus.example 127.0.0.1 > /dev/null 2>&1 || true
  /usr/bin/python3 -c "import socket; socket.getaddrinfo('web.corpus.example', 80, socket.AF_INET)" || true
  curl -s -m 2 -o /dev/null http://corpus.example:9/ || true
}
after() {
  kill "$(cat /tmp/dns.pid)"
}
