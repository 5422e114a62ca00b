import { useRef, useState, type ReactNode } from 'react';
import { download } from '../keep/download';
import { chartFileName, figurePng } from './chartPng';

interface Props {
  id: string;
  title: string;
  /** One sentence: what the chart shows. */
  caption: string;
  /** A compact text form of the data on show, for tests and for readers of the page source. */
  summary: string;
  empty: string | null;
  children: ReactNode;
}

/** A titled chart with its one-line explanation, an empty state and a PNG download. */
export function ChartFigure({ id, title, caption, summary, empty, children }: Props) {
  const figure = useRef<HTMLElement>(null);
  const [error, setError] = useState<string | null>(null);
  const savePng = async () => {
    try {
      download(chartFileName(title), await figurePng(figure.current!), 'image/png');
      setError(null);
    } catch (e) {
      setError(`The chart could not be saved as PNG: ${(e as Error).message}`);
    }
  };
  return (
    <figure className="chart" data-testid={id} data-summary={summary} data-chart-title={title} ref={figure}>
      <figcaption>
        <strong>{title}</strong> — {caption}
        {!empty && (
          <button className="png" onClick={savePng} aria-label={`Download "${title}" as PNG`} data-testid={`${id}-png`}>
            PNG
          </button>
        )}
      </figcaption>
      {empty && <p className="empty">{empty}</p>}
      {/* Drawn hidden while empty: a recharts chart's first draw (every axis and series
          registering) is its costliest, and would otherwise land in the first epoch's update. */}
      <div className={empty ? 'warming' : 'drawn'}>{children}</div>
      {error && (
        <p className="message" role="alert">
          {error}
        </p>
      )}
    </figure>
  );
}
