/**
 * One agent-step on the transition stream, in the long layout of the dataset (DESIGN.md, Datasets): an episode of T
 * steps yields T+1 records per agent; the last holds the final observation with `isLast = true` and a zero
 * action and reward.
 */
export interface StepRecord {
  /** Global episode counter of the run. */
  episodeIndex: number;
  /** Step within the episode, 0..T. */
  frameIndex: number;
  /** Simulated seconds since the episode start. */
  timestamp: number;
  agentId: string;
  observation: unknown;
  /** null on the last row. */
  action: unknown;
  /** Reward received after `action` (0 on the last row). */
  reward: number;
  /** The step after this one ended the episode by termination / truncation. */
  done: boolean;
  truncated: boolean;
  isFirst: boolean;
  isLast: boolean;
  isTerminal: boolean;
  scenarioId: string;
}

export interface DatasetSinkInfo {
  runId: string;
  seed: number;
  environment: string;
  agents: readonly string[];
  observationSpace: unknown;
  actionSpace: unknown;
}

export interface DatasetSinkResult {
  rows: number;
  episodes: number;
  /** Where the dataset landed, if on disk. */
  location?: string;
}

/**
 * Receives the run's transition stream. `write` is synchronous and may buffer; `close` flushes and seals the
 * dataset; `abort` keeps only what is complete. @twinforge/data provides the Parquet sink.
 */
export interface DatasetSink {
  open(info: DatasetSinkInfo): Promise<void>;
  write(record: StepRecord): void;
  close(): Promise<DatasetSinkResult>;
  abort?(reason: unknown): Promise<DatasetSinkResult>;
}

/** Keeps records in memory: tests and small pipelines. */
export class MemorySink implements DatasetSink {
  info: DatasetSinkInfo | undefined;
  readonly records: StepRecord[] = [];
  closed = false;
  async open(info: DatasetSinkInfo): Promise<void> {
    this.info = info;
  }
  write(record: StepRecord): void {
    this.records.push(record);
  }
  async close(): Promise<DatasetSinkResult> {
    this.closed = true;
    const episodes = new Set(this.records.map((r) => r.episodeIndex)).size;
    return { rows: this.records.length, episodes };
  }
}
