import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_DOCUMENT_BYTES, parseDocument, readCorpus } from '../../../local/knowledge/corpus';
import { clip, plainText } from '../../../local/knowledge/text';

describe('GIVEN a knowledge folder', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kb-corpus-'));
    mkdirSync(join(dir, 'en_US'));
    mkdirSync(join(dir, 'es_US'));
    mkdirSync(join(dir, 'fr_FR'));
    writeFileSync(join(dir, 'en_US', 'a.md'), '# Alpha\n\nIntro.\n\n## One\n\nFirst.\n');
    writeFileSync(join(dir, 'en_US', 'notes.txt'), '\nPlain title\nSome text.\n');
    writeFileSync(join(dir, 'en_US', 'image.png'), 'not a document');
    writeFileSync(join(dir, 'en_US', '.hidden.md'), '# Hidden\n');
    writeFileSync(join(dir, 'en_US', 'huge.md'), `# Huge\n\n${'x'.repeat(MAX_DOCUMENT_BYTES)}`);
    writeFileSync(join(dir, 'fr_FR', 'b.md'), '# Bonjour\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('WHEN read THEN markdown and text files of the bot locales are documents; others, hidden and oversized files are not', () => {
    const corpus = readCorpus(dir);
    expect([...corpus.documents.get('en_US')!.keys()]).toEqual(['a.md', 'notes.txt']);
    expect(corpus.documents.get('es_US')!.size).toBe(0);
    expect(corpus.documents.has('fr_FR' as never)).toBe(false);
    expect(corpus.skipped).toEqual(['en_US/huge.md']);
    expect(corpus.documents.get('en_US')!.get('notes.txt')!.title).toBe('Plain title');
  });

  it('WHEN the folder does not exist THEN every locale is empty', () => {
    const corpus = readCorpus(join(dir, 'missing'));
    expect([...corpus.documents.values()].every((d) => d.size === 0)).toBe(true);
  });
});

describe('GIVEN a markdown document', () => {
  it('WHEN parsed THEN its title is the first "# " heading and each section is a passage under its heading', () => {
    const doc = parseDocument(
      'en_US',
      'x.md',
      '# Title *here*\n\nIntro line.\n\n## Part one\n\nText **one**.\n\n## Empty\n\n## Part two\n\n- item\n',
    );
    expect(doc.title).toBe('Title here');
    expect(doc.passages.map((p) => [p.heading, p.text])).toEqual([
      ['Title here', 'Intro line.'],
      ['Part one', 'Text one.'],
      ['Part two', 'item'],
    ]);
    expect(doc.passages.map((p) => p.id)).toEqual(['en_US/x.md#0', 'en_US/x.md#1', 'en_US/x.md#2']);
  });

  it('WHEN a section is longer than a passage THEN it is split at its paragraphs', () => {
    const para = (c: string): string => `${c.repeat(500)}.`;
    const doc = parseDocument(
      'en_US',
      'x.md',
      `# T\n\n## Long\n\n${para('a')}\n\n${para('b')}\n\n${para('c')}\n`,
    );
    expect(doc.passages.length).toBe(2);
    expect(doc.passages.every((p) => p.heading === 'Long')).toBe(true);
  });

  it('WHEN it starts with a byte-order mark and has Windows line ends THEN its title is still its first heading', () => {
    expect(parseDocument('en_US', 'bom.md', '\uFEFF# Windows title\r\n\r\nText.\r\n').title).toBe(
      'Windows title',
    );
  });

  it('WHEN it has no heading THEN the file name is its title', () => {
    expect(parseDocument('es_US', 'sin-titulo.md', 'Texto.').title).toBe('sin-titulo');
  });
});

describe('GIVEN text with markup', () => {
  it('WHEN made plain THEN markdown syntax goes and quoted HTML stays as characters', () => {
    expect(plainText('**Bold** and [a link](https://x.test) and `code` <script>alert(1)</script>')).toBe(
      'Bold and a link and code <script>alert(1)</script>',
    );
  });

  it('WHEN clipped THEN it is cut at a word with an ellipsis, and short text is left alone', () => {
    expect(clip('one two three four', 12)).toBe('one two…');
    expect(clip('short', 12)).toBe('short');
  });
});
