// REST calls and the /ws address, both carrying ?token= from the page's own URL when there is one.

const token = new URLSearchParams(location.search).get('token');

/** The largest event id a query may name: "before" this pages from the newest event. */
export const NEWEST = '9223372036854775807';

export function withToken(path) {
  if (!token) return path;
  return path + (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token);
}

export function wsUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return withToken(`${scheme}//${location.host}/ws`);
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function getJson(path, params = {}) {
  const query = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const response = await fetch(withToken(query ? `${path}?${query}` : path), { cache: 'no-store' });
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: handled below
  }
  if (!response.ok) {
    throw new ApiError(response.status, body?.error ?? 'http_' + response.status,
      body?.message ?? `${path} answered ${response.status}`);
  }
  return body;
}

/** A page of events, newest first, before an id (exclusive). */
export function eventsBefore(before, limit, kind) {
  return getJson('/api/events', { before, limit, kind });
}
