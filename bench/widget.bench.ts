/**
 * `npm run bench widget`: the web chat's size as a customer's browser downloads it. Builds the
 * widget exactly as the stage deploys it (bundling/web.ts) and records each file's raw and
 * gzipped bytes, and the total against the budget: 80 KB gzipped, signer included
 * (test/bench/widget.test.ts fails over it).
 */
import { gzipSync } from 'node:zlib';
import { widgetAssets } from '../bundling/web';

/** The widget's budget, gzipped, everything a customer downloads (KiB). */
export const WIDGET_BUDGET_GZIP_BYTES = 80 * 1024;

export interface WidgetSize {
  files: Record<string, { rawBytes: number; gzipBytes: number }>;
  totalRawBytes: number;
  totalGzipBytes: number;
  budgetGzipBytes: number;
  withinBudget: boolean;
  /** The SigV4 signer and SHA-256 are in widget.js (the budget includes them). */
  signerBundled: boolean;
}

export function measureWidget(): WidgetSize {
  const files: WidgetSize['files'] = {};
  let totalRawBytes = 0;
  let totalGzipBytes = 0;
  let signerBundled = false;
  for (const asset of widgetAssets()) {
    // gzip's default level: what a CDN's on-the-fly compression roughly achieves
    const gzipBytes = gzipSync(asset.contents).length;
    files[asset.path] = { rawBytes: asset.contents.length, gzipBytes };
    totalRawBytes += asset.contents.length;
    totalGzipBytes += gzipBytes;
    if (asset.path === 'widget.js') {
      const code = Buffer.from(asset.contents).toString('utf8');
      signerBundled = code.includes('AWS4-HMAC-SHA256') && code.includes('aws4_request');
    }
  }
  return {
    files,
    totalRawBytes,
    totalGzipBytes,
    budgetGzipBytes: WIDGET_BUDGET_GZIP_BYTES,
    withinBudget: totalGzipBytes <= WIDGET_BUDGET_GZIP_BYTES,
    signerBundled,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  return { ...measureWidget() };
}
