// Splitting image references the way users read them: `registry:5000/team/app:1.2@sha256:…` has
// repository `registry:5000/team/app`, tag `1.2` and digest `sha256:…`.

export interface ImageRef {
  readonly repository?: string;
  readonly tag?: string;
  readonly digest?: string;
}

const BARE_ID = /^(sha256:)?[0-9a-f]{64}$/;

export function parseImageRef(ref: string): ImageRef {
  if (ref === '' || BARE_ID.test(ref)) return {};
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  // A colon before the last slash is a registry port, not a tag.
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  // Docker reports untagged, undigested references as `:latest`.
  if (tag === undefined && digest === undefined) tag = 'latest';
  return { repository: rest, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

/** RFC 3339 with up to nanosecond fraction → ns since the epoch; undefined for Go's zero time. */
export function parseTimestampNs(text: string | undefined): bigint | undefined {
  if (!text || text.startsWith('0001-01-01')) return undefined;
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) return undefined;
  const seconds = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  const fraction = BigInt(((m[2] ?? '') + '000000000').slice(0, 9));
  return BigInt(seconds) * 1_000_000n + fraction;
}
