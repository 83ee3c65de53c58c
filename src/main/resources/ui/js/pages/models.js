// Models: every deployment the gateway serves (GET /model/info). Models from config.yaml are read-only; models added
// here live in the database and can be edited and deleted. Credentials are write-only: the API never returns them.
import { h, icon, replace, toast, errorBox, emptyState, badge, modal, confirmDialog, field, spinner, stack } from '../dom.js';
import { get, post } from '../api.js';
import { usd, perMillion } from '../format.js';

/** OpenAI-compatible services the gateway knows by prefix (they use the OpenAI provider with their own base URL). */
const COMPATIBLE = {
  groq: 'https://api.groq.com/openai/v1',
  mistral: 'https://api.mistral.ai/v1',
  deepseek: 'https://api.deepseek.com/v1',
  openrouter: 'https://openrouter.ai/api/v1',
  together_ai: 'https://api.together.xyz/v1',
  xai: 'https://api.x.ai/v1',
  fireworks_ai: 'https://api.fireworks.ai/inference/v1',
  perplexity: 'https://api.perplexity.ai',
  hosted_vllm: 'http://localhost:8000/v1',
  lm_studio: 'http://localhost:1234/v1',
};

/** Each provider's fields: [name, label, required, placeholder, hint]. */
const PROVIDERS = {
  openai: { label: 'OpenAI', note: 'or any OpenAI-style URL', fields: [
    ['model', 'Model', true, 'gpt-4o-mini'],
    ['api_base', 'API base', false, 'https://api.openai.com/v1', 'Leave empty for api.openai.com; set it for any OpenAI-compatible server.'],
    ['api_key', 'API key', false, 'sk-…'],
  ] },
  azure: { label: 'Azure OpenAI', note: 'a deployment on your resource', fields: [
    ['model', 'Deployment name', true, 'my-gpt-4o', 'The deployment\'s name in Azure AI Foundry, not the model\'s.'],
    ['api_base', 'Endpoint', true, 'https://my-resource.openai.azure.com'],
    ['api_version', 'API version', true, '2024-10-21'],
    ['api_key', 'API key', false, ''],
  ] },
  anthropic: { label: 'Anthropic', note: 'Claude models', fields: [
    ['model', 'Model', true, 'claude-3-5-haiku-latest'],
    ['api_key', 'API key', false, 'sk-ant-…'],
    ['api_base', 'API base', false, 'https://api.anthropic.com'],
  ] },
  gemini: { label: 'Google Gemini', note: 'Google AI Studio', fields: [
    ['model', 'Model', true, 'gemini-2.0-flash'],
    ['api_key', 'API key', false, 'AIza…'],
    ['api_base', 'API base', false, 'https://generativelanguage.googleapis.com'],
  ] },
  ollama: { label: 'Ollama', note: 'local models', fields: [
    ['model', 'Model', true, 'llama3.2'],
    ['api_base', 'API base', true, 'http://localhost:11434'],
  ] },
  compatible: { label: 'OpenAI-compatible', note: 'Groq, Mistral, vLLM…', fields: [
    ['prefix', 'Service', true],
    ['model', 'Model', true, 'llama-3.3-70b-versatile'],
    ['api_base', 'API base', false, '', 'Leave empty for the service\'s public URL.'],
    ['api_key', 'API key', false, ''],
  ] },
  mock: { label: 'Mock', note: 'built in, no network', fields: [
    ['model', 'Model id', true, 'demo'],
    ['mock_response', 'Reply text', false, 'Hello from the mock model!', 'Empty: the model echoes the last user message.'],
    ['mock_latency_ms', 'Latency (ms)', false, '0'],
    ['mock_tokens_per_second', 'Streaming speed (tokens/s)', false, 'as fast as possible'],
  ] },
};
const NUMERIC = new Set(['mock_latency_ms', 'mock_tokens_per_second']);

/** The provider picker entry and the form values for a stored model's litellm_params. */
function fromParams(params) {
  const model = String(params.model || '');
  const slash = model.indexOf('/');
  const prefix = slash > 0 ? model.slice(0, slash) : 'openai';
  const rest = slash > 0 ? model.slice(slash + 1) : model;
  const values = { ...params, model: rest };
  if (COMPATIBLE[prefix]) return { provider: 'compatible', values: { ...values, prefix } };
  if (PROVIDERS[prefix]) return { provider: prefix, values };
  return { provider: 'openai', values: { ...values, model } };
}

function toParams(provider, values) {
  const prefix = provider === 'compatible' ? values.prefix : provider;
  const params = { model: `${prefix}/${(values.model || '').trim()}` };
  for (const [name] of PROVIDERS[provider].fields) {
    if (name === 'model' || name === 'prefix') continue;
    const v = values[name];
    if (v === undefined || v === null || String(v).trim() === '') continue;
    params[name] = NUMERIC.has(name) ? Number(v) : String(v).trim();
  }
  return params;
}

export async function render(el, app) {
  const list = h('div', { class: 'card', id: 'models-list' }, spinner('Loading models…'));
  el.append(
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Models'),
        h('p', null, 'What the gateway serves at /v1/models. Models added here are stored in the database and served at once, without a restart.')),
      h('div', { class: 'actions' },
        h('button', { class: 'btn', onclick: () => load() }, icon('refresh'), 'Refresh'),
        h('button', { class: 'btn primary', id: 'add-model', onclick: () => editor(null, load) }, icon('plus'), 'Add model'))),
    list);

  async function load() {
    try {
      const info = await get('/model/info');
      draw(info.data || []);
    } catch (e) {
      replace(list, h('div', { class: 'card-body' }, errorBox(e, 'Could not load the models')));
    }
  }

  function draw(rows) {
    if (!rows.length) {
      replace(list, emptyState('No models yet', 'Add a model to start routing requests, or define some in config.yaml.',
        h('button', { class: 'btn primary', onclick: () => editor(null, load) }, icon('plus'), 'Add model')));
      return;
    }
    rows.sort((a, b) => a.model_name.localeCompare(b.model_name));
    const body = h('tbody');
    for (const m of rows) {
      const info = m.model_info || {};
      const params = m.litellm_params || {};
      const db = !!info.db_model;
      const pin = perMillion(info.input_cost_per_token), pout = perMillion(info.output_cost_per_token);
      body.appendChild(h('tr', { 'data-model': m.model_name, 'data-id': info.id },
        h('td', null, h('strong', null, m.model_name), h('span', { class: 'sub mono' }, info.id)),
        h('td', null, h('span', { class: 'mono' }, params.model || '–'),
          params.api_base ? h('span', { class: 'sub' }, params.api_base) : null),
        h('td', { class: 'num hide-sm' }, pin === null && pout === null ? h('span', { class: 'muted' }, '–')
          : [usd(pin), h('span', { class: 'muted' }, ' / '), usd(pout)]),
        h('td', null, db ? badge('database', 'info') : h('span', { class: 'badge', title: 'Defined in config.yaml: change it there and restart.' }, 'config.yaml · read-only')),
        h('td', null, h('div', { class: 'cell-actions' },
          h('button', { class: 'btn sm', onclick: (e) => testSaved(m, e.currentTarget) }, 'Test'),
          db ? h('button', { class: 'btn sm', 'data-action': 'edit', onclick: () => editor(m, load) }, 'Edit') : null,
          db ? h('button', { class: 'btn sm danger', 'data-action': 'delete', onclick: () => remove(m) }, 'Delete') : null))));
    }
    replace(list, h('div', { class: 'table-wrap' }, stack(h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'Name'), h('th', null, 'Provider model'),
        h('th', { class: 'num hide-sm', title: 'USD per million tokens, input / output' }, 'Price per 1M (in / out)'),
        h('th', null, 'Source'), h('th', { class: 'right' }, ''))),
      body))));
  }

  async function testSaved(m, btn) {
    btn.disabled = true;
    const label = btn.textContent;
    btn.textContent = 'Testing…';
    try {
      const r = await post('/model/test', { model_info: { id: m.model_info.id } });
      if (r.ok) toast(`${m.model_name}: connected in ${r.latency_ms} ms.`, 'ok');
      else toast(`${m.model_name}: ${r.error.message}`, 'err', 8000);
    } catch (e) {
      toast(`${m.model_name}: ${e.message}`, 'err', 8000);
    } finally {
      btn.disabled = false;
      btn.textContent = label;
    }
  }

  async function remove(m) {
    const ok = await confirmDialog({ title: `Delete ${m.model_name}?`, confirm: 'Delete model',
      message: `The deployment ${m.model_info.id} stops serving at once. Clients asking for "${m.model_name}" get an error unless another deployment serves that name.` });
    if (!ok) return;
    try {
      await post('/model/delete', { id: m.model_info.id });
      toast(`Deleted ${m.model_name}.`, 'ok');
      load();
    } catch (e) {
      toast(`Could not delete ${m.model_name}: ${e.message}`, 'err', 8000);
    }
  }

  await load();
}

/** The add/edit dialog. `existing` is a /model/info entry (edit) or null (add). */
function editor(existing, reload) {
  const editing = !!existing;
  const parsed = editing ? fromParams(existing.litellm_params || {}) : { provider: 'openai', values: {} };
  let provider = parsed.provider;
  const values = { ...parsed.values };
  const info = editing ? (existing.model_info || {}) : {};

  const name = h('input', { id: 'model-name', value: editing ? existing.model_name : '', placeholder: 'gpt-4o-mini', autocomplete: 'off' });
  const priceIn = h('input', { id: 'price-in', type: 'number', min: '0', step: 'any', placeholder: 'from the price table',
    value: info.input_cost_per_token != null && editing ? String(+(info.input_cost_per_token * 1e6).toPrecision(6)) : '' });
  const priceOut = h('input', { id: 'price-out', type: 'number', min: '0', step: 'any', placeholder: 'from the price table',
    value: info.output_cost_per_token != null && editing ? String(+(info.output_cost_per_token * 1e6).toPrecision(6)) : '' });
  const fields = h('div', { class: 'form' });
  const picker = h('div', { class: 'providers', role: 'radiogroup', 'aria-label': 'Provider' });
  const result = h('div', { id: 'test-result', class: 'grow' });

  function drawPicker() {
    replace(picker, Object.entries(PROVIDERS).map(([id, p]) => h('button', {
      type: 'button', class: `provider${id === provider ? ' on' : ''}`, role: 'radio', 'aria-checked': String(id === provider),
      'data-provider': id, onclick: () => { provider = id; drawPicker(); drawFields(); },
    }, h('strong', null, p.label), h('span', null, p.note))));
  }

  function drawFields() {
    const spec = PROVIDERS[provider];
    const inputs = spec.fields.map(([fname, label, required, placeholder, hint]) => {
      let input;
      if (fname === 'prefix') {
        input = h('select', { id: 'f-prefix', onchange: (e) => { values.prefix = e.target.value; drawFields(); } },
          Object.keys(COMPATIBLE).map((p) => h('option', { value: p, selected: values.prefix === p }, p)));
        if (!values.prefix) values.prefix = Object.keys(COMPATIBLE)[0];
      } else if (fname === 'api_key') {
        input = h('input', { id: 'f-api_key', type: 'password', autocomplete: 'new-password', spellcheck: 'false',
          placeholder: editing ? '•••••• stored — leave empty to keep' : (placeholder || ''),
          oninput: (e) => { values.api_key = e.target.value; } });
        hint = editing
          ? 'Write-only: stored encrypted and never shown again. Changing the API base or provider needs the key again.'
          : 'Write-only: stored encrypted and never shown again. os.environ/NAME reads it from the environment, for the variables the operator allows.';
      } else {
        const ph = fname === 'api_base' && provider === 'compatible' ? COMPATIBLE[values.prefix] || '' : (placeholder || '');
        input = h('input', { id: `f-${fname}`, value: values[fname] != null ? String(values[fname]) : '', placeholder: ph,
          type: NUMERIC.has(fname) ? 'number' : 'text', min: NUMERIC.has(fname) ? '0' : null, autocomplete: 'off', spellcheck: 'false',
          oninput: (e) => { values[fname] = e.target.value; } });
      }
      return field(label, input, hint, required);
    });
    const rows = [];
    for (let i = 0; i < inputs.length; i += 2) rows.push(h('div', { class: 'row' }, inputs.slice(i, i + 2)));
    replace(fields, rows);
  }

  function body() {
    const spec = PROVIDERS[provider];
    for (const [fname, label, required] of spec.fields) {
      if (required && !String(values[fname] || '').trim()) throw new Error(`${label} is required for ${spec.label}.`);
    }
    const params = toParams(provider, values);
    if (editing && !('api_key' in params) && spec.fields.some(([f]) => f === 'api_key')) params.api_key = ''; // keep the stored key
    const modelInfo = {};
    if (priceIn.value !== '') modelInfo.input_cost_per_token = Number(priceIn.value) / 1e6;
    if (priceOut.value !== '') modelInfo.output_cost_per_token = Number(priceOut.value) / 1e6;
    const out = { model_name: name.value.trim(), litellm_params: params, model_info: modelInfo };
    if (!out.model_name) throw new Error('Give the model a name: the name clients ask for in "model".');
    if (editing) out.model_info.id = info.id;
    return out;
  }

  const testBtn = h('button', { class: 'btn', type: 'button', id: 'test-connection', onclick: async () => {
    let req;
    try { req = body(); } catch (e) { replace(result, h('span', { class: 'badge err' }, e.message)); return; }
    testBtn.disabled = true;
    replace(result, h('span', { class: 'muted' }, h('span', { class: 'spinner sm' }), ' Sending a one-token request…'));
    try {
      const r = await post('/model/test', req);
      replace(result, r.ok ? h('span', { class: 'badge ok', id: 'test-ok' }, h('span', { class: 'dot' }), `Connected in ${r.latency_ms} ms`)
        : h('div', { class: 'alert err small' }, h('div', { class: 'msg' }, h('strong', null, 'The provider refused the test call'), r.error.message)));
    } catch (e) {
      replace(result, h('div', { class: 'alert err small' }, h('div', { class: 'msg' }, e.message)));
    } finally {
      testBtn.disabled = false;
    }
  } }, 'Test connection');

  const error = h('div');
  // Enter submits through this hidden button; the visible one sits in the dialog's footer.
  const hiddenSubmit = h('button', { type: 'submit', class: 'hidden', tabindex: '-1', 'aria-hidden': 'true' });
  const save = h('button', { class: 'btn primary', type: 'button', id: 'save-model', onclick: () => form.requestSubmit() },
    editing ? 'Save changes' : 'Add model');
  const form = h('form', { class: 'form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    replace(error);
    let req;
    try { req = body(); } catch (err) { replace(error, errorBox(err, 'Check the form')); return; }
    save.disabled = true;
    try {
      const saved = await post(editing ? '/model/update' : '/model/new', req);
      m.close();
      toast(editing ? `Saved ${saved.model_name}.` : `Added ${saved.model_name}: it is served at /v1/models now.`, 'ok');
      reload();
    } catch (err) {
      replace(error, errorBox(err, editing ? 'The model was not saved' : 'The model was not added'));
      save.disabled = false;
    }
  } },
  field('Model name', name, 'What clients send as "model". Several deployments may share a name; the router balances them.', true),
  h('div', { class: 'field' }, h('span', null, 'Provider'), picker),
  fields,
  h('details', { class: 'more', open: editing && (priceIn.value || priceOut.value) ? true : null },
    h('summary', null, 'Prices (optional)'),
    h('div', { class: 'row' },
      field('Input, USD per 1M tokens', priceIn),
      field('Output, USD per 1M tokens', priceOut)),
    h('p', { class: 'hint muted small' }, 'Without prices the bundled price table is used; unknown models cost $0.')),
  error, hiddenSubmit);

  drawPicker();
  drawFields();
  const m = modal({
    title: editing ? `Edit ${existing.model_name}` : 'Add a model',
    wide: true,
    body: form,
    footer: [result, testBtn, h('button', { class: 'btn', type: 'button', onclick: () => m.close() }, 'Cancel'), save],
  });
}
