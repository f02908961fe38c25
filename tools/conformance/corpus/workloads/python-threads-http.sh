# A threaded Python HTTP server (one thread per request) serving real HTTP clients (curl, wget).
before() {
  /usr/bin/python3 -m http.server --bind 127.0.0.1 8081 --directory /opt/corpus/www > /dev/null 2>&1 &
  echo $! > /tmp/httpd.pid
  sleep 1
}
main() {
  for i in 1 2 3; do curl -s -o /dev/null http://127.0.0.1:8081/index.html; done
  wget -q -O /dev/null http://127.0.0.1:8081/ || true
  curl -s -o /dev/null http://127.0.0.1:8081/missing || true
}
after() {
  kill "$(cat /tmp/httpd.pid)"; wait 2>/dev/null || true
}
