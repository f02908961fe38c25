# A Node.js HTTP server (libuv thread pool, worker thread) and Node and curl clients.
main() {
  node -e "
    const http = require('http');
    const { Worker } = require('worker_threads');
    new Worker('require(\"fs\").readFileSync(\"/etc/hostname\")', { eval: true });
    const s = http.createServer((q, r) => require('fs').readFile('/opt/corpus/www/index.html', (e, d) => r.end(d)));
    s.listen(8083, '127.0.0.1', () => {
      let n = 0;
      const done = () => { if (++n === 3) s.close(); };
      for (let i = 0; i < 2; i++) http.get('http://127.0.0.1:8083/', (r) => { r.resume(); r.on('end', done); });
      require('child_process').execFile('curl', ['-s', '-o', '/dev/null', 'http://127.0.0.1:8083/'], done);
    });"
}
