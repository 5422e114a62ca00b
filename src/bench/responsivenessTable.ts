import type { ResponsivenessRow } from './benchTypes';
import { fmt, table } from './benchFormat';

/** The page under load (the UI part of the bench): one row per repeat. */
export function responsivenessSection(rows: ResponsivenessRow[]): string[] {
  if (rows.length === 0) return [];
  const lag = (r: ResponsivenessRow) =>
    r.viewLagSnapshots === null ? 'not stamped' : `${r.viewLagSnapshots} (${fmt(r.viewLagMs)} ms)`;
  return [
    '',
    '## UI responsiveness while training',
    '',
    'The built lab in Chromium at the desktop viewport: a generated paired-CSV upload of the shape of ' +
      'Scene-15 (15 classes; 3 views of 20, 59 and 40 features; 4,485 samples), all three modalities in ' +
      'use, an attack switched on, every chart on the page; Start, train, Pause. Long tasks (over 50 ms) ' +
      'come from a PerformanceObserver between the two clicks; the pause latency runs from the click ' +
      '(its input time) to the page showing "paused"; the view\'s lag is how many snapshots the worker ' +
      'had posted beyond the one on screen, at worst, and that one’s age. The bar: longest task under ' +
      '50 ms, pause under 100 ms, at most one snapshot behind. On a shared machine a task waits for a ' +
      'core inside its wall time: the CPU column (from a Chrome trace of the same window) is the work the ' +
      'page itself did in its longest task.',
    '',
    table(
      [
        'Dataset',
        'Backend',
        'Method',
        'Viewport',
        'Trained (s)',
        'Epochs',
        'Longest task (ms)',
        'Its CPU time at most (ms)',
        'Long tasks (ms, count)',
        'Pause → paused (ms)',
        'Frames/s',
        'View behind (snapshots)',
      ],
      rows.map((r) => [
        r.dataset,
        r.backend,
        r.method,
        r.viewport,
        fmt(r.trainSeconds),
        String(r.epochShown),
        fmt(r.longestTaskMs),
        r.longestTaskCpuMs === null ? 'not traced' : fmt(r.longestTaskCpuMs),
        `${fmt(r.longTaskMs)} (${r.longTasks})`,
        fmt(r.pauseLatencyMs),
        fmt(r.framesPerSecond),
        lag(r),
      ]),
    ),
  ];
}
