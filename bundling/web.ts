/**
 * How the web chat widget (web/) is built, in one place: the stage's web component deploys what
 * `buildWidget` writes, `npm start` serves what `widgetAssets` returns (built in memory at
 * start-up), and `npm run bench` measures the same bytes (bench/widget.bench.ts).
 *
 * Files (docs/web.md, "Embedding the chat"):
 *   index.html  the chat, full page; the loader frames it with `?embed=1`
 *   widget.js   the chat's code: UI, safe markdown, SigV4 signer, Cognito Identity client
 *   widget.css  the chat's styles
 *   loader.js   the one script a host page adds: a launcher button and the framed chat
 * `config.json` is not built here: the stage writes it from its outputs, `npm start` from its settings.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, buildSync, type BuildOptions } from 'esbuild';

const WEB = join(__dirname, '..', 'web');

/** One file of the built widget. */
export interface WidgetAsset {
  /** File name, relative to the widget's root (no directories). */
  readonly path: string;
  readonly contentType: string;
  readonly contents: Uint8Array;
}

/** Browsers the widget supports (evergreen, 2021 on): the syntax esbuild may emit. */
export const WIDGET_TARGET = ['chrome100', 'firefox100', 'safari15', 'edge100'];

const SCRIPT_OPTIONS: BuildOptions = {
  bundle: true,
  minify: true,
  sourcemap: false,
  platform: 'browser',
  format: 'iife',
  target: WIDGET_TARGET,
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
  // the signer's dependencies are universal packages: their browser builds, never Node's crypto
  mainFields: ['browser', 'module', 'main'],
};

const CSS_OPTIONS: BuildOptions = {
  bundle: true,
  minify: true,
  target: WIDGET_TARGET,
  logLevel: 'warning',
  write: false,
};

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

/** Each built file: its esbuild options (entry under web/) or a file copied as is. */
const FILES: readonly { path: string; contentType: string; options?: BuildOptions; copy?: string }[] = [
  { path: 'index.html', contentType: HTML, copy: 'index.html' },
  {
    path: 'widget.js',
    contentType: JS,
    options: { ...SCRIPT_OPTIONS, entryPoints: [join(WEB, 'widget.ts')] },
  },
  {
    path: 'widget.css',
    contentType: CSS,
    options: { ...CSS_OPTIONS, entryPoints: [join(WEB, 'widget.css')] },
  },
  {
    path: 'loader.js',
    contentType: JS,
    options: { ...SCRIPT_OPTIONS, entryPoints: [join(WEB, 'loader.ts')] },
  },
];

function only(out: { outputFiles?: { contents: Uint8Array }[] }): Uint8Array {
  return out.outputFiles![0]!.contents;
}

/** The widget's files, built in memory (synchronous: a few hundred milliseconds). */
export function widgetAssets(): WidgetAsset[] {
  return FILES.map(({ path, contentType, options, copy }) => ({
    path,
    contentType,
    contents: copy ? readFileSync(join(WEB, copy)) : only(buildSync({ ...options, outfile: path })),
  }));
}

/** The same files, built without blocking the event loop (the local platform's start-up). */
export async function buildWidgetAssets(): Promise<WidgetAsset[]> {
  return Promise.all(
    FILES.map(async ({ path, contentType, options, copy }) => ({
      path,
      contentType,
      contents: copy ? readFileSync(join(WEB, copy)) : only(await build({ ...options, outfile: path })),
    })),
  );
}

/** Builds the widget into `outDir` (created if missing): index.html, widget.js, widget.css, loader.js. */
export function buildWidget(outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  for (const asset of widgetAssets()) writeFileSync(join(outDir, asset.path), asset.contents);
}
