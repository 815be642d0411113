/// <reference types="vitest/config" />
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";

const PUBLIC_DIR = "public";

function publicFiles(dir = PUBLIC_DIR): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? publicFiles(path) : ["/" + relative(PUBLIC_DIR, path)];
  });
}

/**
 * Emits /sw.js from src/sw.js with the list of files of this build to precache
 * (the app shell) and a version derived from their names, so a new build gets
 * a new cache and the old one is dropped. Hand-written rather than Workbox: the
 * worker is ~80 lines, and its one rule that matters (never touch /api/) stays
 * in plain sight. The console's and the SKP screens' chunks are left out (LATER).
 */
/** Code only the HR console and the SKP screens use (and Leaflet, only in the map's chunk): loaded when
 * such a screen opens, never precached, so a phone does not download the console in the background. */
const LATER = ["/src/admin/", "/src/skp/", "/src/wide.css", "/node_modules/leaflet/"];

function laterOnly(bundle: Record<string, { type: string; moduleIds?: string[]; viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> } }>): Set<string> {
  const out = new Set<string>();
  for (const [file, item] of Object.entries(bundle)) {
    if (item.type !== "chunk" || !item.moduleIds?.length) continue;
    // Virtual helper modules ("\0...": Leaflet's CommonJS wrapper) belong to whichever chunk needs them.
    if (!item.moduleIds.some((id) => LATER.some((dir) => id.replace(/\\/g, "/").includes(dir)))) continue;
    if (!item.moduleIds.every((id) => id.startsWith("\0") || LATER.some((dir) => id.replace(/\\/g, "/").includes(dir)))) continue;
    out.add(file);
    item.viteMetadata?.importedCss.forEach((f) => out.add(f));
    item.viteMetadata?.importedAssets.forEach((f) => out.add(f));
  }
  return out;
}

function serviceWorker(): Plugin {
  return {
    name: "sipk-service-worker",
    apply: "build",
    generateBundle(_options, bundle) {
      const later = laterOnly(bundle as never);
      const built = Object.keys(bundle).filter((f) => !f.endsWith(".map") && !later.has(f)).map((f) => "/" + f);
      const files = ["/", ...built.filter((f) => f !== "/index.html"), ...publicFiles()].sort();
      const version = createHash("sha256").update(files.join("\n")).digest("hex").slice(0, 12);
      const source = readFileSync("src/sw.js", "utf8")
        .replace("self.__PRECACHE__", JSON.stringify(files))
        .replace("self.__VERSION__", JSON.stringify(version));
      this.emitFile({ type: "asset", fileName: "sw.js", source });
    },
  };
}

export default defineConfig({
  plugins: [preact(), serviceWorker()],
  build: {
    target: "es2020",
    // Nothing inlined as data: URIs; the CSP allows images from 'self' only (plus data: for none of ours).
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
