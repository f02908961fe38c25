/** The addon loader's failures: a missing build and native errors mapped to DriverError with fixes. */
import { DriverError } from '../../src';
import { loadAddon, toDriverError } from '../../src/native/load';

describe('addon loader', () => {
  it('reports a missing addon with the path and how to build it', () => {
    let caught: unknown;
    try {
      loadAddon('/nonexistent/falco_ts_driver.node');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DriverError);
    const e = caught as DriverError;
    expect(e.code).toBe('ADDON_MISSING');
    expect(e.shortMessage).toBe('the live capture addon is not built (looked for /nonexistent/falco_ts_driver.node)');
    expect(e.message).toContain('pnpm --filter @falco-ts/driver build');
  });

  it('maps a coded native failure to DriverError with the libbpf detail and a hint', () => {
    const native = Object.assign(new Error('cannot load the BPF programs\nlibbpf: prog x: permission denied\n: Operation not permitted'), {
      code: 'NOT_PRIVILEGED',
      errno: 1,
    });
    const e = toDriverError(native) as DriverError;
    expect(e).toBeInstanceOf(DriverError);
    expect(e.code).toBe('NOT_PRIVILEGED');
    expect(e.shortMessage).toBe('cannot load the BPF programs');
    expect(e.context.errno).toBe(1);
    expect(e.message).toContain('libbpf: prog x: permission denied');
    expect(e.message).toContain('CAP_BPF');
  });

  it('leaves other errors alone', () => {
    const plain = new Error('boom');
    expect(toDriverError(plain)).toBe(plain);
  });
});
