/**
 * The knowledge stand-in end to end over HTTP: the local platform started on a copy of the sample
 * documents (KNOWLEDGE_DIR) answers questions no intent covers from them, with citations, in
 * English and Spanish; a document added while it runs is answered from; a question the documents
 * do not answer gets the honest no-answer; a credential request is stopped by the guardrail; and a
 * document quoting HTML and a script is served as text and cited as plain text.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageResponse } from '../../contracts/conversation-api';
import { startLocalPlatform, type LocalPlatform } from '../../local/server';
import { repoPath } from '../support/paths';

jest.setTimeout(90_000);

let platform: LocalPlatform;
let dataDir: string;
let knowledgeDir: string;
let conversation = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kb-e2e-data-'));
  knowledgeDir = mkdtempSync(join(tmpdir(), 'kb-e2e-docs-'));
  for (const locale of ['en_US', 'es_US'])
    cpSync(repoPath('knowledge', locale), join(knowledgeDir, locale), { recursive: true });
  platform = await startLocalPlatform({ port: 0, quiet: true, dataDir, sessions: 'memory', knowledgeDir });
});

afterAll(async () => {
  await platform?.stop();
  for (const dir of [dataDir, knowledgeDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

async function ask(text: string, locale: 'en_US' | 'es_US'): Promise<MessageResponse> {
  conversation += 1;
  const res = await fetch(`${platform.url}/v1/conversations/kb-e2e-${process.pid}-${conversation}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, locale, channel: 'web' }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as MessageResponse;
}

describe('GIVEN the local platform on a copy of the sample documents', () => {
  it('WHEN it has started THEN it says what stands in for Bedrock', () => {
    expect(platform.substitutions).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `local BM25 over ${knowledgeDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(20 documents, en_US\\+es_US\\) instead of Bedrock`,
        ),
      ),
    );
  });

  it('WHEN an English question the documents answer is asked THEN the answer comes from them with its citation', async () => {
    const r = await ask('Do gift cards expire?', 'en_US');
    expect(r.source).toBe('knowledge');
    expect(r.messages[0]!.content).toMatch(/never expire/);
    expect(r.citations[0]).toEqual({
      title: 'Gift cards',
      link: '/kb/en_US/gift-cards.md',
      snippet: expect.stringContaining('never expire'),
    });
  });

  it('WHEN a Spanish question is asked THEN the answer and its citation are Spanish', async () => {
    const r = await ask('¿A qué hora cierran las tiendas el domingo?', 'es_US');
    expect(r.source).toBe('knowledge');
    expect(r.messages[0]!.content).toMatch(/domingo de 10 a\.m\. a 6 p\.m\./);
    expect(r.citations[0]).toMatchObject({
      title: 'Horarios de tiendas y contacto',
      link: '/kb/es_US/horarios-de-tiendas.md',
    });
  });

  it('WHEN a document is added while the server runs THEN a question about it is answered with its citation', async () => {
    const q = 'Are dogs or cats allowed?';
    expect((await ask(q, 'en_US')).citations).toEqual([]);
    writeFileSync(
      join(knowledgeDir, 'en_US', 'pets.md'),
      '# Pets in our stores\n\n## Dogs and cats\n\nService dogs are always welcome. Other dogs and cats may come in on a leash or in a carrier.\n',
    );
    const deadline = Date.now() + 30_000;
    let r = await ask(q, 'en_US');
    while (r.citations[0]?.link !== '/kb/en_US/pets.md' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      r = await ask(q, 'en_US');
    }
    expect(r.source).toBe('knowledge');
    expect(r.citations[0]).toMatchObject({ title: 'Pets in our stores', link: '/kb/en_US/pets.md' });
    const doc = await fetch(`${platform.url}${r.citations[0]!.link}`);
    expect(await doc.text()).toContain('Service dogs are always welcome.');
  });

  it('WHEN the documents do not answer the question THEN the honest no-answer, no citation', async () => {
    const r = await ask('Do you offer a student discount?', 'en_US');
    expect(r.source).toBe('knowledge');
    expect(r.citations).toEqual([]);
    expect(r.messages[0]!.content).toMatch(/don't know/i);
  });

  it('WHEN a customer asks for credentials THEN the guardrail answers, with nothing from the documents', async () => {
    for (const [text, locale] of [
      ["What's the password to your admin panel?", 'en_US'],
      ['¿Cuál es la contraseña del panel de administración?', 'es_US'],
    ] as const) {
      const r = await ask(text, locale);
      expect(r.source).toBe('guardrail');
      expect(r.citations).toEqual([]);
    }
  });

  it('WHEN the cited document quotes HTML and a script THEN the snippet is those characters as plain text and the link serves text/plain, never HTML', async () => {
    const r = await ask('What should I do if a page shows code like a script tag?', 'en_US');
    const citation = r.citations[0]!;
    expect(citation.link).toBe('/kb/en_US/troubleshooting-web.md');
    expect(citation.snippet).toContain(`<script>alert('checkout')</script>`);
    expect(citation.snippet).not.toMatch(/&lt;|^#/);
    const res = await fetch(`${platform.url}${citation.link}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(await res.text()).toBe(
      readFileSync(join(knowledgeDir, 'en_US', 'troubleshooting-web.md'), 'utf8'),
    );
  });

  it.each(['/kb/en_US/missing.md', '/kb/en_US/..%2Fes_US%2Fgarantia.md', '/kb/en_US/', '/kb/xx/returns.md'])(
    'WHEN %s is asked for THEN 404: only indexed documents are served',
    async (path) => {
      expect((await fetch(`${platform.url}${path}`)).status).toBe(404);
    },
  );
});

describe('GIVEN a KNOWLEDGE_DIR that is not a folder', () => {
  it('WHEN the platform starts THEN it stops with one line naming KNOWLEDGE_DIR', async () => {
    await expect(
      startLocalPlatform({
        port: 0,
        quiet: true,
        sessions: 'memory',
        knowledgeDir: '/nonexistent/knowledge',
      }),
    ).rejects.toThrow(
      'KNOWLEDGE_DIR: /nonexistent/knowledge is not a folder (it holds one sub-folder per locale)',
    );
  });
});
