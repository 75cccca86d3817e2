import { InvalidArgumentError } from 'commander';

/**
 * commander argument parsers for real numbers. A bad value is a usage error (exit 2) and commander's message names
 * the option: `option '--range <lo,hi>' argument '1;2' is invalid. expected two numbers "lo,hi", got "1;2"`.
 */
function toNumber(value: string): number {
  const text = value.trim();
  // Number('') is 0 and Number('0x10') is 16: accept plain decimal / exponent notation only.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) {
    throw new InvalidArgumentError(`expected a number, got "${value}"`);
  }
  const n = Number(text);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`expected a finite number, got "${value}"`);
  return n;
}

export function finiteNumber(value: string): number {
  return toNumber(value);
}

export function positiveNumber(value: string): number {
  const n = toNumber(value);
  if (!(n > 0)) throw new InvalidArgumentError(`expected a number > 0, got "${value}"`);
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = toNumber(value);
  if (!(n >= 0)) throw new InvalidArgumentError(`expected a number >= 0, got "${value}"`);
  return n;
}

/** `lo,hi` with lo <= hi (lo < hi when `strict`), e.g. `--range -153,40`. */
export function numberPair(value: string, strict = false): [number, number] {
  const parts = value.split(',');
  const bad = () => new InvalidArgumentError(`expected two numbers "lo,hi", got "${value}"`);
  if (parts.length !== 2) throw bad();
  let pair: [number, number];
  try {
    pair = [toNumber(parts[0] as string), toNumber(parts[1] as string)];
  } catch {
    throw bad();
  }
  if (strict ? pair[0] >= pair[1] : pair[0] > pair[1]) {
    throw new InvalidArgumentError(`expected lo ${strict ? '<' : '<='} hi, got "${value}"`);
  }
  return pair;
}

/** A repeatable `lo,hi` option with lo < hi (an open band): each use adds one pair. */
export function collectBands(value: string, previous: [number, number][] = []): [number, number][] {
  return [...previous, numberPair(value, true)];
}
