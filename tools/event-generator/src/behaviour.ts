/** The shape of one behaviour the generator can perform. */

/** Where the behaviour runs: directly on this host, or inside a Docker container. */
export type BehaviourPlace = 'host' | 'container';

export interface GeneratorContext {
  /** A private scratch directory under /tmp, removed after the run. */
  readonly workDir: string;
  /** `unix://…` address of the Docker engine for container behaviours. */
  readonly dockerHost?: string;
  /** Image (busybox-based: sh, cat, touch, …) that container behaviours run. */
  readonly image?: string;
  /** Label put on every container the generator starts, so a test can find them. */
  readonly containerLabel: string;
  /** Called with each container the generator ran (full id and name). */
  onContainer?(c: { behaviour: string; id: string; name: string }): void;
}

export interface Behaviour {
  /** Stable kebab-case name, used on the command line. */
  readonly name: string;
  /** The default rule expected to fire. */
  readonly rule: string;
  readonly place: BehaviourPlace;
  /** What it does, in one line. */
  readonly description: string;
  /** Field values a detector's alert for this behaviour must carry (host behaviours). */
  readonly expect: Readonly<Record<string, string>>;
  /**
   * How many alerts of `rule` the behaviour raises with the default rules: the look-alikes it also
   * performs (device writes, a failed connect, a non-interactive exec) raise none.
   */
  readonly alerts: number;
  /** Alerts of other rules that its setup raises, by rule (a container behaviour writing /etc). */
  readonly alsoRaises?: Readonly<Record<string, number>>;
  perform(ctx: GeneratorContext): Promise<void>;
}
