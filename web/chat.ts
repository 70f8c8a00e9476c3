/**
 * The chat itself (full page, or framed by the loader): the message log with its live region,
 * the composer, the welcome message, a typing indicator while a turn is pending, quick replies,
 * citations, thumbs up/down, failed messages with a retry that honours Retry-After, the answer's
 * language, history restored from localStorage, and developer details behind a toggle.
 */
import type { LocaleId } from '../contracts/bot-model/types';
import type { MessageResponse } from '../contracts/conversation-api';
import type { WebConfig } from '../contracts/web-config';
import { ApiError, type ChatApi } from './api';
import { characterCount, MAX_CHARACTERS } from './characters';
import { ICONS, append, h, icon } from './dom';
import { ConversationHistory, newConversationId, type AnswerMeta, type Entry } from './history';
import { TEXTS, languageName, type Texts } from './i18n';
import { citationLink, renderMarkdown } from './markdown';

export interface ChatOptions {
  readonly config: WebConfig;
  readonly api: Pick<ChatApi, 'sendMessage' | 'sendFeedback'>;
  readonly history: ConversationHistory;
  readonly locale: LocaleId;
  /** Framed by the loader: a close button, Escape closes. */
  readonly embedded: boolean;
  readonly title?: string;
  /** Asks the host page to close the chat (embedded). */
  readonly onClose?: () => void;
  /** The base links in answers are resolved against (the widget's own URL). */
  readonly base: string;
  /** Where the developer toggle's state is kept. */
  readonly storage?: Pick<Storage, 'getItem' | 'setItem'>;
  /** Extra lines for the developer panel (identity id). */
  readonly developerInfo?: () => Readonly<Record<string, string | undefined>>;
}

const DEV_KEY = 'conversational-chat:v1:developer';
/** The code of a message restored as not sent (the page went away before its answer). */
const NOT_SENT = 'NOT_SENT';

const GUEST = 'guest';

type UserEntry = Extract<Entry, { kind: 'user' }>;

export class Chat {
  readonly root: HTMLElement;
  private locale: LocaleId;
  private conversationId: string;
  private owner: string;
  private entries: Entry[] = [];
  private pending = false;
  private seq = 0;
  private readonly els: {
    title: HTMLHeadingElement;
    close?: HTMLButtonElement;
    localeLabel: HTMLLabelElement;
    locale: HTMLSelectElement;
    newConversation: HTMLButtonElement;
    devToggle?: HTMLInputElement;
    devLabel?: HTMLSpanElement;
    devPanel: HTMLElement;
    logWrap: HTMLElement;
    log: HTMLOListElement;
    welcome: HTMLLIElement;
    typing: HTMLElement;
    typingText: HTMLSpanElement;
    status: HTMLElement;
    error: HTMLElement;
    form: HTMLFormElement;
    inputLabel: HTMLLabelElement;
    input: HTMLInputElement;
    send: HTMLButtonElement;
    sendText: HTMLSpanElement;
  };

  constructor(private readonly opts: ChatOptions) {
    const saved = opts.history.current();
    this.locale = saved && opts.config.locales.includes(saved.locale) ? saved.locale : opts.locale;
    this.conversationId = saved?.conversationId ?? newConversationId();
    this.owner = saved?.owner ?? GUEST;
    if (saved) this.entries = restore(opts.history.entries(saved.conversationId));
    this.els = this.build();
    this.root = this.els.form.parentElement!;
    this.applyLanguage();
    for (const entry of this.entries) this.els.log.appendChild(this.renderEntry(entry));
    this.refreshQuickReplies();
    this.persist();
    this.setDeveloper(this.readDeveloper());
  }

  private get t(): Texts {
    return TEXTS[this.locale];
  }

  /** Focuses the message box (the loader asks for it when the chat opens). */
  focusInput(): void {
    this.els.input.focus();
  }

  /**
   * The customer signed in or out: a conversation belongs to the identity that started it, so
   * another owner starts a new one (the same user after a reload keeps theirs).
   */
  setOwner(owner: string | undefined, note?: string): void {
    const next = owner ?? GUEST;
    if (next === this.owner) return;
    this.owner = next;
    this.newConversation(note);
  }

  /** Starts a new conversation: a new id, an empty log, the old history forgotten. */
  newConversation(note?: string): void {
    this.opts.history.forget(this.conversationId);
    this.conversationId = newConversationId();
    this.entries = [];
    for (const li of Array.from(this.els.log.children)) if (li !== this.els.welcome) li.remove();
    this.hideError();
    this.persist();
    this.announce(note ?? this.t.started);
    this.renderDevPanel();
    this.els.input.focus();
  }

  // ---- layout ------------------------------------------------------------------------------------

  private build(): Chat['els'] {
    const { config, embedded } = this.opts;
    const title = h('h1', { id: 'chat-title', class: 'chat-title' });
    const close = embedded
      ? h(
          'button',
          { type: 'button', id: 'chat-close', class: 'icon-button', onclick: () => this.opts.onClose?.() },
          icon(ICONS.close),
        )
      : undefined;
    const localeLabel = h('label', { for: 'chat-locale', class: 'visually-hidden' });
    const locale = h('select', { id: 'chat-locale', class: 'locale' });
    for (const id of config.locales)
      locale.appendChild(h('option', { value: id }, TEXTS[id]?.localeName ?? id));
    locale.addEventListener('change', () => this.switchLocale(locale.value as LocaleId));
    const newConversation = h('button', {
      type: 'button',
      id: 'chat-new',
      class: 'secondary',
      onclick: () => this.newConversation(),
    });
    let devToggle: HTMLInputElement | undefined;
    let devLabel: HTMLSpanElement | undefined;
    if (config.developerToggle) {
      devToggle = h('input', { type: 'checkbox', id: 'chat-dev' });
      devToggle.addEventListener('change', () => this.setDeveloper(devToggle!.checked, true));
      devLabel = h('span');
    }
    const devPanel = h('dl', { id: 'chat-dev-panel', class: 'dev-panel', hidden: true });
    const welcome = h('li', { class: 'turn bot welcome' });
    const log = h('ol', {
      id: 'chat-log',
      class: 'log',
      'aria-live': 'polite',
      'aria-relevant': 'additions',
      'aria-atomic': 'false',
    });
    log.appendChild(welcome);
    const typingText = h('span', { class: 'visually-hidden' });
    const typing = h(
      'div',
      { id: 'chat-typing', class: 'typing', hidden: true },
      h('span', { class: 'dots', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')),
      typingText,
    );
    const logWrap = h('div', { class: 'log-wrap', tabindex: 0, role: 'region' }, devPanel, log, typing);
    const status = h('div', { id: 'chat-status', class: 'visually-hidden', role: 'status' });
    const error = h('p', { id: 'chat-error', class: 'error', role: 'alert', hidden: true });
    const inputLabel = h('label', { for: 'chat-input', id: 'chat-input-label', class: 'visually-hidden' });
    const input = h('input', {
      id: 'chat-input',
      type: 'text',
      autocomplete: 'off',
      enterkeyhint: 'send',
      'aria-describedby': 'chat-error',
    });
    const sendText = h('span', { class: 'visually-hidden' });
    const send = h('button', { type: 'submit', id: 'chat-send', class: 'send' }, icon(ICONS.send), sendText);
    const form = h(
      'form',
      { id: 'chat-composer', class: 'composer', novalidate: true },
      inputLabel,
      input,
      send,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    const main = h(
      'main',
      { class: `chat${embedded ? ' embedded' : ''}`, 'aria-labelledby': 'chat-title' },
      h('header', { class: 'chat-header' }, title, close),
      h(
        'div',
        { class: 'toolbar' },
        localeLabel,
        locale,
        newConversation,
        devToggle ? h('label', { class: 'dev-toggle', for: 'chat-dev' }, devToggle, devLabel) : undefined,
      ),
      logWrap,
      status,
      error,
      form,
    );
    main.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && embedded) {
        event.preventDefault();
        this.opts.onClose?.();
      }
    });
    document.body.appendChild(main);
    return {
      title,
      close,
      localeLabel,
      locale,
      newConversation,
      devToggle,
      devLabel,
      devPanel,
      logWrap,
      log,
      welcome,
      typing,
      typingText,
      status,
      error,
      form,
      inputLabel,
      input,
      send,
      sendText,
    };
  }

  private applyLanguage(): void {
    const t = this.t;
    const e = this.els;
    document.documentElement.lang = t.lang;
    const title = this.opts.title ?? t.title;
    e.title.textContent = title;
    document.title = title;
    e.close?.setAttribute('aria-label', t.close);
    e.localeLabel.textContent = t.languageLabel;
    e.locale.value = this.locale;
    e.newConversation.textContent = t.newConversation;
    if (e.devLabel) e.devLabel.textContent = t.developer;
    e.logWrap.setAttribute('aria-label', title);
    e.log.setAttribute('aria-label', title);
    e.welcome.replaceChildren(
      h('span', { class: 'visually-hidden' }, `${t.bot}: `),
      h('div', { class: 'bubble', lang: t.lang }, this.opts.config.welcome[this.locale] ?? ''),
    );
    e.welcome.hidden = !this.opts.config.welcome[this.locale];
    e.typingText.textContent = t.typing;
    e.inputLabel.textContent = t.messageLabel;
    e.input.placeholder = t.placeholder;
    e.sendText.textContent = t.send;
  }

  private switchLocale(locale: LocaleId): void {
    if (!this.opts.config.locales.includes(locale)) return;
    this.locale = locale;
    this.applyLanguage();
    this.persist();
    this.announce(this.t.switched);
  }

  // ---- sending -----------------------------------------------------------------------------------

  private submit(): void {
    const text = this.els.input.value.trim();
    this.hideError();
    if (!text) return this.showError(this.t.empty);
    const count = characterCount(text);
    if (count > MAX_CHARACTERS) return this.showError(this.t.tooLong(count, MAX_CHARACTERS));
    if (this.pending) return;
    this.els.input.value = '';
    void this.send({ kind: 'user', id: this.nextId(), text });
  }

  /** Sends a user entry (new, a quick reply, or a retry) and shows the answer or the failure. */
  private async send(entry: UserEntry, li?: HTMLLIElement): Promise<void> {
    this.pending = true;
    const value = entry.value ?? entry.text;
    const item = li ?? this.els.log.appendChild(this.renderEntry(entry));
    if (!li) this.entries.push({ ...entry, pending: true });
    else this.replaceEntry({ ...entry, failed: undefined, pending: true });
    this.persist();
    this.setPending(true);
    try {
      const response = await this.opts.api.sendMessage(this.conversationId, {
        text: value,
        locale: this.locale,
        channel: 'web',
        audio: false,
      });
      this.markUser(entry, item, undefined);
      this.addAnswer(response);
    } catch (err) {
      this.markUser(entry, item, err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err), 0));
    } finally {
      this.pending = false;
      this.setPending(false);
      this.scrollToEnd();
    }
  }

  private setPending(on: boolean): void {
    this.els.typing.hidden = !on;
    this.els.log.setAttribute('aria-busy', String(on));
    this.els.send.disabled = on;
    for (const b of Array.from(this.els.log.querySelectorAll<HTMLButtonElement>('.quick-replies button')))
      b.disabled = on;
    if (on) this.scrollToEnd();
  }

  /** Marks a user message sent (error undefined) or failed, with a retry when it is worth one. */
  private markUser(entry: UserEntry, li: HTMLLIElement, error: ApiError | undefined): void {
    this.replaceEntry({ ...entry, pending: undefined, failed: error ? true : undefined });
    this.persist();
    li.querySelector('.failure')?.remove();
    li.classList.toggle('failed', !!error);
    if (!error) return;
    if (error.status === 404) {
      li.appendChild(h('div', { class: 'failure' }, `${this.t.notSent} ${this.t.notFound}`));
      return;
    }
    const reason = error.code === NOT_SENT ? '' : ` ${this.reason(error)}`;
    const failure = h('div', { class: 'failure' }, h('span', {}, `${this.t.notSent}${reason}`));
    if (error.retryable) failure.appendChild(this.retryButton(entry.id, li, error.retryAfterMs));
    li.appendChild(failure);
    this.scrollToEnd();
  }

  /** Why a message was not sent, in the customer's language. */
  private reason(error: ApiError): string {
    if (error.status === 0) return this.t.network;
    if (error.status === 429 || error.status === 409) return this.t.busy;
    if (error.status >= 500) return this.t.unavailable;
    return this.t.rejected;
  }

  /** A Retry button, disabled with a countdown until Retry-After has passed. */
  private retryButton(id: string, li: HTMLLIElement, waitMs: number): HTMLButtonElement {
    const button = h('button', { type: 'button', class: 'retry secondary' });
    const until = Date.now() + waitMs;
    const tick = (first = false): void => {
      if (!first && !button.isConnected) return; // retried or gone
      const left = Math.ceil((until - Date.now()) / 1000);
      if (left > 0) {
        button.disabled = true;
        button.textContent = this.t.retryIn(left);
        setTimeout(tick, Math.min(1000, until - Date.now()));
      } else {
        button.disabled = false;
        button.textContent = this.t.retry;
      }
    };
    tick(true);
    button.addEventListener('click', () => {
      if (this.pending || Date.now() < until) return;
      const entry = this.entries.find((e) => e.id === id);
      if (entry?.kind !== 'user') return;
      li.querySelector('.failure')?.remove();
      li.classList.remove('failed');
      this.els.input.focus();
      void this.send(entry, li);
    });
    return button;
  }

  private addAnswer(res: MessageResponse): void {
    // what a customer reads: plain text (SSML as its text); a CustomPayload is for programs
    const texts = res.messages
      .filter((m) => m.contentType === 'PlainText' || m.contentType === 'SSML')
      .map((m) => (m.contentType === 'SSML' ? m.content.replace(/<[^>]*>/g, '') : m.content))
      .filter((c) => typeof c === 'string' && c.trim() !== '');
    if (texts.length === 0) texts.push('…');
    const meta: AnswerMeta = {
      turn: res.turn,
      language: res.language,
      source: res.source,
      citations: res.citations ?? [],
      quickReplies: res.quickReplies ?? [],
      ...(res.ticket ? { ticket: res.ticket } : {}),
      intent: res.intent,
      slots: res.slots,
      sentiment: res.sentiment,
    };
    texts.forEach((text, i) => {
      const entry: Entry = {
        kind: 'bot',
        id: this.nextId(),
        text,
        ...(i === texts.length - 1 ? { meta } : {}),
      };
      this.entries.push(entry);
      this.els.log.appendChild(this.renderEntry(entry));
    });
    this.persist();
    this.refreshQuickReplies();
    if (!this.els.devPanel.hidden) this.renderDevPanel(); // the identity is known by now
    this.scrollToEnd();
  }

  // ---- rendering ---------------------------------------------------------------------------------

  private renderEntry(entry: Entry): HTMLLIElement {
    const t = this.t;
    if (entry.kind === 'note') return h('li', { class: 'turn note' }, entry.text);
    if (entry.kind === 'user') {
      const li = h(
        'li',
        { class: 'turn user', 'data-id': entry.id },
        h('span', { class: 'visually-hidden' }, `${t.you}: `),
        h('div', { class: 'bubble' }, entry.text),
      );
      if (entry.failed) this.markUser(entry, li, new ApiError(0, NOT_SENT, '', 0));
      return li;
    }
    const li = h(
      'li',
      { class: 'turn bot', 'data-id': entry.id },
      h('span', { class: 'visually-hidden' }, `${t.bot}: `),
    );
    const bubble = h('div', { class: 'bubble' });
    bubble.appendChild(renderMarkdown(document, entry.text, this.opts.base));
    li.appendChild(bubble);
    const meta = entry.meta;
    if (!meta) return li;
    bubble.lang = meta.language;
    if (meta.citations.length) li.appendChild(this.renderCitations(meta));
    const footer = h('div', { class: 'answer-footer' });
    footer.appendChild(h('span', { class: 'language' }, t.answeredIn(languageName(meta.language, t.lang))));
    if (meta.ticket) footer.appendChild(h('span', { class: 'ticket' }, t.ticket(meta.ticket.reference)));
    if (meta.turn !== null) footer.appendChild(this.renderFeedback(entry.id, meta.turn, entry.feedback));
    li.appendChild(footer);
    if (meta.quickReplies.length) {
      const group = h('div', { class: 'quick-replies', role: 'group', 'aria-label': t.choices });
      for (const reply of meta.quickReplies) {
        group.appendChild(
          h(
            'button',
            {
              type: 'button',
              class: 'quick-reply',
              onclick: () => {
                if (this.pending) return;
                this.hideError();
                this.els.input.focus();
                void this.send({ kind: 'user', id: this.nextId(), text: reply.text, value: reply.value });
              },
            },
            reply.text,
          ),
        );
      }
      li.appendChild(group);
    }
    li.appendChild(this.renderDetails(meta));
    return li;
  }

  private renderCitations(meta: AnswerMeta): HTMLElement {
    const list = h('ul');
    for (const c of meta.citations) {
      list.appendChild(
        h(
          'li',
          {},
          citationLink(document, c.title, c.link, this.opts.base),
          c.snippet ? h('p', { class: 'snippet' }, c.snippet) : undefined,
        ),
      );
    }
    return h('div', { class: 'citations' }, h('p', { class: 'citations-title' }, this.t.sources), list);
  }

  private renderFeedback(entryId: string, turn: number, given: 'up' | 'down' | undefined): HTMLElement {
    const t = this.t;
    const status = h('span', { class: 'feedback-status', role: 'status' });
    const group = h('div', { class: 'feedback', role: 'group' });
    const buttons = (['up', 'down'] as const).map((kind) =>
      h(
        'button',
        {
          type: 'button',
          class: `icon-button thumb ${kind}`,
          'aria-label': kind === 'up' ? t.helpful : t.notHelpful,
          'aria-pressed': String(given === kind),
        },
        icon(kind === 'up' ? ICONS.thumbUp : ICONS.thumbDown, 16),
      ),
    );
    buttons.forEach((button, i) => {
      const kind = i === 0 ? 'up' : 'down';
      button.addEventListener('click', () => void this.sendFeedback(entryId, turn, kind, buttons, status));
    });
    append(group, ...buttons, status);
    return group;
  }

  private async sendFeedback(
    entryId: string,
    turn: number,
    kind: 'up' | 'down',
    buttons: HTMLButtonElement[],
    status: HTMLElement,
  ): Promise<void> {
    for (const b of buttons) b.disabled = true;
    status.classList.remove('failed');
    status.replaceChildren();
    try {
      await this.opts.api.sendFeedback(this.conversationId, { turn, helpful: kind === 'up' });
      buttons[0]!.setAttribute('aria-pressed', String(kind === 'up'));
      buttons[1]!.setAttribute('aria-pressed', String(kind === 'down'));
      status.textContent = this.t.feedbackThanks;
      const entry = this.entries.find((e) => e.id === entryId);
      if (entry?.kind === 'bot') this.replaceEntry({ ...entry, feedback: kind });
      this.persist();
    } catch {
      // never dropped silently: the customer sees it failed and may try again
      status.classList.add('failed');
      status.textContent = this.t.feedbackFailed;
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  }

  private renderDetails(meta: AnswerMeta): HTMLElement {
    const rows: [string, string][] = [];
    if (meta.intent.name) rows.push(['intent', meta.intent.name]);
    if (typeof meta.intent.confidence === 'number')
      rows.push(['confidence', `${Math.round(meta.intent.confidence * 100)}%`]);
    if (meta.intent.state) rows.push(['state', meta.intent.state]);
    if (meta.sentiment) rows.push(['sentiment', meta.sentiment]);
    rows.push(['source', meta.source]);
    for (const [name, value] of Object.entries(meta.slots)) if (value) rows.push([`slot ${name}`, value]);
    const dl = h('dl', { class: 'details' });
    for (const [name, value] of rows) append(dl, h('dt', {}, name), h('dd', {}, value));
    return dl;
  }

  /** Quick replies belong to the latest answer only: older ones go once the conversation moves on. */
  private refreshQuickReplies(): void {
    const groups = Array.from(this.els.log.querySelectorAll('.quick-replies'));
    const last = this.els.log.lastElementChild;
    for (const group of groups) if (group.parentElement !== last) group.remove();
  }

  private readDeveloper(): boolean {
    if (!this.opts.config.developerToggle) return false;
    try {
      return this.opts.storage?.getItem(DEV_KEY) === '1';
    } catch {
      return false;
    }
  }

  private setDeveloper(on: boolean, save = false): void {
    const enabled = on && this.opts.config.developerToggle;
    this.root.classList.toggle('developer', enabled);
    if (this.els.devToggle) this.els.devToggle.checked = enabled;
    this.els.devPanel.hidden = !enabled;
    if (enabled) this.renderDevPanel();
    if (save) {
      try {
        this.opts.storage?.setItem(DEV_KEY, enabled ? '1' : '0');
      } catch {
        // not kept: the toggle still works for this page
      }
    }
  }

  private renderDevPanel(): void {
    const info = { conversation: this.conversationId, ...(this.opts.developerInfo?.() ?? {}) };
    this.els.devPanel.replaceChildren();
    for (const [name, value] of Object.entries(info))
      if (value) append(this.els.devPanel, h('dt', {}, name), h('dd', {}, value));
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private replaceEntry(entry: Entry): void {
    const index = this.entries.findIndex((e) => e.id === entry.id);
    if (index >= 0) this.entries[index] = entry;
  }

  private persist(): void {
    this.opts.history.setCurrent({
      conversationId: this.conversationId,
      locale: this.locale,
      owner: this.owner,
    });
    this.opts.history.save(this.conversationId, this.entries);
  }

  private announce(text: string): void {
    this.els.status.textContent = text;
  }

  private showError(text: string): void {
    this.els.error.textContent = text;
    this.els.error.hidden = false;
    this.els.input.focus();
  }

  private hideError(): void {
    this.els.error.textContent = '';
    this.els.error.hidden = true;
  }

  private scrollToEnd(): void {
    const wrap = this.els.logWrap;
    wrap.scrollTop = wrap.scrollHeight;
  }

  private nextId(): string {
    this.seq += 1;
    return `${Date.now().toString(36)}-${this.seq}`;
  }
}

/** Entries as restored after a reload: a message still pending when the page went away is shown as not sent. */
function restore(entries: Entry[]): Entry[] {
  return entries.map((e) => {
    if (e.kind !== 'user' || !e.pending) return e;
    return { ...e, pending: undefined, failed: true };
  });
}
