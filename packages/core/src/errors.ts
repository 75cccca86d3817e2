/**
 * Every failure twinforge reports on purpose is a TwinforgeError with a stable `code`.
 * Codes are part of the public API: tools and tests match on them, so never rename one; add new ones.
 */
export const ERROR_CODES = [
  // configuration and arguments
  'CONFIG_INVALID',
  'INVALID_ARGUMENT',
  'NUMERIC_INVALID',
  'RNG_INVALID_SEED',
  // plugins and host
  'PLUGIN_MANIFEST_INVALID',
  'PLUGIN_API_MISMATCH',
  'PLUGIN_MISSING_DEPENDENCY',
  'PLUGIN_DEPENDENCY_CYCLE',
  'PLUGIN_DUPLICATE_NAME',
  'PLUGIN_DUPLICATE_ID',
  'PLUGIN_NAME_MISMATCH',
  'PLUGIN_PROVIDES_MISMATCH',
  'PLUGIN_NOT_FOUND',
  'PLUGIN_INVALID',
  'PLUGIN_REGISTER_FAILED',
  'PLUGIN_DISPOSE_FAILED',
  'REGISTRY_FROZEN',
  'UNKNOWN_ID',
  'HOST_DISPOSED',
  'SERVICE_DUPLICATE',
  // pipelines
  'PIPELINE_INCOMPLETE',
  'PIPELINE_FAILED',
  // environments and scenarios
  'ENV_NOT_RESET',
  'ENV_CLOSED',
  'ENV_INVALID_ACTION',
  'ENV_CHECK_FAILED',
  'SCENARIO_INVALID',
  'SCENARIO_UNSUPPORTED_EVENT',
  // digital twin
  'TWIN_DISPOSED',
  'TWIN_SNAPSHOT_INVALID',
  'TWIN_UNKNOWN_ENTITY',
  // physics
  'PHYSICS_INVALID_INPUT',
  'PHYSICS_UNSTABLE',
  // tensors and learners
  'TENSOR_BACKEND_UNAVAILABLE',
  'TENSOR_SHAPE_MISMATCH',
  'CHECKPOINT_INVALID',
  'LEARNER_FAILED',
  'MODEL_INVALID',
  // execution and runs
  'WORKER_FAILED',
  'RUN_INTERRUPTED',
  'FILE_NOT_FOUND',
  /** An optional dependency a command needs (e.g. @duckdb/node-api for `twinforge data query`) is not installed. */
  'DEPENDENCY_MISSING',
  // datasets
  'DATASET_EXISTS',
  'DATASET_NOT_FOUND',
  'DATASET_SCHEMA_MISMATCH',
  'DATASET_TRUNCATED_FILE',
  'DATASET_MISSING_FOOTER',
  'DATASET_METADATA_MISMATCH',
  'DATASET_CORRUPT',
  'DATASET_WRITE_FAILED',
  'DATASET_CLOSED',
] as const;

export type TwinforgeErrorCode = (typeof ERROR_CODES)[number];

export interface TwinforgeErrorOptions {
  /** The underlying error, kept for `--verbose` output and debugging. */
  cause?: unknown;
  /** Structured facts about the failure (field path, plugin name, file, ...). */
  details?: Readonly<Record<string, unknown>>;
}

export class TwinforgeError extends Error {
  readonly code: TwinforgeErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: TwinforgeErrorCode, message: string, options: TwinforgeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TwinforgeError';
    this.code = code;
    this.details = options.details ?? {};
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

/** Narrowing that also works across duplicated copies of this package (checks the shape, not the prototype). */
export function isTwinforgeError(value: unknown, code?: TwinforgeErrorCode): value is TwinforgeError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { name?: unknown; code?: unknown };
  return v.name === 'TwinforgeError' && typeof v.code === 'string' && (code === undefined || v.code === code);
}

/** Rejects NaN and infinities where a number must be finite; the name says which argument was wrong. */
export function assertFinite(value: number, name: string, code: TwinforgeErrorCode = 'NUMERIC_INVALID'): number {
  if (!Number.isFinite(value)) {
    throw new TwinforgeError(code, `${name} must be a finite number, got ${String(value)}`, {
      details: { name, value },
    });
  }
  return value;
}
