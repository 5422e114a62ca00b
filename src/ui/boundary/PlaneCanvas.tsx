import { useEffect, useRef } from 'react';
import type { Grid } from '../../core/robust/boundaries';
import type { PlanePoint } from '../../core/robust/boundaryView';
import { classColour, LOCAL_COLOUR } from '../palette';
import { formatTick, niceTicks } from '../plot/ticks';
import { drawGrid, toCanvas } from './drawGrid';

interface Props {
  grid: Grid;
  cells: Int32Array;
  points?: PlanePoint[];
  /** Circle each correctly classified point with its sound single-modality radius. */
  circles?: boolean;
  /** The local (CROWN) single-modality radius of the first points, where it was computed: a second, dashed circle. */
  localRadii?: number[] | null;
  arrow?: [number, number, number, number] | null;
  centre?: boolean;
  label: string;
  testId: string;
  /** Axis names: ticks in the plane's own units are drawn along the edges. */
  axes: { x: string; y: string };
}

const PX = 260;

/** A decision-region canvas with test points, their certified radii and the attack arrow. */
export function PlaneCanvas({
  grid,
  cells,
  points = [],
  circles = false,
  localRadii = null,
  arrow = null,
  centre = false,
  label,
  testId,
  axes,
}: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    drawGrid(ctx, grid, cells, PX);
    const at = toCanvas(grid, PX);
    const scale = PX / (grid.x1 - grid.x0);
    points.forEach((p, j) => {
      const [x, y] = at(p.x, p.y);
      if (circles && p.correct && Number.isFinite(p.radius) && p.radius > 0) {
        ctx.beginPath();
        ctx.arc(x, y, p.radius * scale, 0, 2 * Math.PI);
        ctx.strokeStyle = 'rgba(0,0,0,0.18)';
        ctx.stroke();
      }
      const r = localRadii?.[j];
      if (circles && r !== undefined && p.correct && Number.isFinite(r) && r > 0) {
        ctx.beginPath();
        ctx.setLineDash([4, 2]);
        ctx.arc(x, y, r * scale, 0, 2 * Math.PI);
        ctx.strokeStyle = LOCAL_COLOUR;
        ctx.globalAlpha = 0.45;
        ctx.stroke();
        ctx.globalAlpha = 1;
        ctx.setLineDash([]);
      }
      ctx.beginPath();
      ctx.arc(x, y, 2.5, 0, 2 * Math.PI);
      ctx.fillStyle = classColour(p.label);
      ctx.fill();
      if (!p.correct) {
        ctx.strokeStyle = '#000';
        ctx.lineWidth = 1.2;
        ctx.stroke();
        ctx.lineWidth = 1;
      }
    });
    if (arrow) {
      const [x0, y0] = at(arrow[0], arrow[1]);
      const [x1, y1] = at(arrow[2], arrow[3]);
      ctx.strokeStyle = '#000';
      ctx.fillStyle = '#000';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
      ctx.stroke();
      const a = Math.atan2(y1 - y0, x1 - x0);
      ctx.beginPath();
      ctx.moveTo(x1, y1);
      ctx.lineTo(x1 - 9 * Math.cos(a - 0.4), y1 - 9 * Math.sin(a - 0.4));
      ctx.lineTo(x1 - 9 * Math.cos(a + 0.4), y1 - 9 * Math.sin(a + 0.4));
      ctx.fill();
      ctx.beginPath();
      ctx.arc(x0, y0, 5, 0, 2 * Math.PI);
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.lineWidth = 1;
    }
    if (centre) {
      const [x, y] = at(0, 0);
      ctx.beginPath();
      ctx.arc(x, y, 5, 0, 2 * Math.PI);
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.lineWidth = 1;
    }
  }, [grid, cells, points, circles, localRadii, arrow, centre]);
  const circled = circles ? points.filter((p) => p.correct && Number.isFinite(p.radius) && p.radius > 0).length : 0;
  const xt = niceTicks(grid.x0, grid.x1, 4);
  const yt = niceTicks(grid.y0, grid.y1, 4);
  const inside = (v: number, lo: number, hi: number) => v >= lo - 1e-9 && v <= hi + 1e-9;
  return (
    <div className="plane-frame">
      <span className="plane-axis-name plane-axis-y" aria-hidden="true" data-png-text>
        ↑ {axes.y}
      </span>
      <div className="plane-y" aria-hidden="true">
        {yt.ticks
          .filter((v) => inside(v, grid.y0, grid.y1))
          .map((v) => (
            <span
              key={v}
              className="plane-tick"
              style={{ bottom: `${(100 * (v - grid.y0)) / (grid.y1 - grid.y0)}%` }}
              data-png-text
            >
              {formatTick(v, yt.decimals)}
            </span>
          ))}
      </div>
      <canvas
        ref={ref}
        width={PX}
        height={PX}
        role="img"
        aria-label={label}
        data-testid={testId}
        data-circles={circled}
        data-arrow={arrow ? arrow.map((v) => v.toFixed(3)).join(',') : ''}
        className="plane"
      />
      <div className="plane-x" aria-hidden="true">
        {xt.ticks
          .filter((v) => inside(v, grid.x0, grid.x1))
          .map((v) => (
            <span
              key={v}
              className="plane-tick"
              style={{ left: `${(100 * (v - grid.x0)) / (grid.x1 - grid.x0)}%` }}
              data-png-text
            >
              {formatTick(v, xt.decimals)}
            </span>
          ))}
      </div>
      <span className="plane-axis-name plane-axis-x" aria-hidden="true" data-png-text>
        {axes.x} →
      </span>
    </div>
  );
}
