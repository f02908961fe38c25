import { DropMonitor, type DropAlert, type DropCounters } from '../src/drops';

const S = 1_000_000_000;

function replay(settings: ConstructorParameters<typeof DropMonitor>[0], seconds: number, counters: (i: number) => DropCounters) {
  const logs: string[] = [];
  const alerts: DropAlert[] = [];
  const crit: string[] = [];
  const m = new DropMonitor(settings, { log: (x) => logs.push(x), critical: (x) => crit.push(x), alert: (a) => alerts.push(a) }, true);
  let stopped = false;
  // Ten events per second of event time.
  for (let i = 0; i < seconds * 10 && !stopped; i++) {
    stopped = !m.onEvent(1.5e18 + i * (S / 10), () => counters(i));
  }
  return { m, logs, alerts, crit, stopped };
}

const none = (i: number): DropCounters => ({ events: i, drops: 0, dropsBuffer: 0, dropsPageFaults: 0, dropsBug: 0 });
const base = { threshold: 0.1, rate: 1 / 30, maxBurst: 10, simulateDrops: false };

describe('syscall event drop monitoring', () => {
  it('sees nothing when nothing is dropped', () => {
    const r = replay({ ...base, actions: ['log', 'alert'] }, 5, none);
    expect(r.m.occurrences).toBe(0);
    expect(r.m.summary()).toContain('event drop detected: 0 occurrences');
  });

  it('simulated drops count once per second of event time and take the first action of the set', () => {
    const r = replay({ ...base, actions: ['alert', 'log'], simulateDrops: true }, 5, none);
    // Checks happen when event time passes the previous check by more than a second.
    expect(r.m.occurrences).toBe(4);
    expect(r.m.actionsTaken).toBe(4);
    expect(r.alerts).toHaveLength(0);
    expect(r.logs.filter((l) => l.startsWith('Falco internal: syscall event drop. 1 system calls dropped'))).toHaveLength(4);
  });

  it('raises the internal alert with the counters', () => {
    const r = replay({ ...base, actions: ['alert'], simulateDrops: true }, 3, none);
    expect(r.alerts[0]?.fields).toMatchObject({ n_drops: '1', ebpf_enabled: '1' });
    expect(r.alerts[0]?.message).toBe('Falco internal: syscall event drop. 1 system calls dropped in last second.');
  });

  it('rate-limits actions with the token bucket', () => {
    const r = replay({ ...base, actions: ['log'], simulateDrops: true, maxBurst: 2 }, 8, none);
    expect(r.m.occurrences).toBe(7);
    expect(r.m.actionsTaken).toBe(2);
  });

  it('applies the threshold to real drop ratios', () => {
    const some = (i: number): DropCounters => ({ ...none(i), events: i * 100, drops: i * 5 });
    expect(replay({ ...base, actions: ['log'] }, 4, some).m.occurrences).toBe(0);
    expect(replay({ ...base, threshold: 0.01, actions: ['log'] }, 4, some).m.occurrences).toBe(3);
  });

  it('stops the run with the exit action', () => {
    const r = replay({ ...base, actions: ['exit'], simulateDrops: true }, 5, none);
    expect(r.stopped).toBe(true);
    expect(r.crit).toEqual(['Falco internal: syscall event drop. 1 system calls dropped in last second.', 'Exiting.']);
  });
});
