/** A pass/fail threshold on one score, given on the command line (e.g. `--max-mmd-ratio 2`). */
export interface GateResult {
  /** The option that set it, e.g. `--max-mmd-ratio`. */
  readonly option: string;
  /** What is compared, e.g. `MMD²/floor`. */
  readonly metric: string;
  readonly value: number;
  readonly limit: number;
  /** `max`: value must be ≤ limit; `min`: value must be ≥ limit. */
  readonly bound: 'max' | 'min';
  readonly passed: boolean;
}

/** Checks one gate; a NaN value fails (no score is no pass). */
export function gate(option: string, metric: string, value: number, limit: number, bound: 'max' | 'min'): GateResult {
  const passed = bound === 'max' ? value <= limit : value >= limit;
  return { option, metric, value, limit, bound, passed };
}

const show = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v));

/** `--max-mmd-ratio 2: MMD²/floor = 1.03 (passed)`. */
export function formatGate(g: GateResult): string {
  const op = g.bound === 'max' ? '≤' : '≥';
  return `${g.option} ${show(g.limit)}: ${g.metric} = ${show(g.value)} ${g.passed ? `${op} ${show(g.limit)}, passed` : `FAILED (must be ${op} ${show(g.limit)})`}`;
}
