/**
 * The ticket event bus of the local platform: each `TicketCreated` as one line of
 * `<dataDir>/tickets/events.ndjson`, in the envelope EventBridge delivers to a target
 * (version, id, detail-type, source, time, region, detail), so a subscriber's code can be tried
 * on the file.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TICKET_CREATED, TICKET_EVENT_SOURCE, type TicketCreatedDetail } from '../../contracts/tickets';
import type { TicketEvents } from '../../src/ports';
import { TICKETS_DIR } from './queue';

export const EVENTS_FILE = 'events.ndjson';

export interface BusEnvelope {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': typeof TICKET_CREATED;
  readonly source: typeof TICKET_EVENT_SOURCE;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: TicketCreatedDetail;
}

export class NdjsonTicketEvents implements TicketEvents {
  readonly file: string;

  constructor(
    dataDir: string,
    private readonly check?: () => void,
  ) {
    this.file = join(dataDir, TICKETS_DIR, EVENTS_FILE);
  }

  async publish(detail: TicketCreatedDetail): Promise<void> {
    this.check?.();
    const envelope: BusEnvelope = {
      version: '0',
      id: randomUUID(),
      'detail-type': TICKET_CREATED,
      source: TICKET_EVENT_SOURCE,
      account: '000000000000',
      time: new Date().toISOString(),
      region: 'local',
      resources: [],
      detail,
    };
    await mkdir(join(this.file, '..'), { recursive: true });
    await appendFile(this.file, JSON.stringify(envelope) + '\n');
  }

  /** Every event written so far. */
  read(): BusEnvelope[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as BusEnvelope);
  }
}
