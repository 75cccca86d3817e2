/**
 * The tfjs backends twinforge knows, in the order DESIGN.md prescribes: native TensorFlow with CUDA, native
 * TensorFlow on the CPU, WebAssembly (XNNPACK), then the pure-JavaScript kernels.
 */
export const BACKEND_IDS = ['node-gpu', 'node', 'wasm', 'cpu'] as const;
export type BackendId = (typeof BACKEND_IDS)[number];

export interface BackendCandidate {
  readonly id: BackendId;
  /** The npm package whose import registers the backend. */
  readonly module: string;
  /** The name tfjs registers it under (both native packages register "tensorflow"). */
  readonly tfName: string;
  /** Optional peer dependency: absent unless the user installed it. */
  readonly optional: boolean;
}

export const BACKEND_CANDIDATES: readonly BackendCandidate[] = [
  { id: 'node-gpu', module: '@tensorflow/tfjs-node-gpu', tfName: 'tensorflow', optional: true },
  { id: 'node', module: '@tensorflow/tfjs-node', tfName: 'tensorflow', optional: true },
  { id: 'wasm', module: '@tensorflow/tfjs-backend-wasm', tfName: 'wasm', optional: false },
  { id: 'cpu', module: '@tensorflow/tfjs-backend-cpu', tfName: 'cpu', optional: false },
];

/** Accepts the ids above plus tfjs's own names ("tensorflow" means node), case-insensitively. */
export function parseBackendId(value: string): BackendId | undefined {
  const v = value.trim().toLowerCase();
  if (v === 'tensorflow' || v === 'tfjs-node') return 'node';
  if (v === 'tfjs-node-gpu' || v === 'gpu') return 'node-gpu';
  return (BACKEND_IDS as readonly string[]).includes(v) ? (v as BackendId) : undefined;
}
