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
const LABEL = 190;
const ROW = 22;

/** One measure, one horizontal bar per protocol: plain SVG, scaled to the largest value. */
export function BarChart({ title, bars, measure }: { title: string; bars: readonly Bar[]; measure: string }) {
  const largest = Math.max(1, ...bars.map((bar) => bar.value));
  const room = WIDTH - LABEL - 110;
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
              <text x={LABEL - 6} y={y + 14} textAnchor="end" className="compare-chart-label">
                {bar.label}
              </text>
              <rect x={LABEL} y={y + 2} width={Math.max(width, bar.value > 0 ? 1 : 0)} height={ROW - 6} className="compare-bar" />
              {part > 0 && <rect x={LABEL} y={y + 2} width={part} height={ROW - 6} className="compare-bar-part" />}
              <text x={LABEL + width + 6} y={y + 14} className="compare-chart-value">
                {bar.text ?? String(bar.value)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
