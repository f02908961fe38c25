/**
 * The descriptor table a capture carries (FDL blocks) seeds the state: scap's l4proto codes must
 * become IP protocol numbers, or pre-existing TCP connections would read as UDP.
 */
import { FD_TYPE, type InitialState as CaptureState } from '@falco-ts/driver';
import { initialStateFromCapture } from '../../src/syscall/capture-state';

function captureWith(fds: Record<string, unknown>[]): CaptureState {
  const thread = { tid: 10, pid: 10, ptid: 1, comm: 'srv', exe: 'srv', exepath: '/srv', args: [], env: [], cwd: '/', fds, exeIno: 0n, pfmajor: 0n, pfminor: 0n, vtid: -1, vpid: -1 };
  return { threads: new Map([[10, thread]]), users: [], groups: [] } as unknown as CaptureState;
}

describe('initial state from a capture', () => {
  it('maps scap l4proto codes to IP protocol numbers', () => {
    const base = { ino: 0n, name: '', sip: '10.0.0.1', sport: 4000, dip: '10.0.0.2', dport: 80 };
    const state = initialStateFromCapture(
      captureWith([
        { ...base, fd: 3, type: FD_TYPE.IPV4_SOCK, l4proto: 2 },
        { ...base, fd: 4, type: FD_TYPE.IPV4_SOCK, l4proto: 3 },
        { ...base, fd: 5, type: FD_TYPE.IPV4_SOCK, l4proto: 4 },
        { ...base, fd: 6, type: FD_TYPE.IPV4_SERVSOCK, l4proto: 2 },
        { ...base, fd: 7, type: FD_TYPE.IPV4_SOCK, l4proto: 0 },
      ]),
    );
    const protos = state.threads[0].fds!.map((f) => [f.fd, f.l4proto]);
    expect(protos).toEqual([
      [3, 6],
      [4, 17],
      [5, 1],
      [6, 6],
      [7, 0],
    ]);
  });
});
