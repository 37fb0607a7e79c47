/**
 * Text from a server (image names, hosts, error messages) inside Markdown tooltips. Escaped, it
 * reads as the characters it is: no links, no images, no HTML, no broken table rows.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text).replace(/[\\`*_{}[\]<>()#+\-.!|~&]/g, (c) => `\\${c}`);
}

/**
 * `text` as inline code when that is safe (characters a code span cannot be broken out of, and no
 * `|` to split a table row); otherwise as escaped plain text.
 */
export function codeSpan(text: string): string {
  const line = oneLine(text);
  return /^[A-Za-z0-9@:./_+,=\- ]+$/.test(line) ? `\`${line}\`` : escapeMarkdown(line);
}

/** Line breaks would end a table row or a paragraph; long runs of space are noise. */
function oneLine(text: string): string {
  return String(text).replace(/\s+/g, ' ').trim();
}
