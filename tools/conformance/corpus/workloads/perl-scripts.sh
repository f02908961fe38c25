# Interpreters running system commands: perl backticks, system() through /bin/sh, open pipes.
main() {
  perl -e 'my $u = `id -u`; system("ls /opt/corpus > /dev/null"); open(my $p, "-|", "uname", "-s") or die; my $l = <$p>; close $p; open(my $f, ">", "/tmp/perl.txt"); print $f $l; close $f; unlink "/tmp/perl.txt";'
}
