/**
 * From the engine's rule match to the outputs: counts alerts for the end-of-run summary Falco
 * prints, and hands them to the sinks.
 */
import type { Alert } from '@falco-ts/alert';
import type { Outputs } from '@falco-ts/outputs';

export class AlertCounter {
  total = 0;
  readonly byPriority = new Map<string, number>();
  readonly byRule = new Map<string, number>();

  add(a: Alert): void {
    this.total++;
    const p = a.priority.toUpperCase() === 'INFORMATIONAL' ? 'INFO' : a.priority.toUpperCase();
    this.byPriority.set(p, (this.byPriority.get(p) ?? 0) + 1);
    this.byRule.set(a.rule, (this.byRule.get(a.rule) ?? 0) + 1);
  }

  /** The summary Falco prints on stdout when a run ends. */
  summary(): string {
    const lines = [`Events detected: ${this.total}`, 'Rule counts by severity:'];
    for (const [p, n] of this.byPriority) lines.push(`   ${p}: ${n}`);
    lines.push('Triggered rules by rule name:');
    for (const [r, n] of this.byRule) lines.push(`   ${r}: ${n}`);
    return `${lines.join('\n')}\n`;
  }
}

/** Emits alerts to the outputs and counts the rule alerts. */
export class AlertSink {
  readonly counter = new AlertCounter();
  /** Set when the automated response is enabled: it sees every rule alert after the outputs. */
  respond: ((a: Alert) => void) | undefined;
  constructor(private readonly outputs: Pick<Outputs, 'emit'>) {}

  rule(alert: Alert): void {
    this.counter.add(alert);
    this.outputs.emit(alert);
    this.respond?.(alert);
  }

  internal(alert: Alert): void {
    this.outputs.emit(alert);
  }
}
