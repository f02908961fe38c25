# busybox nc servers and clients over IPv4 and IPv6 with shell redirections.
main() {
  busybox nc -l -p 9010 -s 127.0.0.1 > /tmp/nc4.txt &
  sleep 0.3
  echo over-nc | busybox nc 127.0.0.1 9010 -w 1 || true
  wait || true
  busybox nc -l -p 9011 -s ::1 > /tmp/nc6.txt &
  sleep 0.3
  echo over-nc6 | busybox nc ::1 9011 -w 1 || true
  wait || true
  rm -f /tmp/nc4.txt /tmp/nc6.txt
}
