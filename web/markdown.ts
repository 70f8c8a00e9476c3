/**
 * Safe markdown for bot and knowledge text: paragraphs, line breaks, bullet and numbered lists,
 * **bold** and [links](https://...). Everything else is text. The text is parsed into a small
 * tree (`parseMarkdown`, pure) and the tree is turned into DOM nodes with `createElement` of a
 * fixed set of tags and `createTextNode` (`renderMarkdown`): no HTML is ever parsed, so `<script>`,
 * `<img onerror=...>` or any markup in a bot answer or a knowledge passage is shown as text.
 * A link's target must be `https:` or a same-origin relative path (`safeHref`); anything else
 * (`javascript:`, `data:`, `http:`, `//host`) is dropped and its label shown as text.
 */

export type Inline =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'strong'; readonly children: readonly Inline[] }
  | { readonly kind: 'link'; readonly href: string; readonly children: readonly Inline[] };

export type Block =
  | { readonly kind: 'paragraph'; readonly lines: readonly (readonly Inline[])[] }
  | { readonly kind: 'list'; readonly ordered: boolean; readonly items: readonly (readonly Inline[])[] };

const BULLET = /^\s{0,3}[-*•]\s+(.*)$/;
const NUMBERED = /^\s{0,3}\d{1,3}[.)]\s+(.*)$/;

/** The blocks of `source`: blank lines separate paragraphs, `- `/`* ` and `1. ` lines make lists. */
export function parseMarkdown(source: string, base: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: Inline[][] = [];
  let list: { ordered: boolean; items: Inline[][] } | undefined;
  const flush = (): void => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', lines: paragraph });
    if (list) blocks.push({ kind: 'list', ...list });
    paragraph = [];
    list = undefined;
  };
  for (const line of source.replace(/\r\n?/g, '\n').split('\n')) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const item = bullet ?? numbered;
    if (item) {
      const ordered = numbered !== null;
      if (paragraph.length || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push(parseInline(item[1]!, base));
    } else if (line.trim() === '') {
      flush();
    } else if (list && /^\s{2,}\S/.test(line)) {
      // an indented line continues the list item above
      const last = list.items[list.items.length - 1]!;
      list.items[list.items.length - 1] = [
        ...last,
        { kind: 'text', text: ' ' },
        ...parseInline(line.trim(), base),
      ];
    } else {
      if (list) flush();
      paragraph.push(parseInline(line, base));
    }
  }
  flush();
  return blocks;
}

const LINK = /\[([^\]\n]{1,500})\]\(([^()\s]{1,2000})\)/;
const BOLD = /\*\*([^*\n]+?)\*\*/;
const BARE_URL = /\bhttps:\/\/[^\s<>"'()]+[^\s<>"'().,;:!?]/;

/** The inline nodes of one line: links first, then bold, then bare https URLs; the rest text. */
export function parseInline(text: string, base: string): Inline[] {
  const out: Inline[] = [];
  let rest = text;
  while (rest) {
    const match = earliest(rest);
    if (!match) {
      pushText(out, rest);
      break;
    }
    pushText(out, rest.slice(0, match.index));
    const [whole] = match.m;
    if (match.kind === 'link') {
      const href = safeHref(match.m[2]!, base);
      const children = parseInline(match.m[1]!, base).filter((n) => n.kind !== 'link');
      if (href) out.push({ kind: 'link', href, children });
      else for (const child of children) out.push(child);
    } else if (match.kind === 'bold') {
      out.push({ kind: 'strong', children: parseInline(match.m[1]!, base) });
    } else {
      const href = safeHref(whole, base);
      if (href) out.push({ kind: 'link', href, children: [{ kind: 'text', text: whole }] });
      else pushText(out, whole);
    }
    rest = rest.slice(match.index + whole.length);
  }
  return out;
}

function earliest(
  text: string,
): { kind: 'link' | 'bold' | 'url'; m: RegExpExecArray; index: number } | undefined {
  let best: { kind: 'link' | 'bold' | 'url'; m: RegExpExecArray; index: number } | undefined;
  for (const [kind, re] of [
    ['link', LINK],
    ['bold', BOLD],
    ['url', BARE_URL],
  ] as const) {
    const m = re.exec(text);
    if (m && (!best || m.index < best.index)) best = { kind, m, index: m.index };
  }
  return best;
}

function pushText(out: Inline[], text: string): void {
  if (!text) return;
  const last = out[out.length - 1];
  if (last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + text };
  else out.push({ kind: 'text', text });
}

/**
 * The URL a link may point to, or undefined: an absolute `https:` URL, or a relative path that
 * stays on `base`'s origin (`/help/returns`, `returns.html`); never `javascript:`, `data:`,
 * `http:`, a protocol-relative `//host` or a URL with control characters or credentials.
 */
export function safeHref(raw: string, base: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s\\]/.test(raw)) return undefined;
  let url: URL;
  let baseUrl: URL;
  try {
    baseUrl = new URL(base);
    url = new URL(raw, baseUrl);
  } catch {
    return undefined;
  }
  if (url.username || url.password) return undefined;
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(raw);
  if (hasScheme) return url.protocol === 'https:' ? url.href : undefined;
  if (raw.startsWith('//')) return undefined;
  return url.origin === baseUrl.origin ? url.href : undefined;
}

/** What `renderMarkdown` needs of a Document (the real one in the browser). */
export type NodeFactory = Pick<Document, 'createElement' | 'createTextNode' | 'createDocumentFragment'>;

/** `source` as DOM nodes: only p, br, ul, ol, li, strong and a elements, and text nodes. */
export function renderMarkdown(doc: NodeFactory, source: string, base: string): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  for (const block of parseMarkdown(source, base)) {
    if (block.kind === 'paragraph') {
      const p = doc.createElement('p');
      block.lines.forEach((line, i) => {
        if (i > 0) p.appendChild(doc.createElement('br'));
        appendInline(doc, p, line);
      });
      fragment.appendChild(p);
    } else {
      const list = doc.createElement(block.ordered ? 'ol' : 'ul');
      for (const item of block.items) {
        const li = doc.createElement('li');
        appendInline(doc, li, item);
        list.appendChild(li);
      }
      fragment.appendChild(list);
    }
  }
  return fragment;
}

function appendInline(doc: NodeFactory, parent: Node, nodes: readonly Inline[]): void {
  for (const node of nodes) {
    if (node.kind === 'text') {
      parent.appendChild(doc.createTextNode(node.text));
    } else if (node.kind === 'strong') {
      const strong = doc.createElement('strong');
      appendInline(doc, strong, node.children);
      parent.appendChild(strong);
    } else {
      parent.appendChild(link(doc, node.href, node.children));
    }
  }
}

/** A link that opens in a new tab without handing the opener to the target. */
function link(doc: NodeFactory, href: string, children: readonly Inline[]): HTMLAnchorElement {
  const a = doc.createElement('a');
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  appendInline(doc, a, children);
  return a;
}

/** A citation's link (title linked, the snippet as text), with the same rule as markdown links. */
export function citationLink(doc: NodeFactory, title: string, href: string, base: string): HTMLElement {
  const safe = safeHref(href, base);
  if (!safe) {
    const span = doc.createElement('span');
    span.appendChild(doc.createTextNode(title));
    return span;
  }
  return link(doc, safe, [{ kind: 'text', text: title }]);
}
