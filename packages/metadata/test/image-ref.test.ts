import { parseImageRef, parseTimestampNs } from '../src/image-ref';
import { containerIdOfEvent } from '../src/containerd-api';
import { factsFromOciSpec } from '../src/oci-spec';

test.each([
  ['busybox', { repository: 'busybox', tag: 'latest' }],
  ['busybox:1.36', { repository: 'busybox', tag: '1.36' }],
  ['registry:5000/team/app:1.2', { repository: 'registry:5000/team/app', tag: '1.2' }],
  ['registry:5000/team/app', { repository: 'registry:5000/team/app', tag: 'latest' }],
  ['nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31', { repository: 'nginx', digest: 'sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31' }],
  ['nginx:1.25@sha256:abcd', { repository: 'nginx', tag: '1.25', digest: 'sha256:abcd' }],
  ['sha256:' + 'a'.repeat(64), {}],
  ['', {}],
])('parseImageRef(%s)', (ref, expected) => {
  expect(parseImageRef(ref)).toEqual(expected);
});

test('timestamps keep nanoseconds; Go zero time is unknown', () => {
  expect(parseTimestampNs('2026-11-29T20:08:32.928446733Z')).toBe(1795982912928446733n);
  expect(parseTimestampNs('2026-11-29T20:08:32Z')).toBe(1795982912000000000n);
  expect(parseTimestampNs('2026-11-29T21:08:32.5+01:00')).toBe(1795982912500000000n);
  expect(parseTimestampNs('0001-01-01T00:00:00Z')).toBeUndefined();
  expect(parseTimestampNs('garbage')).toBeUndefined();
});

test('containerd event payloads: field 1 is the container id, whatever comes around it', () => {
  const id = 'c'.repeat(64);
  // TaskExit: container_id=1 (string), id=2 (string), pid=3 (varint)
  const payload = Buffer.concat([Buffer.from([0x0a, 64]), Buffer.from(id), Buffer.from([0x12, 2]), Buffer.from('ab'), Buffer.from([0x18, 0x96, 0x01])]);
  expect(containerIdOfEvent(payload)).toBe(id);
  // A varint field before the id is skipped.
  expect(containerIdOfEvent(Buffer.concat([Buffer.from([0x10, 0x96, 0x01, 0x0a, 3]), Buffer.from('abc')]))).toBe('abc');
  expect(containerIdOfEvent(Buffer.from([0x0a, 0x80]))).toBeUndefined();
  expect(containerIdOfEvent(Buffer.alloc(0))).toBeUndefined();
});

test('OCI spec: bind mounts only, host namespaces, privilege', () => {
  const facts = factsFromOciSpec({
    process: { user: { uid: 1000, gid: 100 }, capabilities: { bounding: ['CAP_CHOWN'] } },
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/data', type: 'bind', source: '/srv/data', options: ['rbind', 'ro', 'rslave'] },
    ],
    linux: { namespaces: [{ type: 'mount' }, { type: 'network', path: '/proc/1/ns/net' }, { type: 'pid' }], maskedPaths: ['/proc/kcore'] },
  });
  expect(facts).toMatchObject({
    privileged: false,
    user: '1000:100',
    mounts: [{ source: '/srv/data', destination: '/data', mode: 'ro', rw: false, propagation: 'rslave' }],
    hostNetwork: true,
    hostPid: false,
    hostIpc: true,
  });
  expect(factsFromOciSpec({ process: { capabilities: { bounding: ['CAP_SYS_ADMIN'] } }, linux: { maskedPaths: [] } }).privileged).toBe(true);
});
