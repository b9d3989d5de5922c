/** Stamped into the main and host bundles by scripts/build.mjs (esbuild `define`). */
declare const __AKSON_BUILD__: { name: string; version: string; buildTime: string };
/** The demo journal worker bundle's SHA-256 (hex), stamped into the main bundle by scripts/build.mjs. */
declare const __AKSON_DEMO_WORKER_SHA256__: string;
