import { basename } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import type { ResponsivenessRow } from '../benchTypes';
import { MANY_CLASS_SHAPE } from './manyClassFolder';

/**
 * Runs in the page before its scripts (a string: tsx would wrap a compiled function in helpers
 * the page does not have). Collects long tasks (PerformanceObserver), counts animation frames,
 * notes when Pause was clicked (the input's own time stamp, so time spent waiting for a busy main
 * thread counts) and when the run state first read "paused" after it; and, when the page marks
 * them, how far the view was behind the worker's snapshots.
 */
const INSTRUMENT = `(() => {
  const m = { tasks: [], frames: 0, counting: false, pauseClick: null, paused: null, shown: [] };
  window.__ui = m;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) m.tasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  const tick = () => {
    if (m.counting) m.frames++;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const text = (id) => document.querySelector('[data-testid="' + id + '"]')?.textContent?.trim() ?? '';
  document.addEventListener('click', (e) => {
    const b = e.target instanceof Element ? e.target.closest('button') : null;
    if (b && b.textContent.trim() === 'Pause' && m.pauseClick === null) m.pauseClick = e.timeStamp;
  }, true);
  new MutationObserver(() => {
    if (m.pauseClick !== null && m.paused === null && text('run-state') === 'paused') m.paused = performance.now();
  }).observe(document, { subtree: true, childList: true, characterData: true });
  // Each snapshot the view shows: its number, when the worker posted it, when it showed.
  new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target;
      const seq = Number(el.getAttribute('data-seq'));
      const posted = Number(el.getAttribute('data-posted-at'));
      if (m.counting && seq > 0) m.shown.push([seq, posted, performance.timeOrigin + performance.now()]);
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-seq'] });
})();`;

interface Marks {
  /** [seq, postedAt, shownAt] of every snapshot shown, in ms since the epoch. */
  shown: [number, number, number][];
  tasks: [number, number][];
  frames: number;
  counting: boolean;
  pauseClick: number | null;
  paused: number | null;
}

export interface ResponsivenessOptions {
  /** The lab's URL (no trailing slash). */
  url: string;
  /** A paired-CSV folder of the many-class shape (writeManyClassFolder). */
  folder: string;
  backend?: string;
  method?: string;
  /** Seconds of training between Start and Pause. */
  trainSeconds?: number;
  viewport?: { width: number; height: number };
}

const marks = (page: Page) => page.evaluate(() => (window as unknown as { __ui: Marks }).__ui);

/**
 * The lab under load: the many-class, three-modality upload, every modality in use, an attack
 * switched on, crmt-jt training with every chart on the page; Start, train a while, Pause.
 */
export async function measureResponsiveness(page: Page, o: ResponsivenessOptions): Promise<ResponsivenessRow> {
  const backend = o.backend ?? 'wasm';
  const method = o.method ?? 'crmt-jt';
  const trainSeconds = o.trainSeconds ?? 8;
  const viewport = o.viewport ?? { width: 1440, height: 900 };
  await page.setViewportSize(viewport);
  await page.addInitScript({ content: INSTRUMENT });
  await page.goto(`${o.url}/?backend=${backend}#method=${method}&epochs=500`);
  const state = page.getByTestId('run-state');
  await state.filter({ hasText: /^(idle|ready)/ }).waitFor({ timeout: 120_000 });
  const name = basename(o.folder);
  await page.getByTestId('upload-folder').setInputFiles(o.folder);
  await page.getByTestId('dataset-name').filter({ hasText: name }).waitFor({ timeout: 120_000 });
  const views = Object.keys(MANY_CLASS_SHAPE.views);
  for (const v of views) {
    // The box shows what the worker installed: click, then wait for its answer.
    const use = page.getByTestId(`use-${v}`);
    if (!(await use.isChecked())) await use.click();
    await page.locator(`[data-testid="use-${v}"]:checked`).waitFor({ timeout: 60_000 });
  }
  await page.getByTestId(`attack-${views[0]}`).waitFor();
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid^="attack-"][type="checkbox"]').length >= n,
    views.length + 1,
  );
  await page.getByTestId(`attack-${views[0]}`).check();
  await page.evaluate(() => {
    const m = (window as unknown as { __ui: Marks }).__ui;
    m.counting = true;
    m.frames = 0;
  });
  const browser = page.context().browser();
  if (browser) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  const startedAt = await page.evaluate(() => performance.now());
  // By role and name, as a person finds them (and as every version of the page names them).
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.waitForTimeout(trainSeconds * 1000);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.waitForFunction(() => (window as unknown as { __ui: Marks }).__ui.paused !== null, null, {
    timeout: 60_000,
  });
  const cpu = browser ? longestTaskCpu(JSON.parse((await browser.stopTracing()).toString('utf8'))) : null;
  const m = await marks(page);
  const windowMs = m.pauseClick! - startedAt;
  const inWindow = m.tasks.filter(([start]) => start >= startedAt && start <= m.pauseClick!).map(([, d]) => d);
  const epoch = (await page.getByTestId('epoch').textContent()) ?? '';
  const lag = viewLag(m.shown);
  return {
    dataset: `${name}: ${MANY_CLASS_SHAPE.classes} classes, ${views.length} modalities, ${MANY_CLASS_SHAPE.classes * MANY_CLASS_SHAPE.perClass} samples`,
    backend,
    method,
    viewport: `${viewport.width}×${viewport.height}`,
    trainSeconds: windowMs / 1000,
    epochShown: Number(/epoch (\d+)/.exec(epoch)?.[1] ?? NaN),
    longestTaskMs: Math.max(0, ...inWindow),
    longestTaskCpuMs: cpu,
    longTaskMs: inWindow.reduce((s, d) => s + d, 0),
    longTasks: inWindow.length,
    pauseLatencyMs: m.paused! - m.pauseClick!,
    framesPerSecond: m.frames / (windowMs / 1000),
    viewLagSnapshots: lag?.snapshots ?? null,
    viewLagMs: lag?.ms ?? null,
  };
}

const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * The most CPU time one task of the page's main thread took (ms), from a Chrome trace: on a shared
 * machine a task's wall time includes the time the thread waited for a core, its CPU time does not.
 */
export function longestTaskCpu(trace: { traceEvents: TraceEvent[] }): number | null {
  const events = trace.traceEvents;
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  let best: number | null = null;
  let most = 0;
  for (const main of mains) {
    const tasks = events.filter(
      (e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.name === 'RunTask',
    );
    if (tasks.length <= most) continue;
    most = tasks.length;
    best = Math.max(0, ...tasks.map((t) => (t.tdur ?? 0) / 1000));
  }
  return best;
}

/**
 * How far the view fell behind the worker: for each snapshot shown, how many newer ones the worker
 * had posted by then (known from the later snapshots' stamps), and how old it was. Null when the
 * page does not stamp its snapshots.
 */
export function viewLag(shown: [number, number, number][]): { snapshots: number; ms: number } | null {
  if (shown.length === 0) return null;
  let snapshots = 0;
  let ms = 0;
  for (const [seq, posted, at] of shown) {
    const newer = shown.filter(([s, p]) => s > seq && p <= at).reduce((n, [s]) => Math.max(n, s - seq), 0);
    snapshots = Math.max(snapshots, newer);
    ms = Math.max(ms, at - posted);
  }
  return { snapshots, ms };
}

/** One fresh context per repeat, at the desktop viewport. */
export async function benchResponsiveness(
  browser: Browser,
  o: ResponsivenessOptions,
  repeats: number,
): Promise<ResponsivenessRow[]> {
  const rows: ResponsivenessRow[] = [];
  for (let r = 0; r < repeats; r++) {
    const context = await browser.newContext();
    try {
      rows.push(await measureResponsiveness(await context.newPage(), o));
    } finally {
      await context.close();
    }
  }
  return rows;
}
