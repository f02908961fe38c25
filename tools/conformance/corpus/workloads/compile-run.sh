# A C build: gcc's driver forking cc1, as and collect2/ld, then the program runs and forks.
main() {
  cat > /tmp/corpus-hello.c <<'C'
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
int main(void) { pid_t p = fork(); if (p == 0) { execl("/bin/echo", "echo", "child", (char *)0); _exit(1); } waitpid(p, 0, 0); puts("parent"); return 0; }
C
  gcc -O0 -o /tmp/corpus-hello /tmp/corpus-hello.c
  /tmp/corpus-hello > /dev/null
  rm -f /tmp/corpus-hello /tmp/corpus-hello.c
}
