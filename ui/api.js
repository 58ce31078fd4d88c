// The API of vhcvd, as the pages call it: the session cookie goes by
// itself, the CSRF token of the session on every unsafe request.
let csrf = null;
export function setCsrf(token) { csrf = token; }

export class ApiError extends Error {
  constructor(status, data) {
    super((data && data.message) || `HTTP ${status}`);
    this.status = status;
    this.data = data || {};
  }
}

export async function api(method, path, body, contentType) {
  const headers = {};
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = contentType || body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  const r = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  let data = null;
  if ((r.headers.get('Content-Type') || '').startsWith('application/json')) data = await r.json();
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

export const enc = encodeURIComponent;

// an idempotency key: a double click or a retry never makes two cases
export function newKey(prefix) {
  const b = new Uint8Array(12);
  crypto.getRandomValues(b);
  return prefix + '-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
