// The local platform's chat page: plain JavaScript, no build step. Talks to the same channel
// API contract as the deployed stage: POST /v1/conversations/{conversationId}/messages.
'use strict';

(function () {
  // What "a character" is, as the channel and Lex count it: one Unicode code point (an emoji is
  // one, not the two UTF-16 units of `length` or of an input's `maxlength`). Mirrors
  // src/util/characters.ts, which this page cannot import (no build step).
  const MAX_CHARACTERS = 1024;

  function characterCount(text) {
    let count = 0;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      const next = text.charCodeAt(i + 1);
      if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
      count++;
    }
    return count;
  }

  const TEXT = {
    en_US: {
      lang: 'en',
      title: 'Customer support',
      subtitle: 'Local platform: Lex stand-in, real handlers, no AWS account',
      language: 'Language',
      newConversation: 'New conversation',
      conversation: 'Conversation',
      message: 'Your message',
      placeholder: 'e.g. Where is my order ORD-12345?',
      hint: 'Press Enter to send. Up to 1,024 characters.',
      send: 'Send',
      you: 'You',
      bot: 'Bot',
      intent: 'intent',
      confidence: 'confidence',
      sentiment: 'sentiment',
      state: 'state',
      empty: 'Please type a message first.',
      tooLong: (count, max) => 'Your message has ' + count + ' characters; the limit is ' + max + '.',
      network: 'The server could not be reached. Is `npm start` still running?',
      failed: 'The message could not be sent',
      switched: 'Language switched to English.',
      started: 'New conversation started.',
      healthy: 'All dependencies up',
      degraded: 'Degraded',
    },
    es_US: {
      lang: 'es',
      title: 'Atención al cliente',
      subtitle: 'Plataforma local: Lex simulado, handlers reales, sin cuenta de AWS',
      language: 'Idioma',
      newConversation: 'Nueva conversación',
      conversation: 'Conversación',
      message: 'Tu mensaje',
      placeholder: 'p. ej. ¿Dónde está mi pedido ORD-12345?',
      hint: 'Pulsa Intro para enviar. Hasta 1.024 caracteres.',
      send: 'Enviar',
      you: 'Tú',
      bot: 'Bot',
      intent: 'intención',
      confidence: 'confianza',
      sentiment: 'sentimiento',
      state: 'estado',
      empty: 'Escribe un mensaje primero.',
      tooLong: (count, max) => 'Tu mensaje tiene ' + count + ' caracteres; el límite es ' + max + '.',
      network: 'No se pudo contactar con el servidor. ¿Sigue ejecutándose `npm start`?',
      failed: 'No se pudo enviar el mensaje',
      switched: 'Idioma cambiado a español.',
      started: 'Nueva conversación iniciada.',
      healthy: 'Todas las dependencias activas',
      degraded: 'Degradado',
    },
  };

  const $ = (id) => document.getElementById(id);
  const log = $('log');
  const form = $('composer');
  const input = $('message');
  const send = $('send');
  const localeSelect = $('locale');
  const errorBox = $('error');
  const countEl = $('message-count');
  const conversationEl = $('conversation-id');
  const healthEl = $('health');

  let locale = 'en_US';
  let conversationId = newConversationId();

  function newConversationId() {
    const random =
      window.crypto && crypto.randomUUID
        ? crypto.randomUUID()
        : String(Date.now()) + Math.random().toString(16).slice(2);
    return 'web-' + random;
  }

  function t(key) {
    return TEXT[locale][key];
  }

  function formatCount(n) {
    return n.toLocaleString(t('lang') === 'es' ? 'es-ES' : 'en-US', { useGrouping: 'always' });
  }

  /** The counter under the box: characters of the message as it will be sent (trimmed). */
  function updateCount() {
    const count = characterCount(input.value.trim());
    countEl.textContent = formatCount(count) + ' / ' + formatCount(MAX_CHARACTERS);
    countEl.classList.toggle('over', count > MAX_CHARACTERS);
    return count;
  }

  function applyLanguage() {
    document.documentElement.lang = t('lang');
    $('title').textContent = t('title');
    $('subtitle').textContent = t('subtitle');
    $('locale-label').textContent = t('language');
    $('new-conversation').textContent = t('newConversation');
    $('conversation-label').textContent = t('conversation');
    $('message-label').textContent = t('message');
    $('message-hint').textContent = t('hint');
    input.placeholder = t('placeholder');
    send.textContent = t('send');
    document.title = t('title') + ' — local';
    updateCount();
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function clearError() {
    errorBox.textContent = '';
    errorBox.hidden = true;
  }

  function scrollToEnd() {
    const wrap = log.parentElement;
    wrap.scrollTop = wrap.scrollHeight;
  }

  function addNote(text) {
    const li = document.createElement('li');
    li.className = 'turn note';
    const p = document.createElement('p');
    p.className = 'who';
    p.textContent = text;
    li.appendChild(p);
    log.appendChild(li);
    scrollToEnd();
  }

  function addTurn(who, text, details) {
    const li = document.createElement('li');
    li.className = 'turn ' + who;
    const label = document.createElement('span');
    label.className = 'who';
    label.textContent = who === 'user' ? t('you') : t('bot');
    const bubble = document.createElement('p');
    bubble.className = 'bubble';
    bubble.textContent = text;
    bubble.lang = t('lang');
    li.appendChild(label);
    li.appendChild(bubble);
    if (details && details.length) {
      const ul = document.createElement('ul');
      ul.className = 'details';
      for (const [name, value, cls] of details) {
        const item = document.createElement('li');
        if (cls) item.className = cls;
        item.append(name + ': ');
        const b = document.createElement('b');
        b.textContent = value;
        item.appendChild(b);
        ul.appendChild(item);
      }
      li.appendChild(ul);
    }
    log.appendChild(li);
    scrollToEnd();
    return li;
  }

  async function sendMessage(text) {
    clearError();
    if (!text.trim()) {
      showError(t('empty'));
      input.focus();
      return;
    }
    const count = characterCount(text.trim());
    if (count > MAX_CHARACTERS) {
      showError(t('tooLong')(formatCount(count), formatCount(MAX_CHARACTERS)));
      input.focus();
      return;
    }
    addTurn('user', text);
    input.value = '';
    updateCount();
    send.disabled = true;
    input.setAttribute('aria-busy', 'true');
    try {
      const res = await fetch('/v1/conversations/' + encodeURIComponent(conversationId) + '/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: text, locale: locale, channel: 'web' }),
      });
      let body = null;
      try {
        body = await res.json();
      } catch (e) {
        body = null;
      }
      if (!res.ok) {
        const err = body && body.error;
        const detail = err
          ? err.message + (err.field ? ' (' + err.field + ')' : '')
          : body && body.message
            ? body.message
            : 'HTTP ' + res.status;
        showError(t('failed') + ': ' + detail);
        return;
      }
      const intent = body.intent || {};
      const details = [];
      if (intent.name) details.push([t('intent'), intent.name]);
      if (typeof intent.confidence === 'number')
        details.push([t('confidence'), Math.round(intent.confidence * 100) + '%']);
      if (body.sentiment) details.push([t('sentiment'), body.sentiment, 'sentiment-' + body.sentiment]);
      if (intent.state) details.push([t('state'), intent.state]);
      for (const [name, value] of Object.entries(body.slots || {})) {
        if (value) details.push([name, value]);
      }
      const messages = (body.messages || []).map((m) => m.content).filter(Boolean);
      if (messages.length === 0) messages.push('…');
      messages.forEach((content, i) => addTurn('bot', content, i === messages.length - 1 ? details : []));
    } catch (e) {
      showError(t('network'));
    } finally {
      send.disabled = false;
      input.removeAttribute('aria-busy');
      input.focus();
    }
  }

  async function loadHealth() {
    try {
      const res = await fetch('/v1/health');
      const body = await res.json();
      const deps = body.dependencies || {};
      const parts = Object.entries(deps)
        .filter(([, d]) => d.state !== 'off')
        .map(([name, d]) => name + ': ' + d.kind + (d.state === 'up' ? '' : ' (' + d.state + ')'));
      healthEl.textContent =
        (body.status === 'ok' ? t('healthy') : t('degraded')) + ' — ' + parts.join(' · ');
    } catch (e) {
      healthEl.textContent = '';
    }
  }

  input.addEventListener('input', updateCount);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void sendMessage(input.value);
  });

  localeSelect.addEventListener('change', () => {
    locale = localeSelect.value === 'es_US' ? 'es_US' : 'en_US';
    applyLanguage();
    addNote(t('switched'));
    void loadHealth();
  });

  $('new-conversation').addEventListener('click', () => {
    conversationId = newConversationId();
    conversationEl.textContent = conversationId;
    log.innerHTML = '';
    clearError();
    addNote(t('started'));
    input.focus();
  });

  conversationEl.textContent = conversationId;
  applyLanguage();
  void loadHealth();
  input.focus();
})();
