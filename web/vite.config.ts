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
 * in plain sight.
 */
function serviceWorker(): Plugin {
  return {
    name: "sipk-service-worker",
    apply: "build",
    generateBundle(_options, bundle) {
      const built = Object.keys(bundle).filter((f) => !f.endsWith(".map")).map((f) => "/" + f);
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
