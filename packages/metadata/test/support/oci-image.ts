// Builds an OCI image layout tarball from Debian's static busybox (no registry needed): one
// uncompressed layer, a config with the given entrypoint, a manifest, and an index naming it.
// `ctr images import` loads it into containerd.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, copyFileSync, chmodSync, symlinkSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p)) ?? '/bin/busybox';
const APPLETS = ['sh', 'sleep', 'cat', 'echo', 'ls', 'true', 'id', 'ps', 'hostname', 'env'];

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr?.toString()}`);
}

/** Writes `<out>` (a tar of an OCI layout) holding one image per reference. Returns `out`. */
export function buildOciImageTar(out: string, images: { reference: string; entrypoint?: string[] }[]): string {
  const work = mkdtempSync(path.join(os.tmpdir(), 'fts-oci-'));
  try {
    const rootfs = path.join(work, 'rootfs');
    mkdirSync(path.join(rootfs, 'bin'), { recursive: true, mode: 0o755 });
    chmodSync(rootfs, 0o755);
    mkdirSync(path.join(rootfs, 'tmp'));
    chmodSync(path.join(rootfs, 'tmp'), 0o1777);
    copyFileSync(BUSYBOX, path.join(rootfs, 'bin', 'busybox'));
    chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755);
    for (const a of APPLETS) symlinkSync('busybox', path.join(rootfs, 'bin', a));
    const layout = path.join(work, 'layout');
    const blobs = path.join(layout, 'blobs', 'sha256');
    mkdirSync(blobs, { recursive: true });
    const layerTar = path.join(work, 'layer.tar');
    run('tar', ['-C', rootfs, '-cf', layerTar, '.']);
    const put = (data: Buffer) => {
      const digest = createHash('sha256').update(data).digest('hex');
      writeFileSync(path.join(blobs, digest), data);
      return { digest: `sha256:${digest}`, size: data.length };
    };
    const layer = put(readFileSync(layerTar));
    const manifests = images.map(({ reference, entrypoint }) => {
      const config = put(Buffer.from(JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: { Env: ['PATH=/bin'], ...(entrypoint ? { Entrypoint: entrypoint } : {}) },
        rootfs: { type: 'layers', diff_ids: [layer.digest] },
      })));
      const manifest = put(Buffer.from(JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
      })));
      return {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        ...manifest,
        annotations: { 'io.containerd.image.name': reference, 'org.opencontainers.image.ref.name': reference.split(':').pop() },
      };
    });
    writeFileSync(path.join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    writeFileSync(path.join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
    run('tar', ['-C', layout, '-cf', out, '.']);
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
