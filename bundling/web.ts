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
import { buildSync, type BuildOptions } from 'esbuild';

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

const JS = 'text/javascript; charset=utf-8';

function script(entry: string, path: string): WidgetAsset {
  const out = buildSync({ ...SCRIPT_OPTIONS, entryPoints: [join(WEB, entry)], outfile: path });
  return { path, contentType: JS, contents: out.outputFiles[0].contents };
}

function css(entry: string, path: string): WidgetAsset {
  const out = buildSync({
    entryPoints: [join(WEB, entry)],
    bundle: true,
    minify: true,
    target: WIDGET_TARGET,
    logLevel: 'warning',
    write: false,
    outfile: path,
  });
  return { path, contentType: 'text/css; charset=utf-8', contents: out.outputFiles[0].contents };
}

/** The widget's files, built in memory (synchronous: a few hundred milliseconds). */
export function widgetAssets(): WidgetAsset[] {
  return [
    {
      path: 'index.html',
      contentType: 'text/html; charset=utf-8',
      contents: readFileSync(join(WEB, 'index.html')),
    },
    script('widget.ts', 'widget.js'),
    css('widget.css', 'widget.css'),
    script('loader.ts', 'loader.js'),
  ];
}

/** Builds the widget into `outDir` (created if missing): index.html, widget.js, widget.css, loader.js. */
export function buildWidget(outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  for (const asset of widgetAssets()) writeFileSync(join(outDir, asset.path), asset.contents);
}
