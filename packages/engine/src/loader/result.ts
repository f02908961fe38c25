/**
 * The outcome of loading one rules file: success flag, errors (loading stops at the first one),
 * every warning, and the schema-validation status. Renders as Falco's summary line, its verbose
 * text and the JSON object `falco -V` prints under `falco_load_results`.
 */
import type { LoadContext, LocationJson } from './context';
import {
  ERROR_TEXT,
  WARNING_DESCRIPTION,
  WARNING_TEXT,
  type LoadErrorCode,
  type LoadWarningCode,
} from './messages';

export interface LoadDiagnostic<C extends string> {
  readonly code: C;
  readonly message: string;
  readonly context: LoadContext;
}

export interface DiagnosticJson {
  code: string;
  codedesc: string;
  message: string;
  context: { locations: LocationJson[]; snippet: string };
}

export interface LoadResultJson {
  name: string;
  successful: boolean;
  errors: DiagnosticJson[];
  warnings: DiagnosticJson[];
}

export class LoadResult {
  readonly errors: LoadDiagnostic<LoadErrorCode>[] = [];
  readonly warnings: LoadDiagnostic<LoadWarningCode>[] = [];
  private schemaStatus = 'none';
  private schemaCheck: (() => string) | undefined;

  constructor(
    readonly name: string,
    /** The content of every file loaded so far, by name, for snippets. */
    private readonly contents: ReadonlyMap<string, string>,
  ) {}

  /**
   * `ok`, `none`, or `failed for <path>: <reason>`. Computed on first read: the status is
   * informational (only `-V` and tests show it), and compiling the schema validator costs ~100 ms
   * of start-up that a detector run never needs.
   */
  get schemaValidation(): string {
    if (this.schemaCheck) {
      this.schemaStatus = this.schemaCheck();
      this.schemaCheck = undefined;
    }
    return this.schemaStatus;
  }

  /** Registers how to compute `schemaValidation` when it is first read. */
  deferSchemaValidation(check: () => string): void {
    this.schemaCheck = check;
  }

  get successful(): boolean {
    return this.errors.length === 0;
  }

  get hasWarnings(): boolean {
    return this.warnings.length > 0;
  }

  addError(code: LoadErrorCode, message: string, context: LoadContext): void {
    this.errors.push({ code, message, context });
  }

  addWarning(code: LoadWarningCode, message: string, context: LoadContext): void {
    this.warnings.push({ code, message, context });
  }

  /** `name: Ok, with warnings` plus the code lists, as Falco logs it. */
  summary(): string {
    let out = this.name !== '' ? `${this.name}: ` : '';
    out += this.successful ? (this.hasWarnings ? 'Ok, with warnings' : 'Ok') : 'Invalid';
    if (this.errors.length > 0) {
      out += `\n ${this.errors.length} errors: [`;
      out += this.errors.map((e) => `${e.code} (${ERROR_TEXT[e.code]})`).join(' ');
      out += ']';
    }
    if (this.warnings.length > 0) {
      out += `\n ${this.warnings.length} warnings: [`;
      out += this.warnings.map((w) => `${w.code} (${WARNING_TEXT[w.code]})`).join(' ');
      out += ']';
    }
    return out;
  }

  /** Every diagnostic with its location trace and snippet. */
  verbose(): string {
    let out = this.name !== '' ? `${this.name}: ` : '';
    out += this.successful ? (this.hasWarnings ? 'Ok, with warnings' : 'Ok') : 'Invalid';
    if (this.errors.length > 0) {
      out += `\n${this.errors.length} Errors:\n`;
      for (const e of this.errors) {
        out += e.context.asText() + '------\n' + e.context.snippet(this.contents) + '------\n';
        out += `${e.code} (${ERROR_TEXT[e.code]}): ${e.message}\n`;
      }
    }
    if (this.warnings.length > 0) {
      out += `\n${this.warnings.length} Warnings:\n`;
      for (const w of this.warnings) {
        out += w.context.asText() + '------\n' + w.context.snippet(this.contents) + '------\n';
        out += `${w.code} (${WARNING_TEXT[w.code]}): ${w.message}\n`;
      }
    }
    return out;
  }

  /** Falco's JSON (nlohmann orders object keys alphabetically, and so does this). */
  toJSON(): LoadResultJson {
    const diag = <C extends string>(d: LoadDiagnostic<C>, codedesc: string): DiagnosticJson => ({
      code: d.code,
      codedesc,
      context: { locations: d.context.asJson().locations, snippet: d.context.snippet(this.contents) },
      message: d.message,
    });
    return {
      errors: this.errors.map((e) => diag(e, ERROR_TEXT[e.code])),
      name: this.name,
      successful: this.successful,
      warnings: this.warnings.map((w) => diag(w, WARNING_DESCRIPTION[w.code])),
    };
  }
}
