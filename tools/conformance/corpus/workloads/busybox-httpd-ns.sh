# busybox httpd in its own PID and mount namespaces (a container's view: vpid 1-based), serving
# wget and curl clients from the host side.
before() {
  unshare --pid --fork --kill-child --mount-proc busybox httpd -f -p 127.0.0.1:8084 -h /opt/corpus/www &
  echo $! > /tmp/httpd.pid
  sleep 1
}
main() {
  for i in 1 2 3; do busybox wget -q -O /dev/null http://127.0.0.1:8084/index.html; done
  curl -s -o /dev/null http://127.0.0.1:8084/none || true
}
after() {
  # httpd is pid 1 of its namespace and ignores SIGTERM; killing unshare takes it down (--kill-child).
  kill -KILL "$(cat /tmp/httpd.pid)"; wait 2>/dev/null || true
}
