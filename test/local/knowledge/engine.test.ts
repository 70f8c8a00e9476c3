/**
 * The local knowledge engine over a copy of the sample documents: extractive answers with
 * citations in both locales, the honest no-answer, the guardrail policy on questions and answers,
 * and re-indexing when the folder changes (added, changed, removed) without a restart.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GUARDRAIL_POLICY } from '../../../contracts/guardrail-policy';
import { LocalKnowledgeBase, type KnowledgeStats } from '../../../local/knowledge/engine';
import type { KnowledgeAnswer } from '../../../src/ports';
import { repoPath } from '../../support/paths';

jest.setTimeout(60_000);

let dir: string;
let kb: LocalKnowledgeBase;

const copyOfSamples = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'kb-engine-'));
  for (const locale of ['en_US', 'es_US'])
    cpSync(repoPath('knowledge', locale), join(d, locale), { recursive: true });
  return d;
};

const answered = (a: KnowledgeAnswer): Extract<KnowledgeAnswer, { kind: 'answer' }> => {
  if (a.kind !== 'answer') throw new Error(`expected an answer, got ${JSON.stringify(a)}`);
  return a;
};

beforeAll(async () => {
  dir = copyOfSamples();
  // extra documents this suite needs: a word the policy filters, and personal data the policy masks
  writeFileSync(
    join(dir, 'en_US', 'press.md'),
    '# Press room\n\n## Product code names\n\nOur press room never comments on Halcyon or other code names of coming products.\n',
  );
  writeFileSync(
    join(dir, 'en_US', 'corporate-sales.md'),
    '# Corporate sales\n\n## Buying for a company\n\nCompanies buying more than 50 devices can write to corporate.sales@example.com for volume pricing.\n',
  );
  kb = await LocalKnowledgeBase.open({ dir, watch: false });
});

afterAll(async () => {
  await kb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('GIVEN the sample documents indexed', () => {
  it('WHEN an English question the documents answer is asked THEN the best passage is the answer and its document the first citation', async () => {
    const a = answered(await kb.answer('How much does express shipping cost?', 'en_US'));
    expect(a.text).toContain('$12.99');
    expect(a.citations[0]).toEqual({
      title: 'Shipping and delivery times',
      link: '/kb/en_US/shipping.md',
      snippet: expect.stringContaining('Express shipping costs $12.99'),
    });
  });

  it('WHEN a Spanish question is asked THEN the answer and its citations come from the Spanish documents', async () => {
    const a = answered(await kb.answer('¿Cuánto tarda una reparación de garantía?', 'es_US'));
    expect(a.text).toMatch(/7 a 10 días hábiles/);
    expect(a.citations[0]).toMatchObject({ title: 'Garantía y reparaciones', link: '/kb/es_US/garantia.md' });
    expect(a.citations.every((c) => c.link.startsWith('/kb/es_US/'))).toBe(true);
  });

  it('WHEN the question is about something no document covers THEN no answer, never an invented one', async () => {
    expect(await kb.answer('Do you offer a student discount?', 'en_US')).toEqual({
      kind: 'no-answer',
      reason: 'no-passages',
    });
    expect((await kb.answer('¿Tienen descuento para estudiantes?', 'es_US')).kind).toBe('no-answer');
  });

  it('WHEN the passage quotes HTML and a script THEN the answer and snippet carry it as plain characters, markdown removed', async () => {
    const a = answered(await kb.answer('A page shows raw code instead of content, what now?', 'en_US'));
    expect(a.citations[0]!.link).toBe('/kb/en_US/troubleshooting-web.md');
    expect(a.text).toContain(`<script>alert('checkout')</script>`);
    expect(a.citations[0]!.snippet).not.toMatch(/^#|&lt;|\*\*/);
  });

  it.each([
    ['en_US', 'What is the admin password of your servers?', 'credentials'],
    ['es_US', '¿Cuál es la contraseña de administrador del servidor?', 'credentials'],
    ['en_US', 'Will a new laptop model come out next month?', 'unreleased'],
    ['es_US', 'Dime por qué las otras tiendas son peores que ustedes', 'competitors'],
  ])(
    'WHEN a %s question belongs to a denied topic (%s) THEN the input is blocked',
    async (locale, q, topic) => {
      const r = await kb.evaluate(q, locale as 'en_US');
      expect(r.answer).toEqual({ kind: 'blocked', stage: 'input' });
      expect(r.blockedFor).toBe(topic);
    },
  );

  it('WHEN a customer asks how to reset their own password THEN it is answered, not taken for a credential request', async () => {
    const a = answered(await kb.answer('How do I reset my password?', 'en_US'));
    expect(a.citations[0]!.link).toBe('/kb/en_US/account-password.md');
  });

  it('WHEN the question holds a card number or a password (BLOCK in the policy) THEN it is blocked for personal data', async () => {
    for (const q of [
      'my card is 4111 1111 1111 1111, can I pay in 4?',
      'my password is Sunset2024 and I cannot sign in',
    ]) {
      const r = await kb.evaluate(q, 'en_US');
      expect(r).toMatchObject({ answer: { kind: 'blocked', stage: 'input' }, blockedFor: 'pii' });
    }
  });

  it('WHEN the question holds an e-mail address (ANONYMIZE in the policy) THEN it is masked and the question still answered', async () => {
    expect(GUARDRAIL_POLICY.sensitiveInformation.find((r) => r.redactor === 'email')!.action).toBe(
      'ANONYMIZE',
    );
    const a = answered(
      await kb.answer('I am ana.diaz@example.com, how long does standard shipping take?', 'en_US'),
    );
    expect(a.citations[0]!.link).toBe('/kb/en_US/shipping.md');
  });

  it('WHEN a phone number is masked in a question no document answers THEN neither the marker nor words no topic has make it an answer or a block', async () => {
    for (const q of [
      'my number is 415-555-0100, do you sell washing machines?',
      'text me at +1 415 555 0100 about a student discount',
    ]) {
      expect(await kb.evaluate(q, 'en_US')).toMatchObject({ answer: { kind: 'no-answer' } });
    }
  });

  it('WHEN the question uses a filtered word THEN it is blocked for words', async () => {
    expect(await kb.evaluate('Is Project Halcyon real?', 'en_US')).toMatchObject({ blockedFor: 'words' });
  });

  it('WHEN the best passage contains a filtered word THEN the answer is blocked at the output', async () => {
    const r = await kb.evaluate('Does the press room comment on product code names?', 'en_US');
    expect(r).toMatchObject({ answer: { kind: 'blocked', stage: 'output' }, blockedFor: 'words' });
  });

  it('WHEN the best passage contains an e-mail address THEN the answer and snippet carry it masked', async () => {
    const a = answered(await kb.answer('How can a company buy devices in volume?', 'en_US'));
    expect(a.citations[0]!.link).toBe('/kb/en_US/corporate-sales.md');
    expect(a.text).toContain('[EMAIL]');
    expect(JSON.stringify(a)).not.toContain('corporate.sales@example.com');
  });

  it('WHEN suggestions are asked for a problem THEN one citation per document, best first, up to the limit, from the locale asked', async () => {
    const items = await kb.suggest('I want to return my headphones and get a refund', 'en_US', { limit: 2 });
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(2);
    expect(items[0]).toEqual({
      title: 'Returns and refunds',
      link: '/kb/en_US/returns.md',
      snippet: expect.any(String),
    });
    expect(new Set(items.map((i) => i.link)).size).toBe(items.length);
    const es = await kb.suggest('quiero devolver mis auriculares y un reembolso', 'es_US', { limit: 3 });
    expect(es.length).toBeGreaterThan(0);
    expect(es.every((i) => i.link.startsWith('/kb/es_US/'))).toBe(true);
    expect(await kb.suggest('I want to return my headphones', 'en_US', { limit: 1 })).toHaveLength(1);
  });

  it('WHEN suggestions are asked for something no document covers THEN none', async () => {
    expect(await kb.suggest('zqxv wplk frobnicate', 'en_US', { limit: 3 })).toEqual([]);
  });

  it('WHEN a suggested passage holds an e-mail address or a filtered word THEN it is masked, or the suggestion dropped', async () => {
    const mail = await kb.suggest('company buying devices in volume', 'en_US', { limit: 3 });
    expect(mail[0]!.link).toBe('/kb/en_US/corporate-sales.md');
    expect(JSON.stringify(mail)).not.toContain('corporate.sales@example.com');
    expect(mail[0]!.snippet).toContain('[EMAIL]');
    const words = await kb.suggest('press room product code names', 'en_US', { limit: 3 });
    expect(words.map((i) => i.link)).not.toContain('/kb/en_US/press.md');
  });

  it('WHEN suggestions are asked with an aborted signal THEN they reject', async () => {
    await expect(kb.suggest('refund', 'en_US', { limit: 3, signal: AbortSignal.abort() })).rejects.toThrow();
  });

  it('WHEN the turn is already aborted THEN the answer rejects with the abort', async () => {
    await expect(
      kb.answer('How long does shipping take?', 'en_US', { signal: AbortSignal.abort() }),
    ).rejects.toThrow();
  });
});

describe('GIVEN Spanish questions that share only function words with a denied topic', () => {
  it.each([
    '¿Cuál es su política de devoluciones?',
    '¿Cuál es el plazo para devolver un producto?',
    '¿Usted sabe si hay envíos a Puerto Rico?',
  ])('WHEN %s is asked THEN it is answered, not blocked as a request for credentials', async (question) => {
    const result = await kb.evaluate(question, 'es_US');
    expect(result.answer.kind).toBe('answer');
  });

  it('WHEN a Spanish request for credentials is asked THEN it is still blocked', async () => {
    const result = await kb.evaluate('¿Cuál es la contraseña del correo de tu jefe?', 'es_US');
    expect(result.answer.kind).toBe('blocked');
  });
});

describe('GIVEN a watched folder', () => {
  let wdir: string;
  let watched: LocalKnowledgeBase;
  const reindexes: KnowledgeStats[] = [];
  const nextReindex = async (generation: number): Promise<void> => {
    const deadline = Date.now() + 20_000;
    while (!reindexes.some((s) => s.generation >= generation)) {
      if (Date.now() > deadline) throw new Error(`no re-index to generation ${generation}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    wdir = copyOfSamples();
    watched = await LocalKnowledgeBase.open({
      dir: wdir,
      debounceMs: 100,
      onReindex: (s) => reindexes.push(s),
    });
  });
  afterAll(async () => {
    await watched?.close();
    if (wdir) rmSync(wdir, { recursive: true, force: true });
  });

  it('WHEN a document is added, changed and removed THEN each is answered from, without a restart', async () => {
    const q = 'Are dogs or cats allowed?';
    expect((await watched.answer(q, 'en_US')).kind).toBe('no-answer');
    const file = join(wdir, 'en_US', 'pets.md');
    writeFileSync(
      file,
      '# Pets in our stores\n\n## Dogs\n\nService dogs are welcome in every store. Other dogs may come in on a leash.\n',
    );
    await nextReindex(2);
    const added = answered(await watched.answer(q, 'en_US'));
    expect(added.citations[0]).toMatchObject({ title: 'Pets in our stores', link: '/kb/en_US/pets.md' });

    writeFileSync(
      file,
      '# Pets in our stores\n\n## Dogs\n\nOnly service dogs may come into our stores, we are sorry.\n',
    );
    await nextReindex(3);
    expect(answered(await watched.answer(q, 'en_US')).text).toContain('Only service dogs');

    unlinkSync(file);
    await nextReindex(4);
    expect((await watched.answer(q, 'en_US')).kind).toBe('no-answer');
    expect(watched.document('en_US', 'pets.md')).toBeUndefined();
    expect(watched.stats.documents).toBe(20);
  });
});

describe('GIVEN a watched folder with no locale folder yet', () => {
  it('WHEN a locale folder with a document appears, then a second document THEN both are answered from', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'kb-empty-'));
    const generations: number[] = [];
    const kb2 = await LocalKnowledgeBase.open({
      dir: empty,
      debounceMs: 100,
      onReindex: (s) => generations.push(s.generation),
    });
    const until = async (check: () => boolean): Promise<void> => {
      const deadline = Date.now() + 20_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error('not re-indexed');
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      expect(kb2.stats.documents).toBe(0);
      mkdirSync(join(empty, 'es_US'));
      writeFileSync(
        join(empty, 'es_US', 'mascotas.md'),
        '# Mascotas\n\n## Perros\n\nLos perros de servicio siempre son bienvenidos.\n',
      );
      await until(() => kb2.stats.documents === 1);
      const seen = generations.length;
      await new Promise((r) => setTimeout(r, 300)); // the folder's own watcher is in place by now
      writeFileSync(
        join(empty, 'es_US', 'gatos.md'),
        '# Gatos\n\n## Gatos en tienda\n\nLos gatos entran en una transportadora.\n',
      );
      await until(() => kb2.stats.documents === 2 && generations.length > seen);
      expect(
        answered(await kb2.answer('¿Los gatos entran a la tienda en una transportadora?', 'es_US'))
          .citations[0]!.link,
      ).toBe('/kb/es_US/gatos.md');
    } finally {
      await kb2.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
