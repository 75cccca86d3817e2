import { MemorySink } from '@twinforge/core';
import { describe, expect, it } from 'vitest';
import { runQuickstart } from '../pipeline.js';

describe('quickstart pipeline', () => {
  it('runs end to end and is reproducible from its seed', async () => {
    const a = new MemorySink();
    const b = new MemorySink();
    const ra = await runQuickstart({ seed: 3, episodes: 5, sink: a });
    const rb = await runQuickstart({ seed: 3, episodes: 5, sink: b });
    expect(ra.status).toBe('completed');
    expect(ra.steps).toBe(500);
    expect(a.records).toHaveLength(505);
    expect(rb.returns).toEqual(ra.returns);
    expect(new Set(a.records.map((r) => r.scenarioId)).size).toBe(5);
  });
});
