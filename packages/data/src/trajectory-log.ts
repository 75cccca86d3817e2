/**
 * Which trajectory (an agent in an environment episode) each buffered row belongs to, and per-trajectory counts.
 * Trajectories are numbered in order of first appearance, which is the order they take in the data files, each
 * one's rows in arrival order (`order`). Rows of several agents may arrive interleaved; the log regroups them.
 *
 * It also follows the complete prefix: the leading trajectories that have all reached their last row. Their rows
 * and positions in the files can no longer change (later rows belong to later trajectories, and an abort keeps
 * every complete trajectory), so the sink may encode them while the run is still writing.
 */
export class TrajectoryLog {
  #rowTrajectory = new Int32Array(1024);
  #rowCount = 0;
  readonly #ids = new Map<number, Map<number, number>>();
  /** Per trajectory: episode, agent and scenario ids, rows, steps (rows with an action), reward sum, first row. */
  readonly episode: number[] = [];
  readonly agent: number[] = [];
  readonly scenario: number[] = [];
  readonly length: number[] = [];
  readonly steps: number[] = [];
  readonly reward: number[] = [];
  readonly complete: boolean[] = [];
  readonly #firstRow: number[] = [];
  /** The trajectory of the last row (-1: none yet): consecutive rows usually continue it. */
  #lastEpisode = -1;
  #lastAgent = -1;
  #last = -1;
  /** Trajectories 0..#prefix-1 are complete; they hold #prefixRows rows. */
  #prefix = 0;
  #prefixRows = 0;
  /** Row numbers of trajectories 0..#gathered-1 in file order (see gatherPrefix). */
  #prefixOrder = new Int32Array(0);
  #gathered = 0;
  #gatheredRows = 0;

  get trajectories(): number {
    return this.episode.length;
  }

  /** Rows of the complete prefix. */
  get prefixRows(): number {
    return this.#prefixRows;
  }

  /**
   * Whether the trajectory of (episode, agent) already had its last row: a trajectory has exactly one last row, and
   * rows after it would change data the sink may already have written.
   */
  ended(episode: number, agent: number): boolean {
    const t =
      episode === this.#lastEpisode && agent === this.#lastAgent ? this.#last : this.#ids.get(episode)?.get(agent);
    return t !== undefined && t >= 0 && this.complete[t] === true;
  }

  /** Records the next row (rows are numbered 0, 1, 2, … as added). */
  add(episode: number, agent: number, scenario: number, reward: number, isLast: boolean): void {
    let t = this.#last;
    if (episode !== this.#lastEpisode || agent !== this.#lastAgent) {
      t = this.#trajectory(episode, agent, scenario);
      this.#lastEpisode = episode;
      this.#lastAgent = agent;
      this.#last = t;
    }
    const row = this.#rowCount++;
    if (row >= this.#rowTrajectory.length) {
      const next = new Int32Array(this.#rowTrajectory.length * 2);
      next.set(this.#rowTrajectory);
      this.#rowTrajectory = next;
    }
    this.#rowTrajectory[row] = t;
    this.length[t] = (this.length[t] as number) + 1;
    if (isLast) {
      this.complete[t] = true;
      while (this.#prefix < this.trajectories && this.complete[this.#prefix]) {
        this.#prefixRows += this.length[this.#prefix] as number;
        this.#prefix++;
      }
    } else {
      this.steps[t] = (this.steps[t] as number) + 1;
      this.reward[t] = (this.reward[t] as number) + reward;
    }
  }

  #trajectory(episode: number, agent: number, scenario: number): number {
    let byAgent = this.#ids.get(episode);
    if (byAgent === undefined) {
      byAgent = new Map();
      this.#ids.set(episode, byAgent);
    }
    let t = byAgent.get(agent);
    if (t === undefined) {
      t = this.episode.length;
      byAgent.set(agent, t);
      this.episode.push(episode);
      this.agent.push(agent);
      this.scenario.push(scenario);
      this.length.push(0);
      this.steps.push(0);
      this.reward.push(0);
      this.complete.push(false);
      this.#firstRow.push(this.#rowCount);
    }
    return t;
  }

  /**
   * Row numbers of the complete prefix in file order. Trajectories that joined the prefix since the last call are
   * gathered with one counting-sort pass over the rows from the first of them to the newest row, so interleaved
   * agents cost one pass, not one per trajectory.
   */
  gatherPrefix(): Int32Array {
    const a = this.#gathered;
    const b = this.#prefix;
    if (b > a) {
      const total = this.#prefixRows;
      if (total > this.#prefixOrder.length) {
        const next = new Int32Array(Math.max(total, this.#prefixOrder.length * 2));
        next.set(this.#prefixOrder.subarray(0, this.#gatheredRows));
        this.#prefixOrder = next;
      }
      const cursor = new Int32Array(b - a);
      let at = this.#gatheredRows;
      for (let t = a; t < b; t++) {
        cursor[t - a] = at;
        at += this.length[t] as number;
      }
      const out = this.#prefixOrder;
      for (let r = this.#firstRow[a] as number; r < this.#rowCount; r++) {
        const t = this.#rowTrajectory[r] as number;
        if (t < a || t >= b) continue;
        out[cursor[t - a] as number] = r;
        cursor[t - a] = (cursor[t - a] as number) + 1;
      }
      this.#gathered = b;
      this.#gatheredRows = total;
    }
    return this.#prefixOrder.subarray(0, this.#gatheredRows);
  }

  /**
   * Row numbers of every kept trajectory in file order, and each trajectory's first position (`start[t]`,
   * `start[count]` = rows kept). `keep(t)` false drops a trajectory (an abort drops incomplete ones).
   */
  order(keep: (t: number) => boolean): { order: Int32Array; start: Int32Array; kept: boolean[] } {
    const count = this.trajectories;
    const kept = Array.from({ length: count }, (_, t) => keep(t));
    const start = new Int32Array(count + 1);
    for (let t = 0; t < count; t++) start[t + 1] = (start[t] as number) + (kept[t] ? (this.length[t] as number) : 0);
    const order = new Int32Array(start[count] as number);
    const cursor = start.slice(0, count);
    for (let r = 0; r < this.#rowCount; r++) {
      const t = this.#rowTrajectory[r] as number;
      if (!kept[t]) continue;
      order[cursor[t] as number] = r;
      cursor[t] = (cursor[t] as number) + 1;
    }
    return { order, start, kept };
  }
}
