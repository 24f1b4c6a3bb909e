// The public API, as this page calls it: `GET /api/v1/...` relative to the page's own
// origin. A non-2xx answer becomes an ApiError carrying the server's JSON message, so a view
// can show it instead of an empty panel.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** GETs `/api/v1/{path}` with `params` (arrays repeat the parameter; null/'' are left out)
 * and returns the parsed JSON. */
export async function get(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v == null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else q.append(k, String(v));
  }
  const qs = q.toString();
  const url = `/api/v1/${path}${qs ? `?${qs}` : ''}`;
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new ApiError(0, 'network', `${url}: ${e.message}`);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const err = body && body.error ? body.error : { code: 'http', message: `${response.status} ${response.statusText}` };
    throw new ApiError(response.status, err.code, err.message);
  }
  return body;
}

/** `encodeURIComponent` for an id in a path segment. */
export function seg(id) {
  return encodeURIComponent(id);
}
