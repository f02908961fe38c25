import { BEHAVIOURS, GeneratorUsageError, UnknownBehaviourError, main, parseArgs, selectBehaviours } from '../src';

describe('event generator command line', () => {
  it('parses flags and behaviour names', () => {
    expect(parseArgs(['--docker-host', 'unix:///x.sock', '--image', 'bb', '--pause', '50', 'clear-log'], {})).toEqual({
      list: false, hostOnly: false, dockerHost: 'unix:///x.sock', image: 'bb', pauseMs: 50, names: ['clear-log'],
    });
  });

  it('takes the Docker engine from DOCKER_HOST', () => {
    expect(parseArgs([], { DOCKER_HOST: 'unix:///d.sock' }).dockerHost).toBe('unix:///d.sock');
  });

  it('rejects an unknown option and a missing value with the argument as context', () => {
    expect(() => parseArgs(['--nope'], {})).toThrow(GeneratorUsageError);
    try {
      parseArgs(['--image'], {});
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(GeneratorUsageError);
      expect((e as GeneratorUsageError).code).toBe('USAGE');
      expect((e as GeneratorUsageError).context).toEqual({ argument: '--image' });
    }
    expect(() => parseArgs(['--pause', '-3'], {})).toThrow(/whole number/);
  });

  it('names the known behaviours when asked for an unknown one', () => {
    expect(() => selectBehaviours(['read-sensitive-file', 'rm-rf-slash'])).toThrow(UnknownBehaviourError);
    expect(() => selectBehaviours(['rm-rf-slash'])).toThrow(/unknown behaviour "rm-rf-slash" \(known: read-sensitive-file, /);
  });

  it('lists every behaviour with its place and rule, and exits 2 on bad usage', async () => {
    let out = '';
    let err = '';
    const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (err += t) };
    expect(await main(['--list'], io, {})).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(BEHAVIOURS.length);
    expect(out).toContain('container-shell\tcontainer\tTerminal shell in container\t');
    expect(await main(['bogus'], io, {})).toBe(2);
    expect(err).toContain('unknown behaviour "bogus"');
  });

  it('fails a container behaviour clearly when no Docker engine is given', async () => {
    let out = '';
    const code = await main(['container-shell'], { stdout: (t) => (out += t), stderr: () => undefined }, {});
    expect(code).toBe(1);
    expect(out).toContain('FAIL container-shell -> Terminal shell in container: behaviour container-shell needs a Docker engine');
  });

  it('gives behaviours unique names', () => {
    expect(new Set(BEHAVIOURS.map((b) => b.name)).size).toBe(BEHAVIOURS.length);
  });
});
