import type { LoadContext } from './context';
import type { LoadErrorCode } from './messages';

/**
 * Thrown inside the loader to stop reading or compiling a file at its first error; the loader
 * records it in the file's LoadResult. It never escapes the loader's public API.
 */
export class LoadError extends Error {
  override name = 'LoadError';
  constructor(
    readonly code: LoadErrorCode,
    message: string,
    readonly context: LoadContext,
  ) {
    super(message);
  }
}
