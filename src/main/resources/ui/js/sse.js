// Streams a chat completion (POST /v1/chat/completions with stream: true) and parses the server-sent events as they
// arrive, with fetch and a ReadableStream (EventSource cannot POST or send headers).
import { base, headers, messageOf, ApiError, reportExpired } from './api.js';

/**
 * Calls onChunk(chunk) for every JSON event, in order. Resolves with the response headers when the stream ends
 * ([DONE] or the end of the body); rejects with an ApiError for an HTTP error or an error event inside the stream.
 */
export async function streamChat({ body, key, signal, onChunk }) {
  let res;
  try {
    res = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...headers({ key, json: true }), Accept: 'text/event-stream' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(`Could not reach the gateway (${e && e.message ? e.message : 'network error'}).`, 0, null);
  }
  if (!res.ok) {
    const text = await res.text();
    let data = null;
    try { data = JSON.parse(text); } catch { data = null; }
    const err = new ApiError(messageOf(res.status, data, text), res.status, data);
    if (res.status === 401 && !key) reportExpired(err.message);
    throw err;
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data = [];
  let done = false;

  const dispatch = () => {
    if (!data.length) return;
    const payload = data.join('\n');
    data = [];
    if (payload === '[DONE]') { done = true; return; }
    let event;
    try { event = JSON.parse(payload); } catch { return; } // not JSON: ignore, as OpenAI clients do
    if (event && event.error) {
      const e = event.error;
      throw new ApiError(typeof e === 'string' ? e : (e.message || 'The stream failed.'), e.code && Number(e.code) > 0 ? Number(e.code) : 500, event);
    }
    onChunk(event);
  };

  while (!done) {
    const { value, done: end } = await reader.read();
    if (end) break;
    buffer += decoder.decode(value, { stream: true });
    let nl;
    while (!done && (nl = buffer.indexOf('\n')) >= 0) {
      let line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '') dispatch();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      // "event:", "id:", "retry:" and comments (":") carry nothing the chat needs
    }
  }
  if (!done) dispatch();
  if (done) reader.cancel().catch(() => {});
  return res.headers;
}
