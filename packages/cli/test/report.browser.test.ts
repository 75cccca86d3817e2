import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, normalizeDefinition, pipelineDefinitionSchema, runPipeline } from '../src/index.js';
import fixture from './fixtures/fixture-plugin.js';
import { ARTIFACTS, FIXTURES, tempDir } from './helpers/cli.js';

/** Debian's chromium (apt-get install chromium; .ci/run installs it). playwright-core never downloads a browser. */
const CHROMIUM = process.env.TWINFORGE_CHROMIUM ?? '/usr/bin/chromium';

describe('report.html in headless Chromium', () => {
  const runDir = join(tempDir(), 'run');
  let browser: BrowserContext;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) to run this test`,
      );
    }
    const definition = normalizeDefinition(
      pipelineDefinitionSchema.parse({
        name: 'browser-check',
        plugins: [fixture],
        environment: { id: 'toy-channel', config: { channels: 4, horizon: 25 } },
        generator: 'fixture-jammer-maps',
        learner: 'fixture-greedy',
        episodes: 20,
        seeds: 2,
        evaluation: { episodes: 4, baselines: ['random'] },
      }),
    );
    await runPipeline({
      definition,
      file: join(FIXTURES, 'inline.ts'),
      runDir,
      signal: new AbortController().signal,
    });
    await buildReport(runDir);
    // A fresh profile per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'twinforge-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1100, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('renders with no console errors, every image loaded, and saves a screenshot', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    const response = await page.goto(pathToFileURL(join(runDir, 'report.html')).href, { waitUntil: 'load' });
    expect(response?.ok() ?? true).toBe(true);

    const images = await page.$$eval('img', (imgs) =>
      imgs.map((i) => ({ src: i.getAttribute('src'), complete: i.complete, width: i.naturalWidth })),
    );
    expect(images.map((i) => i.src)).toEqual([
      'plots/learning-curve.svg',
      'plots/evaluation.svg',
      'plots/train-metrics.svg',
      'plots/map-interference.svg',
    ]);
    for (const image of images) {
      expect(image.complete, `${image.src} loaded`).toBe(true);
      expect(image.width, `${image.src} has a size`).toBeGreaterThan(100);
    }
    await expect(page.title()).resolves.toBe('browser-check: twinforge report');
    expect(await page.textContent('h1')).toContain('completed');

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    expect(problems).toEqual([]);
    await page.close();
  });
});
