export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logger: a message plus fields. Plugins receive it by DI (TOKENS.Logger). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes one line per record to stderr, so stdout stays free for results and --json output. */
export class ConsoleLogger implements Logger {
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly bindings: Record<string, unknown> = {},
  ) {}

  debug(message: string, fields?: Record<string, unknown>): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.write('error', message, fields);
  }
  child(bindings: Record<string, unknown>): Logger {
    return new ConsoleLogger(this.level, { ...this.bindings, ...bindings });
  }

  private write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const all = { ...this.bindings, ...fields };
    const extra = Object.keys(all).length > 0 ? ` ${JSON.stringify(all)}` : '';
    process.stderr.write(`[twinforge] ${level} ${message}${extra}\n`);
  }
}

/** Keeps records in memory: for tests, and for hosts that forward logs elsewhere. */
export class MemoryLogger implements Logger {
  readonly records: { level: LogLevel; message: string; fields: Record<string, unknown> }[];
  constructor(
    private readonly bindings: Record<string, unknown> = {},
    records?: { level: LogLevel; message: string; fields: Record<string, unknown> }[],
  ) {
    this.records = records ?? [];
  }
  debug(message: string, fields?: Record<string, unknown>): void {
    this.records.push({ level: 'debug', message, fields: { ...this.bindings, ...fields } });
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.records.push({ level: 'info', message, fields: { ...this.bindings, ...fields } });
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.records.push({ level: 'warn', message, fields: { ...this.bindings, ...fields } });
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.records.push({ level: 'error', message, fields: { ...this.bindings, ...fields } });
  }
  child(bindings: Record<string, unknown>): Logger {
    return new MemoryLogger({ ...this.bindings, ...bindings }, this.records);
  }
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
