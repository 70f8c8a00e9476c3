/**
 * npm run events:replay [-- --data-dir <dir>]
 *
 * Delivers the conversation events the local platform dead-lettered (`<dataDir>/dead-letter/
 * events.ndjson`: the event files did not take them in time) to the event files, and prints how
 * many. Idempotent: an event (conversationId + turn) already in the event files is not written
 * again, so replaying twice, or replaying events that were delivered after all, duplicates
 * nothing. It can run while `npm start` runs. The data directory is LOCAL_DATA_DIR or
 * .local-data, as for `npm start`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { replayDeadLetters, type ReplayResult } from './adapters/dead-letter';

export function summary(result: ReplayResult, dataDir: string): string {
  if (result.files.length === 0) return `No dead-lettered events in ${dataDir}: nothing to replay.`;
  const skipped = result.alreadyDelivered
    ? `; ${result.alreadyDelivered} already in the event files, not written again`
    : '';
  const bad = result.unreadable ? `; ${result.unreadable} unreadable line(s) left in the replayed file` : '';
  return `Replayed ${result.replayed} dead-lettered event(s) into ${resolve(dataDir, 'events')}${skipped}${bad}.`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const i = argv.indexOf('--data-dir');
  const dataDir = resolve(i >= 0 ? (argv[i + 1] ?? '') : (process.env.LOCAL_DATA_DIR ?? '.local-data'));
  if (argv.some((a, n) => a !== '--data-dir' && argv[n - 1] !== '--data-dir') || (i >= 0 && !argv[i + 1])) {
    console.error('usage: npm run events:replay [-- --data-dir <dir>]');
    return 2;
  }
  if (!existsSync(dataDir)) {
    console.error(`events:replay: no data directory ${dataDir} (set LOCAL_DATA_DIR or --data-dir)`);
    return 1;
  }
  console.log(summary(await replayDeadLetters(dataDir), dataDir));
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      console.error(`events:replay: ${(err as Error).message}`);
      process.exit(1);
    });
}
