# The threaded Python HTTP server on IPv6 loopback, with IPv6 clients.
before() {
  /usr/bin/python3 -m http.server --bind ::1 8082 --directory /opt/corpus/www > /dev/null 2>&1 &
  echo $! > /tmp/httpd.pid
  sleep 1
}
main() {
  for i in 1 2 3; do curl -s -g -o /dev/null 'http://[::1]:8082/index.html'; done
  wget -q -O /dev/null 'http://[::1]:8082/' || true
}
after() {
  kill "$(cat /tmp/httpd.pid)"; wait 2>/dev/null || true
}
