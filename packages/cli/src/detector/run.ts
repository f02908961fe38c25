/**
 * A detector run: outputs (and metrics and the web server when configured), the enabled event
 * sources until they end or the run is stopped (`-M`, SIGINT/SIGTERM), then the drain and the
 * end-of-run summaries Falco prints.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { Writable } from 'node:stream';
import { K8S_AUDIT_SOURCE, LoadAbandoned, type Engine } from '@falco-ts/engine';
import { defaultHostname, internalAlert } from '@falco-ts/alert';
import { FalcoMetrics } from '@falco-ts/outputs';
import type { AppContext } from '../context';
import { DropMonitor } from '../drops';
import { runErrors } from '../errors';
import { readRulesFiles, rulesPaths, type RulesFile } from '../rules-files';
import { interpretConfig } from '../config/falco-config';
import { loadConfig } from '../config/load';
import { applySelections, createEngine, loadRulesForReload, printOptionFormat } from './engine-setup';
import { versionInfo } from '../version';
import { WebServer, type HealthCheck } from '../webserver';
import { AlertSink } from './alerts';
import { runK8sAudit, k8sAuditWebhook } from './k8saudit';
import { liveStats, runLive } from './live';
import { hostPaths } from './host-root';
import { containerMetadata, type ContainerMetadata } from './metadata';
import { networkPolicies, rulesUseNetpol, type NetworkPolicies } from './netpol';
import { k8smetaPluginConfig, type ProviderHealth } from '@falco-ts/metadata';
import { replayCapture } from './replay';
import { CaptureRecorder } from './capture';
import { SwitchableOutputs, createGeneration, outputSettings, type OutputsFactoryOptions } from './outputs-switch';
import { startMetricsSnapshots } from './metrics-snapshot';
import type { RunSources } from './sources';
import type * as ResponseModule from './response';
import type { DetectorResponse } from './response';

/** Stops a run from anywhere: signals, `-M`, a source's fatal error. */
export class StopSignal {
  private stoppedFlag = false;
  private readonly waiters: (() => void)[] = [];
  reason = '';

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  stop(reason: string): void {
    if (this.stoppedFlag) return;
    this.stoppedFlag = true;
    this.reason = reason;
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once stopped. */
  wait(): Promise<void> {
    return this.stoppedFlag ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }
}

function stdoutStream(ctx: AppContext): Writable {
  return (
    ctx.io.stdoutStream ??
    new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        ctx.io.stdout(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        cb();
      },
    })
  );
}

/** How long the run may take to wind down after SIGINT/SIGTERM before the process exits anyway. */
const STOP_GRACE_MS = 5000;

/**
 * SIGINT/SIGTERM stop the run; the outputs then get what they hold out. Should winding down take
 * longer than STOP_GRACE_MS (an output that does not drain, a server that does not close), or a
 * second signal arrive, the process exits at once: a stop request always ends it.
 */
function installSignals(stop: StopSignal, ctx: AppContext): () => void {
  let grace: NodeJS.Timeout | undefined;
  const onSignal = (name: string) => () => {
    if (stop.stopped && grace !== undefined) {
      ctx.logger.error(`${name} received again, exiting now`);
      process.exit(1);
    }
    ctx.logger.info(`${name} received, exiting...`);
    stop.stop(name);
    grace = setTimeout(() => {
      ctx.logger.error(`the run did not end within ${STOP_GRACE_MS / 1000} s of ${name}, exiting now`);
      process.exit(1);
    }, STOP_GRACE_MS);
    grace.unref();
  };
  const int = onSignal('SIGINT');
  const term = onSignal('SIGTERM');
  process.on('SIGINT', int);
  process.on('SIGTERM', term);
  return () => {
    clearTimeout(grace);
    process.off('SIGINT', int);
    process.off('SIGTERM', term);
  };
}

/**
 * SIGHUP (and, with `watch_config_files`, a change to a configuration or rules file) reloads the
 * configuration and the rules without stopping the sources: a new engine is built over the same
 * source objects, so the process and file-descriptor state survives, and swapped in between
 * batches. When the output settings are unchanged the outputs reopen their files and connections;
 * when they changed, new outputs are built and take over once the old ones have delivered what
 * they hold (see outputs-switch.ts). A reload that fails keeps the old rules and outputs.
 */
function installReload(ctx: AppContext, rules: { engine: Engine }, sources: RunSources, outputs: SwitchableOutputs, factory: OutputsFactoryOptions, stop: StopSignal): () => void {
  let outputTree = outputSettings(ctx.loaded.tree);
  const reloadNow = async (why: string): Promise<void> => {
    const started = Date.now();
    try {
      const loaded = ctx.cli.configFile === undefined && ctx.loaded.files.length === 0 ? ctx.loaded : loadConfig(ctx.loaded.files[0] ?? ctx.cli.configFile ?? '', ctx.cli.overrides, ctx.io.env);
      if (ctx.cli.unbuffered) loaded.tree['buffered_outputs'] = false;
      const config = interpretConfig(loaded.tree, ctx.cli.configFile ?? loaded.files[0] ?? '');
      const files = readRulesFiles(rulesPaths(ctx.cli.rulesFiles, config.rulesFiles));
      const engine = createEngine(config, sources.all, printOptionFormat(ctx.cli.printFormat));
      // Prepared in slices while the current rules keep detecting; swapped in only when complete.
      await loadRulesForReload(engine, files, ctx.logger, { deadline: started + config.ruleLoading.reloadTimeoutMs, abandon: () => stop.stopped });
      applySelections(engine, config.ruleSelections);
      const settings = outputSettings(loaded.tree);
      // Built before anything is swapped: outputs that cannot start leave the run as it was.
      const next = settings === outputTree ? undefined : await createGeneration(loaded.tree, config.bufferedOutputs, factory);
      if (stop.stopped) return;
      rules.engine = engine;
      if (next) {
        outputTree = settings;
        const drained = await outputs.replace(next);
        const left = drained.reduce((n, r) => n + r.undelivered, 0);
        ctx.logger.info(`${why}: outputs rebuilt for the new output settings (previous outputs drained${left > 0 ? `, ${left} alerts not delivered in time` : ''})`);
      } else {
        await outputs.reopen();
      }
      ctx.logger.info(`${why}: configuration and ${files.length} rules files reloaded`);
    } catch (e) {
      const reason = e instanceof LoadAbandoned && !stop.stopped ? `abandoned after ${Date.now() - started} ms (rule_loading.reload_timeout_ms): ${e.message}` : (e as Error).message;
      if (!stop.stopped) ctx.logger.error(`${why}: reload failed, keeping the previous rules: ${reason}`);
    }
  };
  // One reload at a time; requests while one runs are folded into one more after it.
  let running: Promise<void> | undefined;
  let queued: string | undefined;
  const reload = async (why: string): Promise<void> => {
    if (running) {
      queued = why;
      return;
    }
    running = reloadNow(why);
    await running;
    running = undefined;
    const again = queued;
    queued = undefined;
    if (again !== undefined && !stop.stopped) await reload(again);
  };
  const onHup = (): void => void reload('SIGHUP received');
  process.on('SIGHUP', onHup);
  const watchers: FSWatcher[] = [];
  if (ctx.config.watchConfigFiles) {
    let pending: NodeJS.Timeout | undefined;
    const paths = [...ctx.loaded.files, ...rulesPaths(ctx.cli.rulesFiles, ctx.config.rulesFiles)];
    for (const p of paths) {
      // Only files and directories can change in a way that means "reload": a device such as
      // /dev/null (`-c /dev/null`) would fire on every write anywhere on the machine.
      if (!isWatchable(p)) continue;
      try {
        watchers.push(
          watch(p, () => {
            clearTimeout(pending);
            pending = setTimeout(() => void reload(`${p} changed`), 300);
          }),
        );
      } catch {
        // a path that cannot be watched (gone, or a special file) is simply not watched
      }
    }
  }
  return () => {
    process.off('SIGHUP', onHup);
    for (const w of watchers) w.close();
  };
}

export async function runDetector(ctx: AppContext, engine: Engine, sources: RunSources, enabled: readonly string[], files: readonly RulesFile[]): Promise<number> {
  const { config, logger } = ctx;
  const version = versionInfo().falco_version;
  const replay = config.engineKind === 'replay';
  const metrics =
    config.metrics.enabled || config.webserver.prometheusMetricsEnabled
      ? new FalcoMetrics({
          version,
          engineName: config.engineKind,
          sources: enabled,
          rulesFiles: files.map((f) => ({ fileName: f.path, sha256: sha256Of(f.path, f.content) })),
          configFiles: ctx.loaded.files.map((f) => ({ fileName: f, sha256: sha256Of(f) })),
        })
      : undefined;
  const factory: OutputsFactoryOptions = { version, metrics, log: (m) => logger.error(m), stdout: stdoutStream(ctx) };
  let outputs: SwitchableOutputs;
  try {
    outputs = new SwitchableOutputs(await createGeneration(ctx.loaded.tree, config.bufferedOutputs, factory));
  } catch (e) {
    throw runErrors.input(`Could not start the outputs: ${(e as Error).message}`);
  }
  const alerts = new AlertSink(outputs);
  const hostname = ctx.io.env['FALCO_HOSTNAME'] || defaultHostname();
  let response: DetectorResponse | undefined;
  try {
    // Loaded only when enabled, so a run without it pays nothing at start-up.
    if ((ctx.loaded.tree as { response?: { enabled?: unknown } } | undefined)?.response?.enabled === true) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { startDetectorResponse } = require('./response') as typeof ResponseModule;
      response = await startDetectorResponse(ctx.loaded.tree, (a) => alerts.internal(a), { hostname, metrics, log: (m) => logger.warning(m) });
    }
  } catch (e) {
    throw runErrors.input(`Could not start the automated response: ${(e as Error).message}`);
  }
  if (response) {
    alerts.respond = (a) => response.submit(a);
    logger.info('Automated response enabled');
  }
  const rules = { engine };
  const stop = new StopSignal();
  const removeSignals = installSignals(stop, ctx);
  let lastEventMs = Date.now();
  let driverAttached = false;
  let metadata: ContainerMetadata | undefined;
  let policies: NetworkPolicies | undefined;

  let web: WebServer | undefined;
  if (config.webserver.enabled && !replay) {
    const health = (): HealthCheck[] => {
      const checks: HealthCheck[] = [];
      if (enabled.includes('syscall') && config.engineKind !== 'nodriver') {
        checks.push({ name: 'driver', ok: driverAttached, detail: driverAttached ? 'attached' : 'not attached' });
        const age = (Date.now() - lastEventMs) / 1000;
        checks.push({ name: 'events', ok: !driverAttached || age < 60, detail: `last event ${age.toFixed(1)} s ago` });
      }
      if (metadata) {
        const h = metadata.service.health();
        // Runtimes that are not installed show as disconnected: reported, but not a failure of the detector.
        checks.push({ name: 'metadata', ok: true, detail: `${h.status}; ${h.providers.map(providerDetail).join(', ')}` });
      }
      for (const [sink, s] of Object.entries(outputs.stats())) {
        const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
        checks.push({ name: `output:${sink}`, ok: true, detail: `sent ${s.sent}, failed ${s.failed}, dropped ${dropped}` });
      }
      return checks;
    };
    try {
      web = await WebServer.start({
        listenAddress: config.webserver.listenAddress,
        listenPort: config.webserver.listenPort,
        healthzEndpoint: config.webserver.healthzEndpoint,
        health,
        metrics: config.webserver.prometheusMetricsEnabled ? metrics : undefined,
        k8sAuditHandler: enabled.includes(K8S_AUDIT_SOURCE) && sources.k8sAudit ? k8sAuditWebhook(ctx, () => rules.engine, alerts, hostname, metrics) : undefined,
        sslCertificate: config.webserver.sslEnabled ? config.webserver.sslCertificate : undefined,
      });
      logger.info(`Starting internal webserver, listening on port ${web.port}${config.webserver.sslEnabled ? ' (TLS)' : ''}`);
    } catch (e) {
      logger.error(`Could not start the web server on ${config.webserver.listenAddress}:${config.webserver.listenPort}: ${(e as Error).message}`);
    }
  }

  const stopReloading = installReload(ctx, rules, sources, outputs, factory, stop);
  const stopSnapshots =
    metrics !== undefined && config.metrics.enabled && config.metrics.outputRule
      ? startMetricsSnapshots(() => metrics.render(), config.metrics.intervalMs, (a) => alerts.internal(a), (e) => logger.error(`Could not render the metrics snapshot: ${e.message}`))
      : undefined;

  // -M counts seconds of capture: a live run starts the clock once the driver is attached (loading
  // the BPF programs and scanning /proc can take seconds on a busy node), any other run at once.
  let timer: NodeJS.Timeout | undefined;
  const startDurationClock = (): void => {
    if (ctx.cli.durationSeconds !== undefined && timer === undefined) {
      timer = setTimeout(() => stop.stop('duration'), ctx.cli.durationSeconds * 1000);
    }
  };
  const liveDriver = enabled.includes('syscall') && !replay && config.engineKind !== 'nodriver';
  if (!liveDriver) startDurationClock();

  const drops = new DropMonitor(
    config.drops,
    {
      log: (m) => logger.debug(m),
      critical: (m) => logger.critical(m),
      alert: (a) => alerts.internal({ ...internalAlert('Falco internal: syscall event drop', 'Debug', a.message, a.fields), timeNs: a.timeNs }),
    },
    config.engineKind === 'modern_ebpf',
  );

  let exitCode = 0;
  const tasks: Promise<void>[] = [];
  try {
    if (enabled.includes('syscall')) {
      tasks.push(
        (async () => {
          if (config.engineKind === 'nodriver') {
            await stop.wait();
            return;
          }
          const syscall = sources.syscall;
          const common = { rules, syscall, alerts, hostname, matching: config.ruleMatching, drops, stopped: () => stop.stopped };
          let completed: boolean;
          if (replay) {
            if (config.replayCaptureFile === '') throw runErrors.input('engine.kind is replay but engine.replay.capture_file is empty');
            logger.info(`Replaying events from the capture file: ${config.replayCaptureFile}`);
            // As in Falco: capturing events that are already in a file would only copy it.
            if (config.capture.enabled) logger.info('capture.enabled is ignored when replaying a capture file');
            const progress = ctx.io.isTty && !config.logStderr ? ctx.io.stderr : undefined;
            completed = (await replayCapture({ ...common, file: config.replayCaptureFile, progress, log: (m) => logger.info(m) })).completed;
          } else {
            if (config.engineKind === 'kmod') throw kmodUnavailable();
            const entry = (name: string) =>
              config.loadPlugins.includes(name) ? { initConfig: config.plugins.find((p) => p.name === name)?.initConfig } : undefined;
            const container = entry('container');
            const k8smeta = entry('k8smeta');
            const mesos = ctx.loaded.tree['mesos'];
            if (container || k8smeta || mesos !== undefined) {
              metadata = containerMetadata({ ...(container ? { container } : {}), ...(k8smeta ? { k8smeta } : {}), ...(mesos !== undefined ? { mesos } : {}) }, hostPaths(ctx.io.env).root);
              syscall.setMetadataProvider(metadata.provider);
              const service = metadata.service;
              metrics?.setWatchSource(() => service.health().providers.flatMap((p) => (p.watches ?? []).map((w) => ({ provider: p.name, ...w }))));
            }
            // NetworkPolicy verdicts come over the k8smeta entry's Kubernetes connection, and only
            // for rules that read them (the watch covers every pod of the cluster).
            if (k8smeta && rulesUseNetpol(rules.engine.rules())) {
              const kubeconfig = k8smetaPluginConfig(k8smeta.initConfig, ctx.io.env).kubeconfig;
              policies = networkPolicies(kubeconfig ? { kubeconfig } : {}, (m) => logger.warning(m));
              syscall.setNetworkPolicyProvider(policies.provider);
            }
            completed = await runLive(ctx, {
              ...common,
              stop,
              onAttached: (capture) => {
                driverAttached = true;
                startDurationClock();
                metrics?.setEventStatsSource(() => liveStats(capture));
              },
              onEvent: () => (lastEventMs = Date.now()),
              awaitContainer: metadata?.awaitFirstSight,
              recorder: config.capture.enabled ? new CaptureRecorder(config.capture, (m) => logger.info(m)) : undefined,
            });
          }
          if (!completed) exitCode = 1;
          ctx.io.stderr(drops.summary());
        })(),
      );
    }
    if (enabled.includes(K8S_AUDIT_SOURCE) && sources.k8sAudit) {
      tasks.push(runK8sAudit(ctx, () => rules.engine, alerts, hostname, stop, web !== undefined, metrics));
    }
    // A run whose sources all end (a replayed capture, an audit events file) ends with them.
    const results = await Promise.allSettled(tasks);
    stop.stop('sources ended');
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  } finally {
    if (timer) clearTimeout(timer);
    stopReloading();
    stopSnapshots?.();
    // The signal handlers stay until the end: the stop grace period covers the teardown too.
    try {
      await web?.close();
      await metadata?.service.close();
      await policies?.close();
      await response?.close();
      await outputs.shutdown();
    } finally {
      removeSignals();
    }
  }
  ctx.io.stdout(alerts.counter.summary());
  return exitCode;
}

/** `docker: connected`; a watching provider also lists each watch (`pods watching 12 objects rv 1042`). */
function providerDetail(p: ProviderHealth): string {
  const watches = p.watches?.map((w) => `${w.resource} ${w.state} ${w.objects} objects${w.resourceVersion ? ` rv ${w.resourceVersion}` : ''}${w.relists ? ` ${w.relists} relists` : ''}`);
  return `${p.name}: ${p.state}${watches ? ` (${watches.join('; ')})` : ''}`;
}

function isWatchable(path: string): boolean {
  try {
    const st = statSync(path);
    return st.isFile() || st.isDirectory();
  } catch {
    return false;
  }
}

/**
 * `engine.kind: kmod` needs Falco's kernel module, which this project does not ship: the run fails
 * as Falco's kmod engine does when it cannot open the module's device, never falling back to the
 * eBPF driver. The wording is libscap's (scap_kmod).
 */
function kmodUnavailable(): Error {
  const device = '/dev/falco0';
  const why = existsSync(device) ? 'this detector reads events only through its own eBPF driver (engine.kind=modern_ebpf)' : 'No such file or directory';
  return runErrors.input(`error opening device ${device}. Make sure you have root credentials and that the falco module is loaded: ${why}`);
}

/**
 * The sha256 of a loaded file's bytes, as Falco labels its `sha256_rules_files_info` and
 * `sha256_config_files_info` metrics; the text already read stands in when the file is gone.
 */
function sha256Of(path: string, content?: string): string {
  let bytes: Buffer | string | undefined = content;
  try {
    bytes = readFileSync(path);
  } catch {
    // keep the content read earlier, if any
  }
  return bytes === undefined ? '' : createHash('sha256').update(bytes).digest('hex');
}
