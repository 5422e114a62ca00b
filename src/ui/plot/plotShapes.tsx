import { LINE_STYLE } from '../palette';
import type { PlotSeries, Point } from './Plot';

/** Path data for a polyline; a non-finite value breaks the line. */
function linePath(points: Point[], sx: (v: number) => number, sy: (v: number) => number): string {
  let d = '';
  let pen = false;
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** One series as SVG: a path per series (a point is a few path commands), never an element per point. */
export function SeriesShape({
  s,
  sx,
  sy,
  base,
}: {
  s: PlotSeries;
  sx: (v: number) => number;
  sy: (v: number) => number;
  base: number;
}) {
  switch (s.kind) {
    case 'line':
      return (
        <path
          className="plot-line"
          data-series={s.id}
          d={linePath(s.points, sx, sy)}
          fill="none"
          stroke={s.colour}
          strokeOpacity={s.faint ? 0.25 : undefined}
          strokeWidth={s.width ?? (s.faint ? 1.5 : 2)}
          strokeDasharray={LINE_STYLE[s.style ?? 'validation'].dash || undefined}
          strokeLinejoin="round"
        />
      );
    case 'band': {
      const pts = s.points.filter((p) => p.every(Number.isFinite));
      if (pts.length === 0) return null;
      const upper = pts.map((p) => `${sx(p[0]).toFixed(1)} ${sy(p[2]).toFixed(1)}`);
      const lower = pts.map((p) => `${sx(p[0]).toFixed(1)} ${sy(p[1]).toFixed(1)}`).reverse();
      return (
        <path
          className="plot-band"
          data-series={s.id}
          d={`M${upper.join('L')}L${lower.join('L')}Z`}
          fill={s.colour}
          fillOpacity={s.opacity}
        />
      );
    }
    case 'bars':
      return (
        <path
          className="plot-bars"
          data-series={s.id}
          d={s.bars
            .filter((b) => b.y > 0)
            .map((b) => {
              const x0 = sx(b.x0) + 0.5;
              const x1 = Math.max(x0 + 1, sx(b.x1) - 0.5);
              return `M${x0.toFixed(1)} ${base.toFixed(1)}V${sy(b.y).toFixed(1)}H${x1.toFixed(1)}V${base.toFixed(1)}Z`;
            })
            .join('')}
          fill={s.colour}
        />
      );
    case 'points': {
      const r = 2.6;
      const d = s.points
        .filter((p) => p.every(Number.isFinite))
        .map(([x, y]) => {
          const [cx, cy] = [sx(x).toFixed(1), sy(y).toFixed(1)];
          return s.shape === 'cross'
            ? `M${+cx - r} ${+cy - r}l${2 * r} ${2 * r}m0 ${-2 * r}l${-2 * r} ${2 * r}`
            : `M${+cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
        })
        .join('');
      return (
        <path
          className="plot-points"
          data-series={s.id}
          d={d}
          fill={s.shape === 'dot' ? s.colour : 'none'}
          stroke={s.colour}
          strokeWidth={s.shape === 'cross' ? 1.6 : 1.2}
        />
      );
    }
  }
}
