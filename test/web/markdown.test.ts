import { citationLink, parseMarkdown, renderMarkdown, safeHref, type NodeFactory } from '../../web/markdown';

const BASE = 'https://chat.example.com/index.html?embed=1';

/** A minimal Document stand-in that records what the renderer builds (tags, properties, text). */
interface FakeNode {
  tag: string;
  text?: string;
  children: FakeNode[];
  [prop: string]: unknown;
}
const fakeDoc = {
  createElement: (tag: string) => fakeNode(tag),
  createTextNode: (text: string) => ({ ...fakeNode('#text'), text }),
  createDocumentFragment: () => fakeNode('#fragment'),
} as unknown as NodeFactory;
function fakeNode(tag: string): FakeNode {
  const node: FakeNode = {
    tag,
    children: [],
    appendChild(child: FakeNode) {
      node.children.push(child);
      return child;
    },
  };
  return node;
}
const walk = (n: FakeNode): FakeNode[] => [n, ...n.children.flatMap(walk)];
const textOf = (n: FakeNode): string =>
  walk(n)
    .map((x) => x.text ?? '')
    .join('');
const render = (src: string): FakeNode => renderMarkdown(fakeDoc, src, BASE) as unknown as FakeNode;

describe('safeHref', () => {
  test.each([
    ['https://help.example.com/returns', 'https://help.example.com/returns'],
    ['/help/returns', 'https://chat.example.com/help/returns'],
    ['returns.html#policy', 'https://chat.example.com/returns.html#policy'],
  ])('GIVEN %s WHEN checked THEN it is allowed as %s', (raw, expected) => {
    expect(safeHref(raw, BASE)).toBe(expected);
  });

  test.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    'http://example.com/plain-http',
    '//evil.example.com/x',
    '/\\evil.example.com',
    'https://user:pass@example.com/',
    'mailto:someone@example.com',
  ])('GIVEN %s WHEN checked THEN it is refused', (raw) => {
    expect(safeHref(raw, BASE)).toBeUndefined();
  });
});

describe('parseMarkdown', () => {
  test('GIVEN paragraphs, a bullet list, a numbered list, bold and a link WHEN parsed THEN each becomes its block and inline node', () => {
    const blocks = parseMarkdown(
      'Hello **there**\nsecond line\n\n- one\n- [two](https://x.example/2)\n\n1. first\n2. second',
      BASE,
    );
    expect(blocks).toEqual([
      {
        kind: 'paragraph',
        lines: [
          [
            { kind: 'text', text: 'Hello ' },
            { kind: 'strong', children: [{ kind: 'text', text: 'there' }] },
          ],
          [{ kind: 'text', text: 'second line' }],
        ],
      },
      {
        kind: 'list',
        ordered: false,
        items: [
          [{ kind: 'text', text: 'one' }],
          [{ kind: 'link', href: 'https://x.example/2', children: [{ kind: 'text', text: 'two' }] }],
        ],
      },
      {
        kind: 'list',
        ordered: true,
        items: [[{ kind: 'text', text: 'first' }], [{ kind: 'text', text: 'second' }]],
      },
    ]);
  });

  test('GIVEN a bare https URL WHEN parsed THEN it is a link without its trailing full stop', () => {
    expect(parseMarkdown('See https://help.example.com/a.', BASE)).toEqual([
      {
        kind: 'paragraph',
        lines: [
          [
            { kind: 'text', text: 'See ' },
            {
              kind: 'link',
              href: 'https://help.example.com/a',
              children: [{ kind: 'text', text: 'https://help.example.com/a' }],
            },
            { kind: 'text', text: '.' },
          ],
        ],
      },
    ]);
  });

  test('GIVEN a javascript: link WHEN parsed THEN only its label remains, as text', () => {
    expect(parseMarkdown('[click me](javascript:void0)', BASE)).toEqual([
      { kind: 'paragraph', lines: [[{ kind: 'text', text: 'click me' }]] },
    ]);
  });
});

describe('renderMarkdown', () => {
  const ALLOWED = new Set(['#fragment', '#text', 'p', 'br', 'ul', 'ol', 'li', 'strong', 'a']);

  test.each([
    '<script>alert(1)</script>',
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '[x](javascript:alert(1))',
    '[x](data:text/html,hi)',
    '**<b onmouseover=alert(1)>bold</b>**',
    '- <iframe src="https://evil.example"></iframe>',
    '<svg><script>alert(1)</script></svg>',
  ])(
    'GIVEN hostile text %s WHEN rendered THEN only allowed elements exist, its markup is text, and no link leaves https/same origin',
    (src) => {
      const nodes = walk(render(src));
      for (const n of nodes) expect(ALLOWED.has(n.tag)).toBe(true);
      for (const a of nodes.filter((n) => n.tag === 'a')) {
        expect(String(a.href)).toMatch(/^https:\/\//);
        expect(a.rel).toBe('noopener noreferrer');
      }
      // every character of the source that is not markdown syntax is still there, as text
      const text = textOf(render(src));
      for (const fragment of src.match(/<[^>]*>/g) ?? []) expect(text).toContain(fragment);
    },
  );

  test('GIVEN a link WHEN rendered THEN it is an anchor that opens a new tab without the opener', () => {
    const root = render('Read [our returns policy](/help/returns).');
    const a = walk(root).find((n) => n.tag === 'a')!;
    expect(a).toMatchObject({
      href: 'https://chat.example.com/help/returns',
      target: '_blank',
      rel: 'noopener noreferrer',
    });
    expect(textOf(a)).toBe('our returns policy');
  });

  test('GIVEN a citation with a javascript: link WHEN rendered THEN the title is plain text, no anchor', () => {
    const el = citationLink(fakeDoc, '<b>Returns</b>', 'javascript:alert(1)', BASE) as unknown as FakeNode;
    expect(el.tag).toBe('span');
    expect(textOf(el)).toBe('<b>Returns</b>');
    const ok = citationLink(fakeDoc, 'Returns', 'https://help.example.com/r', BASE) as unknown as FakeNode;
    expect(ok).toMatchObject({ tag: 'a', href: 'https://help.example.com/r' });
  });
});

test('GIVEN snake_case and double underscores WHEN parsed THEN they stay text: only ** makes bold', () => {
  expect(parseMarkdown('window.__pwned = 1 and __init__', BASE)).toEqual([
    { kind: 'paragraph', lines: [[{ kind: 'text', text: 'window.__pwned = 1 and __init__' }]] },
  ]);
});
