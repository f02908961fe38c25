# busybox applets (one binary, many names via argv[0]), a tar round trip, find with -exec.
main() {
  busybox mkdir -p /tmp/bb/a/b && busybox touch /tmp/bb/a/b/f
  busybox tar -C /tmp -cf /tmp/bb.tar bb && busybox tar -C /tmp -tf /tmp/bb.tar > /dev/null
  find /tmp/bb -type f -exec busybox stat {} \; > /dev/null
  busybox ln -s /tmp/bb/a /tmp/bb/link && busybox readlink /tmp/bb/link > /dev/null
  busybox mv /tmp/bb/a/b/f /tmp/bb/g
  busybox rm -rf /tmp/bb /tmp/bb.tar
}
