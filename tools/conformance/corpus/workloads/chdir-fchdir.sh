# Working directories: chdir, fchdir, relative opens after each, a failed chdir, and children
# inheriting the directory across fork and exec.
main() {
  cd /etc && cat hostname > /dev/null
  cd /nonexistent 2>/dev/null || true
  /usr/bin/python3 -c "
import os
os.chdir('/usr'); open('lib/os-release' if os.path.exists('lib/os-release') else 'share/doc', 'rb') if False else None
d = os.open('/opt/corpus', os.O_RDONLY | os.O_DIRECTORY)
os.chdir('/tmp'); os.fchdir(d)
open('www/index.html').read()
os.chdir('..'); os.listdir('.')
if os.fork() == 0:
    os.execv('/bin/ls', ['ls', 'corpus'])
os.wait()
"
  (cd /tmp && ls > /dev/null)
}
