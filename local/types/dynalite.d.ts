/** Typings for dynalite (an in-process DynamoDB API on LevelDB/memdown), which ships none. */
declare module 'dynalite' {
  import type { Server } from 'node:http';
  interface DynaliteOptions {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    path?: string;
    verbose?: boolean;
  }
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
