/**
 * Powertools Metrics whose EMF documents go to `<dataDir>/metrics/emf.ndjson` instead of
 * stdout (where CloudWatch would pick them up in Lambda), so `npm start` keeps a readable
 * console and the metrics the alarms watch can still be inspected. It also keeps running
 * totals of the Count metrics for /v1/health.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Metrics } from '@aws-lambda-powertools/metrics';

type EmfDocument = Record<string, unknown> & {
  _aws?: { CloudWatchMetrics?: { Metrics?: { Name: string; Unit?: string }[] }[] };
};

export class FileMetrics extends Metrics {
  readonly file: string;
  readonly totals: Record<string, number> = {};

  constructor(options: { namespace: string; serviceName: string; dataDir: string }) {
    super({ namespace: options.namespace, serviceName: options.serviceName });
    const dir = join(options.dataDir, 'metrics');
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'emf.ndjson');
  }

  override publishStoredMetrics(): this {
    try {
      if (this.hasStoredMetrics()) {
        const emf = this.serializeMetrics() as EmfDocument;
        for (const def of emf._aws?.CloudWatchMetrics?.[0]?.Metrics ?? []) {
          const value = emf[def.Name];
          if (def.Unit !== 'Count') continue;
          const sum = Array.isArray(value) ? value.reduce((a: number, b) => a + Number(b), 0) : Number(value);
          this.totals[def.Name] = (this.totals[def.Name] ?? 0) + (Number.isFinite(sum) ? sum : 0);
        }
        appendFileSync(this.file, JSON.stringify(emf) + '\n', 'utf8');
      }
    } finally {
      this.clearMetrics();
      this.clearDimensions();
      this.clearMetadata();
    }
    return this;
  }
}
