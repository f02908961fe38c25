/**
 * Path arithmetic the way Falco does it for fd names and fs.path fields: a relative path is joined
 * to the directory it is relative to, then `.`, `..` and repeated slashes are resolved lexically
 * (without looking at the filesystem, so symlinks are not followed).
 */

/** Lexically normalises an absolute path: `/a/./b//../c/` → `/a/c`. */
export function normalizePath(path: string): string {
  if (path.indexOf('/.') < 0 && path.indexOf('//') < 0 && (path.length < 2 || path[path.length - 1] !== '/')) {
    return path; // already normal: the common case costs one scan
  }
  const parts: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

/** Joins `path` to `dir` unless it is absolute, and normalises the result. */
export function resolvePath(dir: string, path: string): string {
  if (path.startsWith('/')) return normalizePath(path);
  if (path === '') return normalizePath(dir === '' ? '/' : dir);
  const base = dir === '' ? '/' : dir;
  return normalizePath(base.endsWith('/') ? base + path : `${base}/${path}`);
}

/** The directory part of an absolute file path (`/a/b` → `/a`, `/a` → `/`). */
export function dirnameOf(path: string): string {
  const at = path.lastIndexOf('/');
  if (at <= 0) return '/';
  return path.slice(0, at);
}

/** The last component of a path (`/a/b` → `b`). */
export function basenameOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? path : path.slice(at + 1);
}
