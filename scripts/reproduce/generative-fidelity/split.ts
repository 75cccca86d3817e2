// Scenario-level split of the mesh dataset: snapshots and events of one scenario stay on one side (the five
// snapshots of an episode share its jammers, so a per-row split would leak test maps into training).

export type Side = 'train' | 'validation' | 'test';

/** test: scenario_index % 5 = 0 (20 %); validation: % 10 = 1 (10 %, the transformer's early stopping); train: rest. */
export function sideOf(scenarioIndex: number): Side {
  if (scenarioIndex % 5 === 0) return 'test';
  if (scenarioIndex % 10 === 1) return 'validation';
  return 'train';
}

/** Row indices per side. */
export function splitRows(scenarioIndex: readonly number[]): Record<Side, number[]> {
  const out: Record<Side, number[]> = { train: [], validation: [], test: [] };
  scenarioIndex.forEach((s, i) => {
    out[sideOf(s)].push(i);
  });
  return out;
}
