/** `--version`: text, or one JSON object with `json_output=true`. */
import type { AppContext } from '../context';
import { versionInfo, versionText } from '../version';

export function printVersion(ctx: AppContext): number {
  const v = versionInfo();
  ctx.io.stdout(ctx.config.jsonOutput ? `${JSON.stringify(v)}\n` : versionText(v));
  return 0;
}
