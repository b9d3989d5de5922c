/** Stamped into the main and host bundles by scripts/build.mjs (esbuild `define`). */
declare const __AKSON_BUILD__: { name: string; version: string; buildTime: string };
