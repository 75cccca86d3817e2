/**
 * DI tokens: exported Symbols, resolved through tsyringe containers. `Symbol.for` keeps them identical across
 * duplicated copies of this package, although plugins should take @twinforge/core as a peer dependency anyway.
 */
export const TOKENS = {
  /** The run's root Rng (per pipeline run) or the host's (seed 0) outside runs. */
  Rng: Symbol.for('twinforge.Rng'),
  Logger: Symbol.for('twinforge.Logger'),
  Clock: Symbol.for('twinforge.Clock'),
  Executor: Symbol.for('twinforge.Executor'),
  DatasetSink: Symbol.for('twinforge.DatasetSink'),
  TensorBackend: Symbol.for('twinforge.TensorBackend'),
  /** The Host itself, so services can look up contributions. */
  Host: Symbol.for('twinforge.Host'),
  /** The AbortSignal of the current pipeline run. */
  Signal: Symbol.for('twinforge.Signal'),
  /** The id of the current pipeline run. */
  RunId: Symbol.for('twinforge.RunId'),
} as const;

export type TokenName = keyof typeof TOKENS;
