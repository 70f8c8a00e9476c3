/**
 * Powertools Metrics whose EMF documents go to `<dataDir>/metrics/emf.ndjson` instead of
 * stdout (where CloudWatch would pick them up in Lambda), so `npm start` keeps a readable
 * console and the metrics the alarms watch can still be inspected. It also keeps running
 * totals of the Count metrics for /v1/health.
 *
 * A document the file does not take (disk full, the `metrics` fault switch) is kept in memory,
 * up to `maxPending` documents (the oldest beyond that are dropped and counted), and written
 * before the next one; the totals count every document either way. Publishing never throws:
 * the fulfillment handler publishes after every turn and must still answer.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Metrics } from '@aws-lambda-powertools/metrics';

type EmfDocument = Record<string, unknown> & {
  _aws?: { CloudWatchMetrics?: { Metrics?: { Name: string; Unit?: string }[] }[] };
};

export interface FileMetricsOptions {
  readonly namespace: string;
  readonly serviceName: string;
  readonly dataDir: string;
  /** Throws when the file must be treated as unwritable (the local fault switch). */
  readonly check?: () => void;
  /** Documents kept while the file cannot be written. @default 10000 */
  readonly maxPending?: number;
}

export class FileMetrics extends Metrics {
  readonly file: string;
  readonly totals: Record<string, number> = {};
  private pending: string[] = [];
  private droppedDocuments = 0;
  private lastError: string | undefined;

  constructor(private readonly fileOptions: FileMetricsOptions) {
    super({ namespace: fileOptions.namespace, serviceName: fileOptions.serviceName });
    const dir = join(fileOptions.dataDir, 'metrics');
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'emf.ndjson');
  }

  override publishStoredMetrics(): this {
    try {
      if (this.hasStoredMetrics()) {
        const emf = this.serializeMetrics() as EmfDocument;
        this.addToTotals(emf);
        this.pending.push(JSON.stringify(emf) + '\n');
        this.writePending();
      }
    } finally {
      this.clearMetrics();
      this.clearDimensions();
      this.clearMetadata();
    }
    return this;
  }

  /** Writes the documents kept while the file could not be written; false if it still cannot. */
  writePending(): boolean {
    if (this.pending.length === 0) return true;
    try {
      this.fileOptions.check?.();
      appendFileSync(this.file, this.pending.join(''), 'utf8');
      this.pending = [];
      this.lastError = undefined;
      return true;
    } catch (err) {
      this.lastError = `${(err as Error).name}: ${(err as Error).message}`;
      const over = this.pending.length - (this.fileOptions.maxPending ?? 10_000);
      if (over > 0) {
        this.pending.splice(0, over);
        this.droppedDocuments += over;
      }
      return false;
    }
  }

  /** For /v1/health: documents waiting for the file, documents dropped, the last write error. */
  get fileState(): { pending: number; dropped: number; lastError?: string } {
    return {
      pending: this.pending.length,
      dropped: this.droppedDocuments,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  private addToTotals(emf: EmfDocument): void {
    for (const def of emf._aws?.CloudWatchMetrics?.[0]?.Metrics ?? []) {
      const value = emf[def.Name];
      if (def.Unit !== 'Count') continue;
      const sum = Array.isArray(value) ? value.reduce((a: number, b) => a + Number(b), 0) : Number(value);
      this.totals[def.Name] = (this.totals[def.Name] ?? 0) + (Number.isFinite(sum) ? sum : 0);
    }
  }
}
