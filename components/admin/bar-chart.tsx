/** Horizontal SVG bars rendered on the server, with the same figures as a list for screen readers. */
export function BarChart({ title, rows }: { title: string; rows: { label: string; count: number }[] }) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  const rowHeight = 22;
  return (
    <figure className="flex flex-col gap-2">
      <figcaption className="text-sm font-medium">{title}</figcaption>
      {rows.length === 0 ? (
        <p className="text-muted text-sm">None in this window.</p>
      ) : (
        <>
          <svg
            aria-hidden
            viewBox={`0 0 300 ${rows.length * rowHeight}`}
            className="w-full max-w-md"
            role="presentation"
          >
            {rows.map((row, i) => (
              <g key={row.label} transform={`translate(0 ${i * rowHeight})`}>
                <text x="0" y="15" className="fill-current text-[11px]">
                  {row.label}
                </text>
                <rect
                  x="110"
                  y="4"
                  height="14"
                  width={(row.count / max) * 150}
                  className="fill-accent"
                  rx="2"
                />
                <text x={116 + (row.count / max) * 150} y="15" className="fill-current text-[11px]">
                  {row.count}
                </text>
              </g>
            ))}
          </svg>
          <ul className="sr-only">
            {rows.map((row) => (
              <li key={row.label}>
                {row.label}: {row.count}
              </li>
            ))}
          </ul>
        </>
      )}
    </figure>
  );
}
