/** The offices on a map: Leaflet (bundled from the npm registry, its CSS and marker images served by
 * the gateway), each office's point and radius circle; a click or a drag sets the edited office's point.
 *
 * Map tiles come from the internet, which many government networks (and this build machine) lack, so
 * tiles are a setting of the gateway (`MAP_TILE_URL`, read from /map-config.json; default none). Without
 * tiles - or when they fail to load - the map draws a plain local grid (canvas, no network) with the
 * coordinates, the circles stay exact, and the page says that tiles are unavailable. */
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import iconRetina from "leaflet/dist/images/marker-icon-2x.png";
import icon from "leaflet/dist/images/marker-icon.png";
import shadow from "leaflet/dist/images/marker-shadow.png";
import { useEffect, useRef, useState } from "preact/hooks";
import { translator } from "../i18n";
import type { Office } from "./common";

const tm = translator({
  "label": ["Peta kantor. Klik pada peta atau geser penanda untuk menentukan titik kantor.", "Office map. Click the map or drag the marker to set the office's point."],
  "tilesOff": ["Latar peta (tiles) tidak tersedia: server ini tidak diatur untuk memuatnya atau tidak ada akses internet. Peta digambar di atas kisi koordinat; titik dan radius tetap tepat, dan koordinat bisa diketik di bawah.",
    "Map tiles are unavailable: this server is not set up to load them, or there is no internet access. The map is drawn on a coordinate grid; the points and radii stay exact, and coordinates can be typed below."],
  "tilesFailed": ["Latar peta (tiles) gagal dimuat (tidak ada akses ke {host}). Peta beralih ke kisi koordinat; titik dan radius tetap tepat.",
    "The map tiles failed to load (no access to {host}). The map switched to a coordinate grid; the points and radii stay exact."],
  "tilesOn": ["Latar peta dari {host}.", "Map tiles from {host}."],
  "marker": ["Titik kantor (geser untuk memindahkan)", "Office point (drag to move)"],
  "radius": ["radius {r} m", "radius {r} m"],
});

const DefaultIcon = L.icon({
  iconUrl: icon, iconRetinaUrl: iconRetina, shadowUrl: shadow,
  iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], tooltipAnchor: [16, -28], shadowSize: [41, 41],
});

export interface MapConfig {
  tileUrl: string | null;
}

let configLoad: Promise<MapConfig> | null = null;

/** The gateway's tile setting; anything but an https URL template with {z}/{x}/{y} means no tiles. */
export function mapConfig(): Promise<MapConfig> {
  configLoad ??= fetch("/map-config.json", { cache: "no-store" })
    .then((r) => (r.ok ? r.json() : {}))
    .then((c: { tile_url?: unknown }) => {
      const url = typeof c.tile_url === "string" ? c.tile_url.trim() : "";
      const ok = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?\/[^\s"'<>]*$/.test(url) && ["{z}", "{x}", "{y}"].every((p) => url.includes(p));
      return { tileUrl: ok ? url : null };
    })
    .catch(() => ({ tileUrl: null }));
  return configLoad;
}

/** A tile layer drawn here (no request): grid lines with the latitude/longitude they mark. */
const GridLayer = (L.GridLayer as unknown as { extend(props: object): new (options: L.GridLayerOptions) => L.GridLayer }).extend({
  createTile(this: L.GridLayer, coords: L.Coords) {
    const size = this.getTileSize();
    const tile = document.createElement("canvas");
    tile.width = size.x;
    tile.height = size.y;
    const g = tile.getContext("2d");
    if (!g) return tile;
    g.fillStyle = "#f4f6f4";
    g.fillRect(0, 0, size.x, size.y);
    g.strokeStyle = "#c9d1c9";
    g.lineWidth = 1;
    g.strokeRect(0.5, 0.5, size.x, size.y);
    g.strokeStyle = "#e3e8e3";
    for (let i = 1; i < 4; i++) {
      const p = (size.x / 4) * i + 0.5;
      g.beginPath(); g.moveTo(p, 0); g.lineTo(p, size.y); g.stroke();
      g.beginPath(); g.moveTo(0, p); g.lineTo(size.x, p); g.stroke();
    }
    const map = (this as unknown as { _map: L.Map })._map;
    const nw = map.unproject(L.point(coords.x * size.x, coords.y * size.y), coords.z);
    g.fillStyle = "#5a5f5a";
    g.font = "10px system-ui, sans-serif";
    g.fillText(`${nw.lat.toFixed(4)}, ${nw.lng.toFixed(4)}`, 4, 12);
    return tile;
  },
});

export interface OfficeMapProps {
  /** The edited office's point (null: not set yet). */
  point: { lat: number; lon: number } | null;
  radius: number;
  /** The other offices, drawn for orientation. */
  others: Office[];
  onPoint?: (lat: number, lon: number) => void;
  /** Where to look when there is no point yet. */
  center?: [number, number];
  small?: boolean;
}

function host(url: string): string {
  try {
    return new URL(url.replace(/\{[a-z]\}/g, "a")).host;
  } catch {
    return "?";
  }
}

export function OfficeMap({ point, radius, others, onPoint, center = [-2.4816, 106.3998], small }: OfficeMapProps) {
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const mine = useRef<{ marker: L.Marker; circle: L.Circle } | null>(null);
  const othersLayer = useRef<L.LayerGroup | null>(null);
  const pick = useRef(onPoint);
  pick.current = onPoint;
  const [tiles, setTiles] = useState<{ state: "off" | "on" | "failed"; host?: string }>({ state: "off" });

  useEffect(() => {
    const m = L.map(box.current!, { center: point ? [point.lat, point.lon] : center, zoom: 16, minZoom: 3, maxZoom: 19, keyboard: true });
    map.current = m;
    m.attributionControl.setPrefix(false);
    const grid = new GridLayer({ maxZoom: 19 }).addTo(m);
    othersLayer.current = L.layerGroup().addTo(m);
    m.on("click", (e: L.LeafletMouseEvent) => pick.current?.(round(e.latlng.lat), round(e.latlng.lng)));
    let live = true;
    mapConfig().then(({ tileUrl }) => {
      if (!live || !tileUrl) return;
      const layer = L.tileLayer(tileUrl, { maxZoom: 19, attribution: "© OpenStreetMap contributors" });
      let failures = 0;
      layer.on("tileerror", () => {
        if (++failures < 3 || !live) return;
        m.removeLayer(layer);
        grid.addTo(m);
        setTiles({ state: "failed", host: host(tileUrl) });
      });
      layer.on("tileload", () => { if (live) m.removeLayer(grid); });
      layer.addTo(m);
      setTiles({ state: "on", host: host(tileUrl) });
    });
    return () => { live = false; m.remove(); map.current = null; mine.current = null; };
  }, []);

  // The edited office: a draggable marker and its circle.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    if (!point) {
      if (mine.current) { mine.current.marker.remove(); mine.current.circle.remove(); mine.current = null; }
      return;
    }
    const at = L.latLng(point.lat, point.lon);
    if (!mine.current) {
      const marker = L.marker(at, { draggable: !!pick.current, icon: DefaultIcon, title: tm("marker"), alt: tm("marker"), keyboard: true }).addTo(m);
      marker.on("dragend", () => { const p = marker.getLatLng(); pick.current?.(round(p.lat), round(p.lng)); });
      const circle = L.circle(at, { radius, className: "fence-circle", interactive: false }).addTo(m);
      mine.current = { marker, circle };
      if (!m.getBounds().contains(at)) m.setView(at);
    } else {
      mine.current.marker.setLatLng(at);
      mine.current.circle.setLatLng(at);
    }
    mine.current.circle.setRadius(Math.max(1, radius || 1));
  }, [point?.lat, point?.lon, radius]);

  useEffect(() => {
    const group = othersLayer.current;
    if (!group) return;
    group.clearLayers();
    for (const o of others) {
      L.circle([o.latitude, o.longitude], { radius: o.radius_m, className: "fence-circle other", interactive: false }).addTo(group);
      L.circleMarker([o.latitude, o.longitude], { radius: 4, className: "fence-circle other" })
        .bindTooltip(`${o.name} (${o.code}) · ${tm("radius", { r: o.radius_m })}`).addTo(group);
    }
  }, [others]);

  return (
    <>
      <div class={small ? "map-box small" : "map-box"} ref={box} role="application" aria-label={tm("label")} data-testid="office-map"
        data-tiles={tiles.state} />
      <p class="map-status muted" role="status" data-testid="map-status">
        {tiles.state === "on" ? tm("tilesOn", { host: tiles.host ?? "" }) : tiles.state === "failed" ? tm("tilesFailed", { host: tiles.host ?? "" }) : tm("tilesOff")}
      </p>
    </>
  );
}

/** Six decimals: ~0.1 m, finer than any GPS fix. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
