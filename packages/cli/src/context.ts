/**
 * What every action and the detector receive from the `falco` command's flow (`app.ts`). In its
 * own module so that the actions, which `app.ts` loads, never import `app.ts` back.
 */
import type { FalcoConfig } from './config/falco-config';
import type { LoadedConfig } from './config/load';
import type { CliIo } from './io';
import type { Logger } from './logger';
import type { CliOptions } from './options';

/** Everything an action needs: the command line, the configuration, the log and the streams. */
export interface AppContext {
  cli: CliOptions;
  loaded: LoadedConfig;
  config: FalcoConfig;
  logger: Logger;
  io: CliIo;
  argv: readonly string[];
}
