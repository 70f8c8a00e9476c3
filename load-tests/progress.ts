/**
 * The live progress of a load test: one line (elapsed and remaining, turns/s, p99, errors) in
 * place of Artillery's metric dumps. Reads Artillery 2's console output line by line
 * (`Phase started: ...`, `Metrics for period to: ... (width: 9.8s)` and the `name: ..... value`
 * lines under it), keeps the latest period's figures, and draws the line: rewritten in place
 * every second on a terminal, printed as a plain line at most every 10 s otherwise (CI logs).
 * Lines it does not recognise (warnings, Artillery's errors) pass through.
 */

/** The figures of one of Artillery's reporting periods. */
export interface PeriodFigures {
  readonly widthSeconds: number;
  readonly counters: Readonly<Record<string, number>>;
  /** `http.response_time` and the like: `{ p99: 268, ... }`. */
  readonly summaries: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** What a line of Artillery's console output says. */
export type ConsoleEvent =
  | {
      readonly kind: 'phase';
      readonly name: string;
      readonly index: number;
      readonly durationSeconds: number;
    }
  | { readonly kind: 'period'; readonly period: PeriodFigures }
  | { readonly kind: 'summary'; readonly period: PeriodFigures }
  | { readonly kind: 'finished' }
  | { readonly kind: 'other'; readonly line: string };

const PHASE = /^Phase started: (.+) \(index: (\d+), duration: (\d+(?:\.\d+)?)s\)/;
const PERIOD = /^Metrics for period to: .*\(width: (\d+(?:\.\d+)?)s\)/;
const SUMMARY = /^Summary report @/;
const FINISHED = /^All VUs finished/;
const METRIC = /^([\w.\-/]+):\s+(?:\.+\s+)?(-?\d+(?:\.\d+)?)(?:\/sec)?$/;
const SUMMARY_HEAD = /^([\w.\-/]+):$/;
const SUMMARY_STAT = /^\s+(\w+):\s+(?:\.+\s+)?(-?\d+(?:\.\d+)?)$/;
/** Artillery's own chatter between the periods: known, never shown. */
const CHATTER =
  /^(-{5,}|Phase completed: |Test run id: |Log file: |Checks:$|ok: |fail: |Warning: .*(?:threshold|ensure)|\s*$)/;

/**
 * Reads Artillery's console output one line at a time. A period is complete at the blank line
 * after its metrics; `feed` returns what each line completed or said.
 */
export class ArtilleryConsoleParser {
  private block: { kind: 'period' | 'summary'; width: number } | undefined;
  private counters: Record<string, number> = {};
  private summaries: Record<string, Record<string, number>> = {};
  private currentSummary: string | undefined;
  private metricLines = 0;

  feed(raw: string): ConsoleEvent[] {
    const line = raw.replace(/\r$/, '');
    if (this.block) {
      if (this.readMetric(line)) return [];
      if (line.trim() === '' && this.metricLines === 0) return []; // between the header and the metrics
      if (/^-{5,}$/.test(line)) return [];
      const done = this.close();
      return line.trim() === '' ? done : [...done, ...this.start(line)];
    }
    return this.start(line);
  }

  /** The period in progress, if the output ended inside one. */
  end(): ConsoleEvent[] {
    return this.block ? this.close() : [];
  }

  private start(line: string): ConsoleEvent[] {
    const phase = PHASE.exec(line);
    if (phase)
      return [{ kind: 'phase', name: phase[1]!, index: Number(phase[2]), durationSeconds: Number(phase[3]) }];
    const period = PERIOD.exec(line);
    if (period) return this.open('period', Number(period[1]));
    if (SUMMARY.test(line)) return this.open('summary', 0);
    if (FINISHED.test(line)) return [{ kind: 'finished' }];
    if (CHATTER.test(line)) return [];
    return [{ kind: 'other', line }];
  }

  private open(kind: 'period' | 'summary', width: number): ConsoleEvent[] {
    this.block = { kind, width };
    this.counters = {};
    this.summaries = {};
    this.currentSummary = undefined;
    this.metricLines = 0;
    return [];
  }

  private readMetric(line: string): boolean {
    const stat = SUMMARY_STAT.exec(line);
    if (stat && this.currentSummary) {
      this.summaries[this.currentSummary]![stat[1]!] = Number(stat[2]);
      this.metricLines++;
      return true;
    }
    const metric = METRIC.exec(line);
    if (metric) {
      this.counters[metric[1]!] = Number(metric[2]);
      this.currentSummary = undefined;
      this.metricLines++;
      return true;
    }
    const head = SUMMARY_HEAD.exec(line);
    if (head) {
      this.currentSummary = head[1]!;
      this.summaries[head[1]!] = {};
      this.metricLines++;
      return true;
    }
    return false;
  }

  private close(): ConsoleEvent[] {
    const block = this.block!;
    this.block = undefined;
    if (this.metricLines === 0) return [];
    const period: PeriodFigures = {
      widthSeconds: block.width,
      counters: this.counters,
      summaries: this.summaries,
    };
    return [{ kind: block.kind, period }];
  }
}

/** What the progress line shows. */
export interface ProgressSnapshot {
  readonly profile: string;
  /** Seconds since the first phase started; undefined before it. */
  readonly elapsedSeconds: number | undefined;
  /** The profile's phases added up. */
  readonly plannedSeconds: number;
  readonly targetTurnsPerSecond: number;
  /** The latest period's turns/s and p99 (ms); undefined before the first period. */
  readonly turnsPerSecond: number | undefined;
  readonly p99Ms: number | undefined;
  /** Errors and turns over the run so far. */
  readonly errors: number;
  readonly turns: number;
}

/** `1:05` (or `1:02:05`). */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60));
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

const fixed = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 1 });

/**
 * `capacity 0:42 elapsed, 0:18 left · 40.8 turns/s (target 41) · p99 78 ms · errors 0 (0.00%)`
 */
export function formatProgress(p: ProgressSnapshot): string {
  const time =
    p.elapsedSeconds === undefined
      ? `starting (${clock(p.plannedSeconds)} planned)`
      : p.elapsedSeconds < p.plannedSeconds
        ? `${clock(p.elapsedSeconds)} elapsed, ${clock(p.plannedSeconds - p.elapsedSeconds)} left`
        : `${clock(p.elapsedSeconds)} elapsed, finishing the last conversations`;
  const rate =
    p.turnsPerSecond === undefined
      ? `- turns/s (target ${fixed(p.targetTurnsPerSecond)})`
      : `${fixed(p.turnsPerSecond)} turns/s (target ${fixed(p.targetTurnsPerSecond)})`;
  const p99 = p.p99Ms === undefined ? 'p99 -' : `p99 ${Math.round(p.p99Ms).toLocaleString('en-US')} ms`;
  const errorShare = p.turns > 0 ? ` (${((p.errors / p.turns) * 100).toFixed(2)}%)` : '';
  return `${p.profile} ${time} · ${rate} · ${p99} · errors ${p.errors}${errorShare}`;
}

/** Where the progress goes: a stream that may be a terminal. */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(chunk: string): unknown;
}

export interface ProgressOptions {
  readonly profile: string;
  readonly plannedSeconds: number;
  readonly targetTurnsPerSecond: number;
  readonly out: ProgressOutput;
  /** Print every line of Artillery's output too (the metric dumps), progress as plain lines. */
  readonly verbose?: boolean;
  /** Seconds between plain progress lines when not on a terminal. @default 10 */
  readonly plainEverySeconds?: number;
  /** Clock, ms. @default Date.now */
  readonly now?: () => number;
}

/**
 * The progress line of one run. Feed it Artillery's output lines; call `tick()` every second
 * (`start()` does) and `finish()` at the end.
 */
export class ProgressLine {
  private readonly parser = new ArtilleryConsoleParser();
  private readonly now: () => number;
  private readonly inPlace: boolean;
  private readonly plainEveryMs: number;
  private startedAt: number | undefined;
  private lastPrintAt: number | undefined;
  private lastPeriod: PeriodFigures | undefined;
  private errors = 0;
  private turns = 0;
  private drawn = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: ProgressOptions) {
    this.now = opts.now ?? Date.now;
    this.inPlace = !!opts.out.isTTY && !opts.verbose;
    this.plainEveryMs = (opts.plainEverySeconds ?? 10) * 1000;
  }

  /** Redraws every second until `finish()`. */
  start(): void {
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  /** One line of Artillery's output. */
  line(raw: string): void {
    if (this.opts.verbose) this.print(raw);
    for (const event of this.parser.feed(raw)) this.apply(event);
  }

  /** A line for another stream (Artillery's stderr): printed above the progress line. */
  aside(text: string, stream: { write(chunk: string): unknown }): void {
    this.clear();
    stream.write(`${text}\n`);
    if (this.inPlace && this.drawn) this.draw();
  }

  /** Redraws in place (terminal) or prints a plain line when 10 s have passed since the last. */
  tick(): void {
    if (this.inPlace) this.draw();
    else if (this.lastPrintAt === undefined || this.now() - this.lastPrintAt >= this.plainEveryMs)
      this.plain();
  }

  /** Stops the timer and leaves the last progress line on the screen. */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    for (const event of this.parser.end()) this.apply(event);
    if (this.inPlace) {
      this.draw();
      this.opts.out.write('\n');
      this.drawn = false;
    } else this.plain();
  }

  snapshot(): ProgressSnapshot {
    const p = this.lastPeriod;
    const width = p?.widthSeconds ?? 0;
    return {
      profile: this.opts.profile,
      elapsedSeconds: this.startedAt === undefined ? undefined : (this.now() - this.startedAt) / 1000,
      plannedSeconds: this.opts.plannedSeconds,
      targetTurnsPerSecond: this.opts.targetTurnsPerSecond,
      turnsPerSecond: p && width > 0 ? (p.counters['conversation.turns'] ?? 0) / width : undefined,
      p99Ms: p?.summaries['http.response_time']?.p99,
      errors: this.errors,
      turns: this.turns,
    };
  }

  private apply(event: ConsoleEvent): void {
    switch (event.kind) {
      case 'phase':
        if (this.startedAt === undefined) this.startedAt = this.now();
        break;
      case 'period': {
        this.lastPeriod = event.period;
        const c = event.period.counters;
        this.turns += c['conversation.turns'] ?? 0;
        for (const [k, v] of Object.entries(c)) if (k.startsWith('errors.')) this.errors += v;
        if (this.inPlace) this.draw();
        break;
      }
      case 'other':
        if (!this.opts.verbose) this.print(event.line);
        break;
      default:
        break;
    }
  }

  /** A line of its own above the progress line. */
  private print(text: string): void {
    this.clear();
    this.opts.out.write(`${text}\n`);
    if (this.inPlace && this.drawn) this.draw();
  }

  private clear(): void {
    if (this.inPlace && this.drawn) this.opts.out.write('\r\x1b[2K');
  }

  private draw(): void {
    const text = formatProgress(this.snapshot());
    const columns = this.opts.out.columns;
    const fitted = columns && text.length >= columns ? `${text.slice(0, Math.max(1, columns - 2))}…` : text;
    this.opts.out.write(`${this.drawn ? '\r\x1b[2K' : ''}${fitted}`);
    this.drawn = true;
  }

  private plain(): void {
    this.lastPrintAt = this.now();
    this.opts.out.write(`${formatProgress(this.snapshot())}\n`);
  }
}
