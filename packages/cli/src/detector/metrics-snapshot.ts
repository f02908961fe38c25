/**
 * `metrics.output_rule`: every `metrics.interval` the detector emits a "Falco internal: metrics
 * snapshot" alert on the `internal` source whose output fields are the current metric values, so
 * the same numbers the Prometheus endpoint serves reach every output (files, HTTP, NATS).
 *
 * The values are read from the Prometheus text the metrics registry renders, which keeps one
 * definition of every metric. Names follow Falco's snapshot style: `falcosecurity_scap_n_evts_total`
 * becomes `scap.n_evts`, an `*_info` gauge becomes its label value (`falco.version`), a labelled
 * counter gets its label values appended (`scap.n_drops_buffer_open_enter`), and rule matches are
 * `rules.<rule name>`.
 */
import { internalAlert, type Alert } from '@falco-ts/alert';

export const METRICS_RULE = 'Falco internal: metrics snapshot';

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Output fields from Prometheus exposition text. */
export function snapshotFields(exposition: string): Record<string, string | number> {
  const fields: Record<string, string | number> = {};
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (m === null) continue;
    const value = Number(m[3]);
    if (!Number.isFinite(value)) continue;
    const labels: [string, string][] = [];
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels.push([l[1]!, l[2]!.replace(/\\(.)/g, '$1')]);
    const key = fieldName(m[1]!);
    if (key === undefined) continue;
    if (key.endsWith('_info')) {
      // An info gauge carries its value in a label: `falco.version` = "0.1.0".
      const base = key.slice(0, -'_info'.length);
      for (const [name, v] of labels) fields[labels.length === 1 ? base : `${base}.${name}`] = v;
      continue;
    }
    const rule = labels.find(([name]) => name === 'rule_name');
    if (key === 'falco.rules_matches' && rule !== undefined) {
      fields[`rules.${rule[1]}`] = ((fields[`rules.${rule[1]}`] as number | undefined) ?? 0) + value;
      continue;
    }
    fields[labels.length === 0 ? key : `${key}_${labels.map(([, v]) => v).join('_')}`] = value;
  }
  return fields;
}

/** `falcosecurity_scap_n_evts_total` → `scap.n_evts`; names outside Falco's namespace are skipped. */
function fieldName(metric: string): string | undefined {
  const m = /^falcosecurity_([a-z]+)_(.+?)(?:_total)?$/.exec(metric);
  return m === null ? undefined : `${m[1]}.${m[2]}`;
}

/** The snapshot alert for one rendering of the registry. */
export function metricsSnapshotAlert(exposition: string): Alert {
  return internalAlert(METRICS_RULE, 'Informational', 'Falco metrics snapshot', snapshotFields(exposition));
}

/** Emits a snapshot every `intervalMs` until the returned function is called. */
export function startMetricsSnapshots(render: () => Promise<string>, intervalMs: number, emit: (alert: Alert) => void, onError: (e: Error) => void): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return; // a slow render (a busy host) skips a tick rather than piling up
    busy = true;
    render()
      .then((text) => emit(metricsSnapshotAlert(text)))
      .catch((e: Error) => onError(e))
      .finally(() => (busy = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
