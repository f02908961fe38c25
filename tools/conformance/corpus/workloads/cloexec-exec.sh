# Close-on-exec across execve: descriptors opened with and without O_CLOEXEC, then an exec that
# lists what survived and uses an inherited descriptor.
main() {
  /usr/bin/python3 -c "
import os
keep = os.open('/etc/hostname', os.O_RDONLY); os.set_inheritable(keep, True)
os.open('/etc/passwd', os.O_RDONLY | os.O_CLOEXEC)
os.open('/etc/group', os.O_RDONLY | os.O_CLOEXEC)
r, w = os.pipe2(os.O_CLOEXEC)
os.dup2(keep, 9)
os.execv('/bin/bash', ['bash', '-c', 'ls /proc/self/fd > /dev/null; cat <&9 > /dev/null; exec 9<&-; true'])
"
}
