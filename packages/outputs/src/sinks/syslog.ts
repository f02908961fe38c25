/**
 * `syslog_output`: the local syslog socket (a unix datagram socket, `/dev/log`) as Falco uses it,
 * or a remote collector over UDP or TCP, in RFC 3164 or RFC 5424 format. The severity is the
 * alert's priority (Falco's priorities are syslog's severities).
 */
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type * as UnixSocketModule from 'node-unix-socket';
import type { DgramSocket } from 'node-unix-socket';
import { formatAlert, isoTime, priorityLevel, type Alert } from '@falco-ts/alert';
import { configError, deliveryError } from '../errors';
import { defineSink } from '../sink';

const FACILITIES: Record<string, number> = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9, authpriv: 10, ftp: 11,
  local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23,
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface SyslogFormat {
  readonly format: 'rfc3164' | 'rfc5424';
  readonly facility: number;
  readonly ident: string;
  readonly hostname: string | undefined;
  readonly pid: number;
}

/** RFC 3164 timestamp: local time, `Mmm dd hh:mm:ss` with a space-padded day. */
function bsdTime(ns: bigint): string {
  const d = new Date(Number(ns / 1_000_000n));
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Builds one syslog message (without transport framing). */
export function syslogMessage(alert: Alert, body: string, f: SyslogFormat): string {
  const pri = f.facility * 8 + priorityLevel(alert.priority);
  if (f.format === 'rfc5424') {
    // RFC 5424 allows at most six fractional digits.
    const iso = isoTime(alert.timeNs);
    const ts = `${iso.slice(0, 26)}Z`;
    return `<${pri}>1 ${ts} ${f.hostname ?? alert.hostname} ${f.ident} ${f.pid} - - ${body}`;
  }
  // The local socket gets what glibc's syslog(3) sends (no host name); a remote collector needs it.
  const host = f.hostname !== undefined ? `${f.hostname} ` : '';
  return `<${pri}>${bsdTime(alert.timeNs)} ${host}${f.ident}[${f.pid}]: ${body}`;
}

interface Transport {
  send(msg: Buffer): Promise<void>;
  close(): void;
}

/**
 * Errors meaning no syslog daemon listens at the path (no `/dev/log` on a CI machine or in a
 * minimal container). Retrying these only delays exit until the drain deadline, so they fail fast.
 */
const NO_LISTENER = /ENOENT|ECONNREFUSED|ENOTSOCK|No such file|Connection refused|not a socket/i;

/** How long a missing local socket is trusted to stay missing before sending is tried again. */
export const SYSLOG_RECHECK_MS = 10_000;

function unixTransport(path: string): Transport {
  let sock: DgramSocket | undefined;
  // While `Date.now()` is below this, the socket is known to have no listener: reject at once.
  let absentUntil = 0;
  let absentReason = '';
  return {
    send(msg) {
      if (absentUntil !== 0 && Date.now() < absentUntil) {
        return Promise.reject(deliveryError('syslog', `no syslog daemon at ${path}: ${absentReason}`, 'ENOENT', false));
      }
      // The unix datagram addon is loaded with the first socket, not at import, so runs with
      // syslog_output disabled do not load a native module (~10 ms of start-up).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      sock ??= new (require('node-unix-socket') as typeof UnixSocketModule).DgramSocket();
      const s = sock;
      return new Promise((resolve, reject) => {
        s.sendTo(msg, 0, msg.length, path, (err) => {
          if (err === undefined || err === null) {
            absentUntil = 0;
            return resolve();
          }
          const e = err as NodeJS.ErrnoException;
          const text = `${e.code ?? ''} ${e.message}`;
          if (NO_LISTENER.test(text)) {
            absentUntil = Date.now() + SYSLOG_RECHECK_MS;
            absentReason = e.message;
            return reject(deliveryError('syslog', `no syslog daemon at ${path}: ${e.message}`, e.code, false));
          }
          // A message larger than the socket accepts will never fit: do not retry it.
          const tooBig = /EMSGSIZE|too long/i.test(text);
          reject(deliveryError('syslog', `cannot send to ${path}: ${e.message}`, e.code, !tooBig));
        });
      });
    },
    close() {
      sock?.close();
      sock = undefined;
    },
  };
}

function udpTransport(host: string, port: number): Transport {
  let sock: UdpSocket | undefined;
  return {
    send(msg) {
      sock ??= createSocket(host.includes(':') ? 'udp6' : 'udp4');
      const s = sock;
      return new Promise((resolve, reject) => {
        s.send(msg, port, host, (err) => (err ? reject(deliveryError('syslog', err.message, (err as NodeJS.ErrnoException).code)) : resolve()));
      });
    },
    close() {
      sock?.close();
      sock = undefined;
    },
  };
}

/** TCP with RFC 6587 octet-counting framing, re-connecting after any error. */
function tcpTransport(host: string, port: number): Transport {
  let sock: Socket | undefined;
  let ready: Promise<Socket> | undefined;
  const drop = (): void => {
    sock?.destroy();
    sock = undefined;
    ready = undefined;
  };
  const get = (): Promise<Socket> => {
    ready ??= new Promise<Socket>((resolve, reject) => {
      const s = connect({ host, port });
      s.once('connect', () => {
        sock = s;
        resolve(s);
      });
      s.once('error', (err) => {
        drop();
        reject(deliveryError('syslog', `tcp ${host}:${port}: ${err.message}`, (err as NodeJS.ErrnoException).code));
      });
      s.once('close', () => {
        if (sock === s) drop();
      });
    });
    return ready;
  };
  return {
    async send(msg) {
      const s = await get();
      const framed = Buffer.concat([Buffer.from(`${msg.length} `), msg]);
      await new Promise<void>((resolve, reject) =>
        s.write(framed, (err) => {
          if (!err) return resolve();
          drop();
          reject(deliveryError('syslog', `tcp ${host}:${port}: ${err.message}`));
        }),
      );
    },
    close() {
      sock?.end();
      drop();
    },
  };
}

/** Parses `udp://host:port` or `tcp://host:port` (IPv6 hosts in brackets). */
function parseRemote(address: string): { proto: 'udp' | 'tcp'; host: string; port: number } {
  const m = /^(udp|tcp):\/\/(\[[^\]]+\]|[^:/]+):(\d+)$/.exec(address);
  if (m === null || Number(m[3]) < 1 || Number(m[3]) > 65535) {
    throw configError('syslog_output.address', 'expected udp://host:port or tcp://host:port', address);
  }
  return { proto: m[1] as 'udp' | 'tcp', host: m[2].replace(/^\[|\]$/g, ''), port: Number(m[3]) };
}

/** `''` → the local socket; `udp://host:port` or `tcp://host:port` → a remote collector. */
function openTransport(address: string, socketPath: string): Transport {
  if (address === '') return unixTransport(socketPath);
  const r = parseRemote(address);
  return r.proto === 'udp' ? udpTransport(r.host, r.port) : tcpTransport(r.host, r.port);
}

export const syslogSink = defineSink({
  name: 'syslog',
  section: 'syslog_output',
  summary: 'Sends each alert to the local syslog socket or to a remote collector over UDP or TCP.',
  spoolable: false,
  configSchema: {
    enabled: { type: 'boolean', default: true, doc: 'Send alerts to syslog.' },
    format: { type: 'string', default: 'rfc3164', oneOf: ['rfc3164', 'rfc5424'], doc: 'Message format: `rfc3164` (what syslog(3) writes) or `rfc5424`.' },
    address: { type: 'string', default: '', doc: 'Empty for the local socket, or `udp://host:port` / `tcp://host:port` for a remote collector (TCP uses octet-counting framing).' },
    socket_path: { type: 'string', default: '/dev/log', doc: 'The local syslog datagram socket.' },
    facility: { type: 'string', default: 'user', oneOf: Object.keys(FACILITIES), doc: 'Syslog facility.' },
    ident: { type: 'string', default: 'falco', doc: 'The tag (RFC 3164) or APP-NAME (RFC 5424).' },
  },
  validate(config) {
    if (config.address !== '') parseRemote(config.address);
  },
  create(config, ctx) {
    const transport = openTransport(config.address, config.socket_path);
    const fmt: SyslogFormat = {
      format: config.format as SyslogFormat['format'],
      facility: FACILITIES[config.facility],
      ident: config.ident,
      hostname: undefined,
      pid: process.pid,
    };
    // Only RFC 3164 to the local socket omits the host name (syslogd adds its own).
    const withHost = config.address !== '' || fmt.format === 'rfc5424';
    const message = (alert: Alert): Buffer =>
      Buffer.from(syslogMessage(alert, formatAlert(alert, ctx.format), withHost ? { ...fmt, hostname: alert.hostname } : fmt));
    return {
      send: (alert) => transport.send(message(alert)),
      // One message per alert still, but all queued ones are in flight together.
      async sendBatch(alerts) {
        await Promise.all(alerts.map((a) => transport.send(message(a))));
      },
      async reopen() {
        transport.close();
      },
      async close() {
        transport.close();
      },
    };
  },
});
