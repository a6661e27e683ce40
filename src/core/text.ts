/**
 * Characters a message shows escaped, as `\u0000`: controls (C0, DEL, C1), lone surrogates, and
 * characters that are invisible or reorder the text around them (no-break and zero-width spaces,
 * soft hyphen, bidirectional controls, line and paragraph separators, byte-order mark). Input
 * copied raw into a message could otherwise hide itself, or garble a terminal.
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u00a0\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]/gu;

/** `text` with every character of INVISIBLE written as a `\uXXXX` escape. */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
