/** Distances on the WGS84 ellipsoid, as the server measures them (pyproj's geodesic).
 *
 * Vincenty's inverse formula agrees with pyproj's Karney algorithm to well under a
 * millimetre at fence distances; it only fails to converge for nearly antipodal
 * points, where we fall back to the haversine (nobody clocks in from the far side
 * of the Earth, and the server decides anyway). */

const A = 6378137.0;
const F = 1 / 298.257223563;
const B = A * (1 - F);
const toRad = (deg: number) => (deg * Math.PI) / 180;

export interface Point {
  latitude: number;
  longitude: number;
}

export function haversineM(p: Point, q: Point): number {
  const dLat = toRad(q.latitude - p.latitude);
  const dLon = toRad(q.longitude - p.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(p.latitude)) * Math.cos(toRad(q.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Geodesic distance in metres and the initial bearing (degrees clockwise from north) from p to q. */
export function inverse(p: Point, q: Point): { distanceM: number; bearingDeg: number } {
  const L = toRad(q.longitude - p.longitude);
  const U1 = Math.atan((1 - F) * Math.tan(toRad(p.latitude)));
  const U2 = Math.atan((1 - F) * Math.tan(toRad(q.latitude)));
  const sinU1 = Math.sin(U1), cosU1 = Math.cos(U1), sinU2 = Math.sin(U2), cosU2 = Math.cos(U2);
  let lambda = L;
  for (let i = 0; i < 200; i++) {
    const sinL = Math.sin(lambda), cosL = Math.cos(lambda);
    const sinSigma = Math.sqrt((cosU2 * sinL) ** 2 + (cosU1 * sinU2 - sinU1 * cosU2 * cosL) ** 2);
    if (sinSigma === 0) return { distanceM: 0, bearingDeg: 0 };
    const cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
    const sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinL) / sinSigma;
    const cos2Alpha = 1 - sinAlpha ** 2;
    const cos2SigmaM = cos2Alpha === 0 ? 0 : cosSigma - (2 * sinU1 * sinU2) / cos2Alpha;
    const C = (F / 16) * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
    const prev = lambda;
    lambda = L + (1 - C) * F * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM ** 2)));
    if (Math.abs(lambda - prev) < 1e-12) {
      const u2 = (cos2Alpha * (A * A - B * B)) / (B * B);
      const bigA = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
      const bigB = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
      const deltaSigma = bigB * sinSigma * (cos2SigmaM + (bigB / 4) * (cosSigma * (-1 + 2 * cos2SigmaM ** 2) -
        (bigB / 6) * cos2SigmaM * (-3 + 4 * sinSigma ** 2) * (-3 + 4 * cos2SigmaM ** 2)));
      const distanceM = B * bigA * (sigma - deltaSigma);
      const bearing = Math.atan2(cosU2 * Math.sin(lambda), cosU1 * sinU2 - sinU1 * cosU2 * Math.cos(lambda));
      return { distanceM, bearingDeg: ((bearing * 180) / Math.PI + 360) % 360 };
    }
  }
  return { distanceM: haversineM(p, q), bearingDeg: 0 };
}

export function distanceM(p: Point, q: Point): number {
  return inverse(p, q).distanceM;
}

/** Where `me` lies relative to `centre`, in metres east and north (for the fence drawing). */
export function offsetM(centre: Point, me: Point): { east: number; north: number } {
  const { distanceM: d, bearingDeg } = inverse(centre, me);
  const b = toRad(bearingDeg);
  return { east: d * Math.sin(b), north: d * Math.cos(b) };
}

export interface FenceVerdict {
  distanceM: number;
  radiusM: number;
  inside: boolean;
  /** How far beyond the fence (0 when inside). */
  beyondM: number;
}

export function fenceVerdict(centre: Point, radiusM: number, me: Point): FenceVerdict {
  const d = distanceM(centre, me);
  return { distanceM: d, radiusM, inside: d <= radiusM, beyondM: Math.max(0, d - radiusM) };
}

/** The drawing's geometry: a square view of `size` units around the fence, with me clamped to its edge
 * (an arrow) when I am further away than the view shows. */
export function fenceDrawing(radiusM: number, offset: { east: number; north: number }, size = 200) {
  const half = size / 2;
  const distance = Math.hypot(offset.east, offset.north);
  // Show the fence and me with a margin, but never zoom out past 4x the radius: far away, an arrow points.
  const span = Math.max(radiusM * 1.4, Math.min(distance * 1.25, radiusM * 4));
  const scale = (half - 8) / span;
  const clamped = distance * scale > half - 12;
  const k = clamped ? (half - 12) / (distance * scale) : 1;
  return {
    size,
    centre: half,
    radius: radiusM * scale,
    me: { x: half + offset.east * scale * k, y: half - offset.north * scale * k },
    clamped,
  };
}
