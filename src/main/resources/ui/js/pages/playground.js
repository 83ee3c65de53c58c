// Playground: chat with any model through the gateway, streamed, with a system prompt, temperature and max tokens.
// Each reply shows time to first token, total latency, tokens and cost (usage × the deployment's prices from
// /model/info). With a virtual key pasted in, requests use it instead of the session: its models, limits and budget apply.
import { h, icon, replace, errorBox, field } from '../dom.js';
import { get } from '../api.js';
import { streamChat } from '../sse.js';
import { usd, ms, num } from '../format.js';

export async function render(el) {
  const messages = []; // the conversation sent with each request (user and assistant turns)
  let controller = null;
  let prices = { byId: new Map(), byName: new Map() };

  const model = h('select', { id: 'pg-model', 'aria-label': 'Model' });
  const keyInput = h('input', { id: 'pg-key', type: 'password', placeholder: 'sk-… (optional)', autocomplete: 'off', spellcheck: 'false' });
  const system = h('textarea', { id: 'pg-system', rows: '4', placeholder: 'You are a helpful assistant.' });
  const temperature = h('input', { id: 'pg-temperature', type: 'range', min: '0', max: '2', step: '0.1', value: '1' });
  const tempOut = h('output', null, '1.0');
  temperature.addEventListener('input', () => { tempOut.textContent = Number(temperature.value).toFixed(1); });
  const maxTokens = h('input', { id: 'pg-max-tokens', type: 'number', min: '1', step: '1', placeholder: 'model default' });
  const modelsNote = h('div', { class: 'small muted', id: 'pg-models-note' });

  const list = h('div', { class: 'messages', id: 'pg-messages' });
  const input = h('textarea', { id: 'pg-input', rows: '3', placeholder: 'Send a message (Enter to send, Shift+Enter for a new line)' });
  const send = h('button', { class: 'btn primary', id: 'pg-send', type: 'submit' }, icon('send'), 'Send');
  const stop = h('button', { class: 'btn hidden', id: 'pg-stop', type: 'button', onclick: () => controller && controller.abort() }, icon('stop'), 'Stop');
  const clearBtn = h('button', { class: 'btn ghost', type: 'button', onclick: () => { messages.length = 0; showEmpty(); } }, 'Clear chat');

  function showEmpty() {
    replace(list, h('div', { class: 'empty', id: 'pg-empty' }, icon('playground'), h('h3', null, 'Try a model'),
      h('p', null, 'Pick a model and send a message. Replies stream through the gateway like any client\'s, and count in usage.')));
  }

  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); composer.requestSubmit(); }
  });

  const composer = h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); ask(); } },
    input, h('div', { class: 'actions' }, clearBtn, h('div', { class: 'actions' }, stop, send)));

  el.append(
    h('div', { class: 'page-head' }, h('div', null, h('h1', null, 'Playground'),
      h('p', null, 'Chat with any model through the gateway, streamed, with latency, tokens and cost per reply.'))),
    h('div', { class: 'play' },
      h('div', { class: 'card' }, h('div', { class: 'card-body form' },
        field('Model', model),
        modelsNote,
        // open on a laptop; folded on a phone so the chat is one scroll away
        h('details', { class: 'pg-options', open: !window.matchMedia('(max-width: 980px)').matches },
          h('summary', null, 'Options'),
          h('div', { class: 'form' },
            field('System prompt', system),
            h('label', { class: 'field' }, h('span', null, 'Temperature'), h('div', { class: 'range-row' }, temperature, tempOut)),
            field('Max tokens', maxTokens),
            field('Virtual key', keyInput, 'Optional. Paste a key to chat as that key (its models, limits and budget apply); empty uses your admin session.'))))),
      h('div', { class: 'card chat' }, list, composer)));
  showEmpty();

  async function loadModels() {
    const key = keyInput.value.trim() || undefined;
    const current = model.value;
    replace(modelsNote);
    try {
      const r = await get('/v1/models', { key });
      const ids = (r.data || []).map((m) => m.id).sort();
      replace(model, ids.length ? ids.map((id) => h('option', { value: id, selected: id === current }, id)) : h('option', { value: '' }, 'No models'));
      if (!ids.length) replace(modelsNote, key ? 'This key may not use any model.' : 'No models yet: add one on the Models page.');
    } catch (e) {
      replace(model, h('option', { value: '' }, '—'));
      replace(modelsNote, errorBox(e, key ? 'The virtual key was refused' : 'Could not list the models'));
    }
  }

  async function loadPrices() {
    try {
      const info = await get('/model/info');
      const byId = new Map(), byName = new Map();
      for (const m of info.data || []) {
        const p = { input: m.model_info.input_cost_per_token, output: m.model_info.output_cost_per_token };
        byId.set(m.model_info.id, p);
        if (!byName.has(m.model_name)) byName.set(m.model_name, p);
      }
      prices = { byId, byName };
    } catch {
      // without prices the cost shows as unknown
    }
  }

  keyInput.addEventListener('change', loadModels);

  function bubble(role, text) {
    const b = h('div', { class: 'bubble' }, text);
    const metrics = h('div', { class: 'metrics' });
    const node = h('div', { class: `msg ${role}` }, h('div', { class: 'who' }, role === 'user' ? 'You' : 'Assistant'), b, metrics);
    if (list.querySelector('#pg-empty')) list.textContent = '';
    list.appendChild(node);
    list.scrollTop = list.scrollHeight;
    return { node, b, metrics };
  }

  async function ask() {
    const text = input.value.trim();
    if (!text || controller) return;
    if (!model.value) { replace(modelsNote, errorBox(new Error('Choose a model first.'), 'No model')); return; }
    input.value = '';
    messages.push({ role: 'user', content: text });
    bubble('user', text);
    const out = bubble('assistant', '');
    out.node.dataset.state = 'streaming';
    out.b.classList.add('streaming');

    const body = { model: model.value, messages: [], stream: true, stream_options: { include_usage: true } };
    if (system.value.trim()) body.messages.push({ role: 'system', content: system.value.trim() });
    body.messages.push(...messages);
    body.temperature = Number(temperature.value);
    if (maxTokens.value) body.max_tokens = Number(maxTokens.value);

    controller = new AbortController();
    send.disabled = true;
    stop.classList.remove('hidden');
    const t0 = performance.now();
    let ttft = null;
    let reply = '';
    let usage = null;
    let headers = null;
    try {
      headers = await streamChat({
        body, key: keyInput.value.trim() || undefined, signal: controller.signal,
        onChunk: (c) => {
          if (c.usage) usage = c.usage;
          const d = c.choices && c.choices[0] && c.choices[0].delta;
          if (d && d.content) {
            if (ttft === null) ttft = performance.now() - t0;
            reply += d.content;
            out.b.textContent = reply;
            list.scrollTop = list.scrollHeight;
          }
        },
      });
      messages.push({ role: 'assistant', content: reply });
      out.node.dataset.state = 'done';
    } catch (e) {
      out.node.dataset.state = e && e.name === 'AbortError' ? 'stopped' : 'error';
      if (e && e.name === 'AbortError') {
        if (reply) messages.push({ role: 'assistant', content: reply });
        out.metrics.appendChild(h('span', { class: 'metric' }, 'stopped'));
      } else {
        messages.pop(); // the failed turn is not part of the conversation
        out.b.remove();
        out.node.insertBefore(errorBox(e, 'The model did not answer'), out.metrics);
      }
    } finally {
      out.b.classList.remove('streaming');
      controller = null;
      send.disabled = false;
      stop.classList.add('hidden');
      input.focus();
    }
    const total = performance.now() - t0;
    const deployment = headers && headers.get('x-gateway-model-id');
    const price = (deployment && prices.byId.get(deployment)) || prices.byName.get(body.model);
    const parts = [];
    if (ttft !== null) parts.push(['ttft', `TTFT ${ms(ttft)}`]);
    parts.push(['latency', `${ms(total)} total`]);
    if (usage) {
      parts.push(['tokens', `${num(usage.prompt_tokens)} in · ${num(usage.completion_tokens)} out`]);
      if (price && (price.input != null || price.output != null)) {
        const cost = (usage.prompt_tokens || 0) * (price.input || 0) + (usage.completion_tokens || 0) * (price.output || 0);
        parts.push(['cost', usd(cost)]);
      } else {
        parts.push(['cost', 'cost unknown']);
      }
    }
    if (deployment) parts.push(['deployment', deployment]);
    if (out.node.dataset.state !== 'error') {
      for (const [k, v] of parts) out.metrics.appendChild(h('span', { class: 'metric', 'data-metric': k }, v));
    }
    list.scrollTop = list.scrollHeight;
  }

  await Promise.all([loadModels(), loadPrices()]);
  return () => { if (controller) controller.abort(); };
}
