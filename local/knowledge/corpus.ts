/**
 * The documents of a knowledge folder: `<dir>/<locale>/<name>.md|.txt`, one sub-folder per bot
 * locale (other files and folders are ignored). Each document has a title (its first `# `
 * heading; for plain text its first line; else its file name) and passages: one per `## `
 * section (the text before the first section is a passage of its own), a section longer than
 * MAX_PASSAGE_CHARS split at its paragraphs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { LOCALES, type LocaleId } from '../../contracts/bot-model/types';
import { plainText } from './text';

export const DOCUMENT_EXTENSIONS: ReadonlySet<string> = new Set(['.md', '.markdown', '.txt']);
/** Largest file indexed; bigger files are skipped (and counted). */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;
const MAX_PASSAGE_CHARS = 1200;

export interface Passage {
  /** `<locale>/<file>#<n>`: unique in the corpus. */
  readonly id: string;
  readonly file: string;
  readonly title: string;
  /** The section heading (the title for the text before the first section). */
  readonly heading: string;
  /** Plain text. */
  readonly text: string;
}

export interface KnowledgeDocument {
  readonly locale: LocaleId;
  /** File name inside the locale folder. */
  readonly file: string;
  readonly title: string;
  /** The file as read (served as text/plain at the document's link). */
  readonly raw: string;
  readonly passages: readonly Passage[];
}

export interface Corpus {
  readonly documents: ReadonlyMap<LocaleId, ReadonlyMap<string, KnowledgeDocument>>;
  /** Files not indexed (too big, unreadable, not UTF-8 text). */
  readonly skipped: readonly string[];
}

/** Reads every locale folder of `dir` (a missing folder is an empty locale). */
export function readCorpus(dir: string, locales: readonly LocaleId[] = LOCALES): Corpus {
  const documents = new Map<LocaleId, Map<string, KnowledgeDocument>>();
  const skipped: string[] = [];
  for (const locale of locales) {
    const byFile = new Map<string, KnowledgeDocument>();
    documents.set(locale, byFile);
    const folder = join(dir, locale);
    for (const file of listFiles(folder)) {
      const path = join(folder, file);
      try {
        const stat = statSync(path);
        if (!stat.isFile()) continue;
        if (stat.size > MAX_DOCUMENT_BYTES) {
          skipped.push(`${locale}/${file}`);
          continue;
        }
        const raw = readFileSync(path, 'utf8');
        if (raw.includes('\u0000')) {
          skipped.push(`${locale}/${file}`);
          continue;
        }
        byFile.set(file, parseDocument(locale, file, raw));
      } catch {
        skipped.push(`${locale}/${file}`); // removed or unreadable between listing and reading
      }
    }
  }
  return { documents, skipped };
}

function listFiles(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((f) => !f.startsWith('.') && DOCUMENT_EXTENSIONS.has(extname(f).toLowerCase()))
      .sort();
  } catch {
    return [];
  }
}

/** A document's title and passages. */
export function parseDocument(locale: LocaleId, file: string, raw: string): KnowledgeDocument {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const markdown = extname(file).toLowerCase() !== '.txt';
  const lines = text.split('\n');
  const titleLine = markdown ? lines.find((l) => /^#\s+\S/.test(l)) : lines.find((l) => l.trim().length > 0);
  const title = titleLine ? plainText(titleLine.replace(/^#\s+/, '')) : file.replace(/\.[^.]+$/, '');
  const sections: { heading: string; body: string[] }[] = [{ heading: title, body: [] }];
  for (const line of lines) {
    if (line === titleLine) continue;
    const heading = markdown ? /^#{2,6}\s+(.+)$/.exec(line) : null;
    if (heading) sections.push({ heading: plainText(heading[1]!), body: [] });
    else sections.at(-1)!.body.push(line);
  }
  const passages: Passage[] = [];
  for (const section of sections) {
    for (const chunk of chunks(section.body.join('\n'))) {
      passages.push({
        id: `${locale}/${file}#${passages.length}`,
        file,
        title,
        heading: section.heading,
        text: chunk,
      });
    }
  }
  return { locale, file, title, raw, passages };
}

/** A section's plain text, split at paragraphs when longer than MAX_PASSAGE_CHARS. */
function chunks(body: string): string[] {
  const paragraphs = body
    .split(/\n\s*\n/)
    .map((p) => plainText(p).replace(/\s*\n\s*/g, ' '))
    .filter(Boolean);
  const out: string[] = [];
  let current = '';
  for (const p of paragraphs) {
    if (current && current.length + p.length + 1 > MAX_PASSAGE_CHARS) {
      out.push(current);
      current = p;
    } else current = current ? `${current}\n${p}` : p;
  }
  if (current) out.push(current);
  return out;
}
