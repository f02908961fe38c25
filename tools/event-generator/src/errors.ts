/**
 * Typed errors of the event generator. A user can cause them by naming a behaviour that does not
 * exist, by asking for container behaviours without a Docker engine, or when the machine lacks a
 * tool a behaviour needs; each carries the context to act on.
 */
export type GeneratorErrorCode = 'UNKNOWN_BEHAVIOUR' | 'NO_DOCKER' | 'BEHAVIOUR_FAILED' | 'USAGE';

export abstract class GeneratorError extends Error {
  abstract readonly code: GeneratorErrorCode;
  /** What the generator was doing: the behaviour, the command, the argument. */
  readonly context: Readonly<Record<string, string>>;

  constructor(message: string, context: Readonly<Record<string, string>>) {
    super(message);
    this.context = context;
  }
}

export class UnknownBehaviourError extends GeneratorError {
  override readonly name = 'UnknownBehaviourError';
  readonly code = 'UNKNOWN_BEHAVIOUR' as const;
}

export class NoDockerError extends GeneratorError {
  override readonly name = 'NoDockerError';
  readonly code = 'NO_DOCKER' as const;
}

export class BehaviourFailedError extends GeneratorError {
  override readonly name = 'BehaviourFailedError';
  readonly code = 'BEHAVIOUR_FAILED' as const;
}

export class GeneratorUsageError extends GeneratorError {
  override readonly name = 'GeneratorUsageError';
  readonly code = 'USAGE' as const;
}

export function unknownBehaviour(name: string, known: readonly string[]): UnknownBehaviourError {
  return new UnknownBehaviourError(`unknown behaviour "${name}" (known: ${known.join(', ')})`, { behaviour: name });
}

export function behaviourFailed(behaviour: string, command: string, detail: string): BehaviourFailedError {
  return new BehaviourFailedError(`behaviour ${behaviour}: "${command}" failed: ${detail}`, { behaviour, command });
}

/** A chart template that uses something outside the supported subset, or is malformed. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  readonly code = 'TEMPLATE' as const;
  readonly position: { readonly file: string; readonly line: number; readonly column: number };

  constructor(message: string, file: string, line: number, column: number) {
    super(`${file}:${line}:${column}: ${message}`);
    this.position = { file, line, column };
  }
}
