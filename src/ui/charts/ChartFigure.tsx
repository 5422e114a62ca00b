import type { ReactNode } from 'react';

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

/** A titled chart with its one-line explanation and an empty state. */
export function ChartFigure({ id, title, caption, summary, empty, children }: Props) {
  return (
    <figure className="chart" data-testid={id} data-summary={summary}>
      <figcaption>
        <strong>{title}</strong> — {caption}
      </figcaption>
      {empty ? <p className="empty">{empty}</p> : children}
    </figure>
  );
}
