import { LINE_STYLE, type LineStyle } from '../palette';

export interface LegendEntry {
  label: string;
  colour: string;
  /** How the entry is drawn: a line (default), a filled band, or a point of the given shape. */
  swatch?: 'line' | 'band' | 'dot' | 'ring' | 'cross';
}

interface Props {
  /** What each colour means (modalities, the fused model, classes, runs). */
  colours: LegendEntry[];
  /** What each line style means, drawn with its dash. */
  styles?: LineStyle[];
}

function Swatch({
  colour,
  swatch = 'line',
  dash = '',
}: {
  colour: string;
  swatch?: LegendEntry['swatch'];
  dash?: string;
}) {
  return (
    <svg className="legend-swatch" width={26} height={12} aria-hidden="true">
      {swatch === 'line' && (
        <line x1={1} x2={25} y1={6} y2={6} stroke={colour} strokeWidth={2.5} strokeDasharray={dash || undefined} />
      )}
      {swatch === 'band' && <rect x={1} y={1} width={24} height={10} fill={colour} fillOpacity={0.35} />}
      {swatch === 'dot' && <circle cx={13} cy={6} r={3.5} fill={colour} />}
      {swatch === 'ring' && <circle cx={13} cy={6} r={3.5} fill="none" stroke={colour} strokeWidth={1.4} />}
      {swatch === 'cross' && <path d="M9.5 2.5l7 7m0-7l-7 7" stroke={colour} strokeWidth={1.6} />}
    </svg>
  );
}

/**
 * A chart's key, above the plot: colours and line styles listed apart, each drawn as it is on the
 * plot (dashes included), wrapping onto more lines rather than squeezing the plot.
 */
export function Legend({ colours, styles = [] }: Props) {
  return (
    <ul className="legend" aria-label="Legend">
      {colours.map((c) => (
        <li key={`c:${c.label}`} className="legend-item">
          <Swatch colour={c.colour} swatch={c.swatch} />
          <span data-png-text>{c.label}</span>
        </li>
      ))}
      {styles.map((s) => (
        <li key={`s:${s}`} className="legend-item legend-style" data-style={s}>
          <Swatch colour="#4a5566" dash={LINE_STYLE[s].dash} />
          <span data-png-text>{LINE_STYLE[s].label}</span>
        </li>
      ))}
    </ul>
  );
}
