import { describe, expect, it } from "vitest";
import { distanceM, fenceDrawing, fenceVerdict, inverse, offsetM } from "./geo";

// Expected values from pyproj.Geod(ellps="WGS84").inv, the server's own computation.
const KOBA = { latitude: -2.4816, longitude: 106.3998 };
const CASES: [number, number, number, number, number, number][] = [
  [-2.4816, 106.3998, -2.4817, 106.3999, 15.683138095890694, 134.83481828528653],
  [-2.4816, 106.3998, -2.483, 106.401, 204.39287969544935, 139.23543290100255],
  [-2.4816, 106.3998, -2.6, 106.55, 21223.23999278879, 128.09216223215543],
  [-6.2, 106.8, -2.4816, 106.3998, 413576.3345665283, 353.81760960490726],
  [0, 0, 0, 1, 111319.49079327357, 90.0],
];

describe("geodesic distance", () => {
  it.each(CASES)("(%f, %f) -> (%f, %f) is %f m like pyproj", (lat1, lon1, lat2, lon2, metres, azimuth) => {
    const r = inverse({ latitude: lat1, longitude: lon1 }, { latitude: lat2, longitude: lon2 });
    expect(Math.abs(r.distanceM - metres)).toBeLessThan(0.001);
    expect(Math.abs(r.bearingDeg - azimuth)).toBeLessThan(1e-6);
  });

  it("is zero for the same point and symmetric", () => {
    expect(distanceM(KOBA, KOBA)).toBe(0);
    const q = { latitude: -2.49, longitude: 106.41 };
    expect(distanceM(KOBA, q)).toBeCloseTo(distanceM(q, KOBA), 6);
  });
});

describe("fence", () => {
  it("inside at the radius, outside beyond it, with the overshoot", () => {
    const near = { latitude: -2.4817, longitude: 106.3999 }; // 15.7 m
    expect(fenceVerdict(KOBA, 50, near)).toMatchObject({ inside: true, beyondM: 0 });
    const far = fenceVerdict(KOBA, 50, { latitude: -2.483, longitude: 106.401 }); // 204 m
    expect(far.inside).toBe(false);
    expect(far.beyondM).toBeCloseTo(154.39, 1);
  });

  it("offsets point the right way: north is up, east is right", () => {
    const north = offsetM(KOBA, { latitude: -2.4806, longitude: 106.3998 });
    expect(north.north).toBeGreaterThan(100);
    expect(Math.abs(north.east)).toBeLessThan(0.01);
    const east = offsetM(KOBA, { latitude: -2.4816, longitude: 106.4008 });
    expect(east.east).toBeGreaterThan(100);
    const g = fenceDrawing(50, east);
    expect(g.me.x).toBeGreaterThan(g.centre);
    expect(Math.abs(g.me.y - g.centre)).toBeLessThan(0.5);
  });

  it("keeps me on the drawing when far away (an arrow at the edge)", () => {
    const g = fenceDrawing(50, { east: 0, north: -20000 });
    expect(g.clamped).toBe(true);
    expect(g.me.y).toBeLessThanOrEqual(g.size);
    expect(g.me.y).toBeGreaterThan(g.centre);
    const inside = fenceDrawing(50, { east: 10, north: 10 });
    expect(inside.clamped).toBe(false);
    expect(Math.hypot(inside.me.x - inside.centre, inside.me.y - inside.centre)).toBeLessThan(inside.radius);
  });
});
