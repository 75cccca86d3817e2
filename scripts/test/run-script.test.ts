import { describe, expect, it } from 'vitest';
import { runScript } from '../lib/run-script.js';

describe('runScript', () => {
  it('reports exit status and the last non-empty stdout line as the summary', () => {
    const res = runScript('test/fixtures/exit-three.ts');
    expect(res.status).toBe(3);
    expect(res.summary).toBe('summary: target missed');
    expect(res.stdout).toContain('a     1');
  });
});
