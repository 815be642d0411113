/** Me against the fence circle, drawn from the numbers alone (no map tiles, no network). */
import { t } from "../i18n";
import { fenceDrawing, offsetM, type Point } from "../lib/geo";

export function FenceDrawing({ centre, radiusM, me, accuracyM, place }: {
  centre: Point; radiusM: number; me: Point; accuracyM: number; place: string;
}) {
  const g = fenceDrawing(radiusM, offsetM(centre, me));
  const scale = g.radius / radiusM;
  const accuracy = Math.min(accuracyM * scale, g.size);
  const label = t("ci.drawing", { place });
  return (
    <svg class="fence" viewBox={`0 0 ${g.size} ${g.size}`} role="img" aria-label={label}>
      <title>{label}</title>
      <defs>
        <clipPath id="fence-view"><rect width={g.size} height={g.size} /></clipPath>
      </defs>
      <g clip-path="url(#fence-view)">
        <line x1={g.centre} y1="0" x2={g.centre} y2={g.size} stroke="#dddddd" stroke-width="1" />
        <line x1="0" y1={g.centre} x2={g.size} y2={g.centre} stroke="#dddddd" stroke-width="1" />
        <circle cx={g.centre} cy={g.centre} r={g.radius} fill="#cce2d8" fill-opacity="0.6" stroke="#00703c" stroke-width="2" />
        {!g.clamped && <circle cx={g.me.x} cy={g.me.y} r={accuracy} fill="#1d70b8" fill-opacity="0.15" stroke="#1d70b8" stroke-width="1" stroke-dasharray="3 3" />}
        <circle cx={g.centre} cy={g.centre} r="4" fill="#0b5c3b" />
        <line x1={g.centre} y1={g.centre} x2={g.me.x} y2={g.me.y} stroke="#0b0c0c" stroke-width="1" stroke-dasharray="4 3" />
        {g.clamped
          ? <polygon points={arrow(g.centre, g.me)} fill="#1d70b8" stroke="#0b0c0c" stroke-width="1" />
          : <circle cx={g.me.x} cy={g.me.y} r="6" fill="#1d70b8" stroke="#ffffff" stroke-width="2" />}
        <text x={g.centre} y={g.size - 6} text-anchor="middle" font-size="11" fill="#0b0c0c">N ↑ · {Math.round(radiusM)} m</text>
      </g>
    </svg>
  );
}

/** A small arrow head at the edge, pointing away from the centre towards where I am. */
function arrow(c: number, p: { x: number; y: number }): string {
  const angle = Math.atan2(p.y - c, p.x - c);
  const tip = { x: p.x + Math.cos(angle) * 6, y: p.y + Math.sin(angle) * 6 };
  const left = { x: p.x + Math.cos(angle + 2.4) * 9, y: p.y + Math.sin(angle + 2.4) * 9 };
  const right = { x: p.x + Math.cos(angle - 2.4) * 9, y: p.y + Math.sin(angle - 2.4) * 9 };
  return [tip, left, right].map((q) => `${q.x.toFixed(1)},${q.y.toFixed(1)}`).join(" ");
}
