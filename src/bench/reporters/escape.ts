/** Escaping for each output language. Every string that comes from data passes through one of these. */

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value in HTML/SVG. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

const LATEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
  '∞': '$\\infty$',
  '×': '$\\times$',
  '–': '--',
  '—': '---',
};

/** Text in a LaTeX document body (also safe inside \textbf{}). Newlines become spaces. */
export function escapeLatex(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\\&%$#_{}~^<>|∞×–—]/g, (c) => LATEX_SPECIALS[c]);
}

/** A LaTeX comment line holds anything but a line break. */
export function latexComment(text: string): string {
  return `% ${text.replace(/[\r\n]+/g, ' ')}`.trimEnd();
}

/**
 * Text inside a Markdown line (table cell, list item after "- "): characters that could open inline
 * markup, a table cell, an HTML tag, an entity or math are backslash-escaped.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\\`*_[\]<>|~&$]/g, (c) => `\\${c}`);
}

/**
 * A relative file path as a URL reference: each segment percent-encoded (so `#`, `?`, `%` and spaces
 * stay part of the file name), Windows separators turned into `/`. The result still needs escapeHtml.
 */
export function pathToUrl(path: string): string {
  const normalized = path.replace(/\\/g, '/');
  const encoded = normalized
    .split('/')
    .map((segment) => (segment === '.' || segment === '..' ? segment : encodeURIComponent(segment)))
    .join('/');
  return normalized.startsWith('/') ? `file://${encoded}` : encoded;
}
