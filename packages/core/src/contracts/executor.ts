/**
 * Runs units of work (rollouts, federated-client rounds). `inline` runs them in this thread; @twinforge/runtime adds
 * worker-thread and BullMQ/Redis executors behind the same interface, so switching is a flag, not a rewrite.
 */
export interface ExecutorTask<T> {
  readonly name: string;
  run(signal: AbortSignal): Promise<T> | T;
}

export interface Executor {
  readonly kind: string;
  submit<T>(task: ExecutorTask<T>, signal?: AbortSignal): Promise<T>;
  dispose(): Promise<void>;
}

export class InlineExecutor implements Executor {
  readonly kind = 'inline';
  async submit<T>(task: ExecutorTask<T>, signal: AbortSignal = new AbortController().signal): Promise<T> {
    signal.throwIfAborted();
    return await task.run(signal);
  }
  async dispose(): Promise<void> {}
}

/** Tensor backends are chosen by @twinforge/tensor; core only names the seam. */
export interface TensorBackendInfo {
  readonly name: string;
  readonly reason: string;
}
