import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { EpochRecord } from '../../core/train/snapshot';
import { CertifiedCurves, RadiusHistogram } from './CertifiedViews';
import { pagePngs } from './chartPng';
import { IntegrationWeights } from './IntegrationWeights';
import { LearningCurves } from './LearningCurves';
import { MarginBands } from './MarginBands';

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

/**
 * The charts of a run that is not on display, drawn off screen from its stored history at the
 * page's chart width, so every run's bundle carries its charts.
 */
export async function runChartPngs(
  history: EpochRecord[],
  modalities: string[],
  classes: string[],
  width = 900,
): Promise<Record<string, Uint8Array>> {
  const host = document.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  host.style.cssText = `position: fixed; left: -${width + 100}px; top: 0; width: ${width}px;`;
  document.body.appendChild(host);
  const root = createRoot(host);
  try {
    flushSync(() =>
      root.render(
        <>
          <LearningCurves history={history} modalities={modalities} />
          <MarginBands history={history} modalities={modalities} />
          <IntegrationWeights history={history} modalities={modalities} classes={classes} />
          <CertifiedCurves history={history} modalities={modalities} />
          <RadiusHistogram history={history} />
        </>,
      ),
    );
    // Plots size themselves from a ResizeObserver and then draw one per task: wait until every plot has drawn.
    for (let i = 0; i < 60; i++) {
      await nextFrame();
      const waiting = [...host.querySelectorAll('.plot')].filter((p) => !p.querySelector('svg.recharts-surface'));
      if (waiting.length === 0) break;
    }
    return await pagePngs(host);
  } finally {
    root.unmount();
    host.remove();
  }
}
