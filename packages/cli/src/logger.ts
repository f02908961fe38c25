/**
 * Log lines as Falco writes them: `<time>: <message>` on stderr, filtered by `log_level`, with the
 * time in Falco's ctime-like form or ISO 8601 when `time_format_iso_8601` is set.
 */
import type { LogLevel } from './config/falco-config';

const SEVERITY: Record<LogLevel, number> = { emergency: 0, alert: 1, critical: 2, error: 3, warning: 4, notice: 5, info: 6, debug: 7 };
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function logTimestamp(d: Date, iso: boolean): string {
  if (iso) {
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+0000`;
  }
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${d.getFullYear()}`;
}

export interface LoggerOptions {
  level: LogLevel;
  stderr: boolean;
  iso8601: boolean;
  /** Where lines go; stderr by default (tests pass a collector). */
  write?: (line: string) => void;
}

export class Logger {
  private threshold: number;
  private options: LoggerOptions;
  private readonly write: (line: string) => void;

  constructor(options: LoggerOptions) {
    this.options = options;
    this.threshold = SEVERITY[options.level];
    this.write = options.write ?? ((line) => process.stderr.write(line));
  }

  /** Applies a new configuration (after a reload). */
  configure(options: Omit<LoggerOptions, 'write'>): void {
    this.options = { ...this.options, ...options };
    this.threshold = SEVERITY[options.level];
  }

  log(level: LogLevel, message: string): void {
    if (!this.options.stderr || SEVERITY[level] > this.threshold) return;
    const text = message.endsWith('\n') ? message : `${message}\n`;
    this.write(`${logTimestamp(new Date(), this.options.iso8601)}: ${text}`);
  }

  critical(m: string): void {
    this.log('critical', m);
  }
  error(m: string): void {
    this.log('error', m);
  }
  warning(m: string): void {
    this.log('warning', m);
  }
  notice(m: string): void {
    this.log('notice', m);
  }
  info(m: string): void {
    this.log('info', m);
  }
  debug(m: string): void {
    this.log('debug', m);
  }
}
