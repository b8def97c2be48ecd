/**
 * Reading the relay's JSON answers over HTTP, shared by the SDK's calls and the admin console: an
 * answer that is empty or not JSON (a proxy's error page, a cut connection) reads as null instead of
 * throwing a parse error that would hide the HTTP status.
 * @module http-json
 */

/**
 * The parsed body of a response, or null when it is empty or not JSON.
 * @param {Response} response
 * @returns {Promise<any>}
 */
export async function readJsonBody(response) {
  const text = await response.text();
  if (!text) {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The relay's explanation in an error body, if it gave one: `message` (the relay's own errors),
 * `error` (login), or the first of Micronaut's `_embedded.errors`.
 * @param {any} body a body read by {@link readJsonBody}
 * @returns {string | undefined}
 */
export function errorDetail(body) {
  const detail = body?.message ?? body?.error ?? body?._embedded?.errors?.[0]?.message;
  return detail == null ? undefined : String(detail);
}
