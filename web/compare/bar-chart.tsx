export interface Bar {
  key: string;
  label: string;
  value: number;
  /** a lighter part of the bar drawn from its start (e.g. the overhead inside the total) */
  part?: number;
  /** shown after the bar instead of the value, e.g. "12 ms (10–15)" */
  text?: string;
}

const WIDTH = 560;
const ROW = 22;
/** About the width of one character of the 12 px labels (compare-lab.css), in the chart's units. */
const CHAR = 6.6;

/** Room for the longest of these texts, within bounds: labels grow with the knobs' qualifiers. */
function roomFor(texts: readonly string[], min: number, max: number): number {
  const longest = Math.max(0, ...texts.map((text) => text.length));
  return Math.min(max, Math.max(min, Math.ceil(longest * CHAR) + 12));
}

/** One measure, one horizontal bar per protocol: plain SVG, scaled to the largest value. */
export function BarChart({ title, bars, measure }: { title: string; bars: readonly Bar[]; measure: string }) {
  const largest = Math.max(1, ...bars.map((bar) => bar.value));
  const labelWidth = roomFor(
    bars.map((bar) => bar.label),
    120,
    260,
  );
  const room =
    WIDTH -
    labelWidth -
    roomFor(
      bars.map((bar) => bar.text ?? String(bar.value)),
      50,
      140,
    );
  const height = bars.length * ROW + 8;
  return (
    <figure className="compare-chart" data-testid="compare-chart" data-measure={measure}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={title}>
        {bars.map((bar, index) => {
          const y = 4 + index * ROW;
          const width = (bar.value / largest) * room;
          const part = bar.part !== undefined ? (Math.min(bar.part, bar.value) / largest) * room : 0;
          return (
            <g key={bar.key} data-testid="compare-bar" data-protocol={bar.key} data-value={bar.value}>
              <text x={labelWidth - 6} y={y + 14} textAnchor="end" className="compare-chart-label">
                {bar.label}
              </text>
              <rect x={labelWidth} y={y + 2} width={Math.max(width, bar.value > 0 ? 1 : 0)} height={ROW - 6} className="compare-bar" />
              {part > 0 && <rect x={labelWidth} y={y + 2} width={part} height={ROW - 6} className="compare-bar-part" />}
              <text x={labelWidth + width + 6} y={y + 14} className="compare-chart-value">
                {bar.text ?? String(bar.value)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
