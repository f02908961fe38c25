export { BEHAVIOURS, selectBehaviours } from './catalogue';
export { HOST_BEHAVIOURS } from './host-behaviours';
export { CONTAINER_BEHAVIOURS } from './container-behaviours';
export { runBehaviours } from './run';
export type { BehaviourOutcome, RunOptions } from './run';
export type { Behaviour, BehaviourPlace, GeneratorContext } from './behaviour';
export { parseArgs, main } from './cli';
export type { CliOptions } from './cli';
export {
  GeneratorError,
  UnknownBehaviourError,
  NoDockerError,
  BehaviourFailedError,
  GeneratorUsageError,
} from './errors';
export type { GeneratorErrorCode } from './errors';
export { renderChart, renderTemplate } from './helm-lite';
export type { RenderScope, RenderedChart } from './helm-lite';
export { TemplateError } from './errors';
