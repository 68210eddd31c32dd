import type { StatsWindow } from '../api/types.ts';

const WIDTH = 640;
const HEIGHT = 180;
const PAD = { top: 10, right: 10, bottom: 24, left: 36 };
const hourMinute = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayHour = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit' });

/**
 * Attempts per bucket, stacked by outcome, as plain SVG: one chart does not
 * justify a charting library. The same numbers are in a table for screen readers.
 */
export function OutcomeChart({ window }: { window: StatsWindow }) {
  const { buckets } = window;
  const max = Math.max(1, ...buckets.map((b) => b.succeeded + b.failed));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const slot = innerW / buckets.length;
  const bar = Math.max(1, slot * 0.7);
  const y = (n: number) => (n / max) * innerH;
  const label = (iso: string) =>
    (window.bucketMs >= 6 * 3_600_000 ? dayHour : hourMinute).format(new Date(iso));
  const every = Math.ceil(buckets.length / 6);

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="chart-title">
        <title id="chart-title">
          Attempts over the last {window.name}: {window.attemptsSucceeded} succeeded,{' '}
          {window.attemptsFailed} failed
        </title>
        <line
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={PAD.top + innerH}
          y2={PAD.top + innerH}
          className="axis"
        />
        <text x={PAD.left - 6} y={PAD.top + 8} textAnchor="end" className="tick">
          {max}
        </text>
        <text x={PAD.left - 6} y={PAD.top + innerH} textAnchor="end" className="tick">
          0
        </text>
        {buckets.map((b, i) => {
          const x = PAD.left + i * slot + (slot - bar) / 2;
          const okH = y(b.succeeded);
          const failH = y(b.failed);
          return (
            <g key={b.start}>
              <rect x={x} width={bar} y={PAD.top + innerH - okH} height={okH} className="ok" />
              <rect
                x={x}
                width={bar}
                y={PAD.top + innerH - okH - failH}
                height={failH}
                className="fail"
              />
              {i % every === 0 && (
                <text x={x + bar / 2} y={HEIGHT - 6} textAnchor="middle" className="tick">
                  {label(b.start)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span className="legend ok">succeeded</span> <span className="legend fail">failed</span>
      </figcaption>
      <table className="visually-hidden">
        <caption>Attempts per period</caption>
        <thead>
          <tr>
            <th>From</th>
            <th>Succeeded</th>
            <th>Failed</th>
          </tr>
        </thead>
        <tbody>
          {buckets
            .filter((b) => b.succeeded + b.failed > 0)
            .map((b) => (
              <tr key={b.start}>
                <td>{new Date(b.start).toLocaleString()}</td>
                <td>{b.succeeded}</td>
                <td>{b.failed}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </figure>
  );
}
