import { describe, expect, it } from 'vitest';
import { linkMatrix, renderGrids } from '../src/grids.js';
import { JAMMING_MAP } from '../src/scenario-maps.js';
import { TacticalMeshEnv } from '../src/tactical-mesh-env.js';
import { scenario, uniformActions } from './helpers.js';

const jammer = {
  kind: 'jammer-on' as const,
  t: 0,
  jammer: 0,
  position: { x: 1250, y: 3750 },
  radius_m: 1200,
  power_W: 2,
  channel: 0,
};

describe('grids', () => {
  const env = new TacticalMeshEnv();
  env.reset({ seed: 3, options: { scenario: scenario([jammer]) } });
  for (let k = 0; k < 3; k++) env.step(uniformActions(env));

  it('renders 32×32 and 16×16 maps covering the area', () => {
    for (const size of [32, 16]) {
      const g = renderGrids(env, size, size);
      for (const grid of [g.linkQuality, g.interference, g.jamming]) {
        expect(grid.width).toBe(size);
        expect(grid.data).toHaveLength(size * size);
        expect(grid.cellSize_m).toBeCloseTo(5000 / size, 9);
        expect(grid.data.every(Number.isFinite)).toBe(true);
      }
      expect(g.linkQuality.data.every((v) => v >= 0 && v <= 1)).toBe(true);
      // Noise of one channel is the floor of the interference map.
      const noiseDbm = 10 * Math.log10(env.radio.noiseW) + 30;
      expect(Math.min(...g.interference.data)).toBeGreaterThanOrEqual(noiseDbm - 1e-3);
    }
  });

  it('shows the jammer: strong jamming and poor link quality inside its radius, none outside', () => {
    const g = renderGrids(env, 32, 32);
    const at = (grid: { data: Float32Array }, x: number, y: number) =>
      grid.data[Math.floor(y / (5000 / 32)) * 32 + Math.floor(x / (5000 / 32))] as number;
    expect(at(g.jamming, 1250, 3750)).toBeGreaterThan(-60);
    expect(at(g.jamming, 4500, 500)).toBe(-150);
    expect(at(g.interference, 1250, 3750)).toBeGreaterThan(at(g.interference, 4500, 500));
    // Link quality inside the radius drops against the same mesh without the jammer (short links near a node
    // still get through, so compare means, not cells).
    const clean = new TacticalMeshEnv();
    clean.reset({ seed: 3 });
    for (let k = 0; k < 3; k++) clean.step(uniformActions(clean));
    const g0 = renderGrids(clean, 32, 32);
    let jammed = 0;
    let free = 0;
    let n = 0;
    for (let row = 0; row < 32; row++)
      for (let col = 0; col < 32; col++) {
        const x = (col + 0.5) * (5000 / 32);
        const y = (row + 0.5) * (5000 / 32);
        if (Math.hypot(x - 1250, y - 3750) < 1000) {
          jammed += g.linkQuality.data[row * 32 + col] as number;
          free += g0.linkQuality.data[row * 32 + col] as number;
          n++;
        }
      }
    expect(n).toBeGreaterThan(50);
    expect(jammed / n).toBeLessThan(0.6 * (free / n));
  });

  it('a jamming map written by renderGrids is read back by the env as an external field', () => {
    const g = renderGrids(env, 32, 32);
    const replay = new TacticalMeshEnv();
    replay.reset({ seed: 3, options: { scenario: { ...scenario([]), maps: { [JAMMING_MAP]: g.jamming } } } });
    const s = replay.view;
    let inside = 0;
    for (let i = 0; i <= s.n; i++) {
      const d = Math.hypot((s.posX[i] as number) - 1250, (s.posY[i] as number) - 3750);
      if (d < 1000) {
        expect(s.backgroundW[i]).toBeGreaterThan(replay.radio.noiseW);
        inside++;
      }
      if (d > 1400) expect(s.backgroundW[i]).toBeLessThan(1e-17);
    }
    expect(inside).toBeGreaterThan(0);
    const wrong = { ...scenario([]), maps: { [JAMMING_MAP]: { ...g.jamming, unit: 'W' } } };
    expect(() => replay.reset({ seed: 1, options: { scenario: wrong } })).toThrow(/unit "dBm"/);
  });

  it('the link matrix holds two-way attempt success per pair, zero on the diagonal', () => {
    const m = linkMatrix(env);
    const n1 = env.view.stride;
    expect(m).toHaveLength(n1 * n1);
    for (let i = 0; i < n1; i++) expect(m[i * n1 + i]).toBe(0);
    expect(m.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(Math.max(...m)).toBeGreaterThan(0.5);
  });
});
