import Handlebars from 'handlebars';
import { Marked, type Token, type Tokens } from 'marked';
import type { Channel, NotificationKind } from '@mona/shared';

export type Locale = 'fr' | 'en';
export const LOCALES: readonly Locale[] = ['fr', 'en'];

export interface TemplateContent {
  locale: string;
  subject: string;
  body: string;
}

/** The wording in the locale asked for, else French (the agency's language), else whatever exists. */
export function pickContent<T extends TemplateContent>(contents: readonly T[], locale: string): T | undefined {
  return contents.find((c) => c.locale === locale) ?? contents.find((c) => c.locale === 'fr') ?? contents[0];
}

export interface RenderLinks {
  /** Rewrites an http(s) link of the body (click tracking); identity when absent. */
  click?: (url: string) => string;
  /** The 1×1 open pixel's URL; no pixel when absent. */
  openPixel?: string;
  /** The unsubscribe page; required for marketing emails. */
  unsubscribe?: string;
}

export interface RenderInput {
  channel: Channel;
  kind: NotificationKind;
  locale: string;
  subject: string;
  /** Markdown with Handlebars {{variables}}. */
  body: string;
  variables: Record<string, string | number>;
  links?: RenderLinks;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  /** Emails only. */
  html: string | null;
  /** Emails only: List-Unsubscribe and List-Unsubscribe-Post for marketing (RFC 2369, RFC 8058). */
  headers: Record<string, string>;
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!);
}

/**
 * A variable's value as literal text inside Markdown: every ASCII punctuation
 * character is backslash-escaped, so a value can never open a link, emphasis,
 * a heading or an autolink. For HTML the characters that matter to HTML become
 * entities instead (Markdown keeps entities as they are).
 */
function literal(value: string, target: 'html' | 'text'): string {
  return value.replace(ASCII_PUNCTUATION, (c) => (target === 'html' && HTML_ENTITIES[c] ? HTML_ENTITIES[c] : `\\${c}`));
}

const handlebars = Handlebars.create();

function fill(template: string, variables: Record<string, string | number>, transform: (value: string) => string, what: string): string {
  const values = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, transform(String(v))]));
  try {
    return handlebars.compile(template, { noEscape: true, strict: false, knownHelpersOnly: false })(values);
  } catch (error) {
    throw new TemplateError(`The ${what} cannot be rendered: ${(error as Error).message}`);
  }
}

const STYLE = {
  p: 'margin:0 0 16px 0;',
  h: 'margin:0 0 16px 0;font-weight:700;line-height:1.3;color:#111111;',
  a: 'color:#7a2e8a;text-decoration:underline;font-weight:600;',
  list: 'margin:0 0 16px 0;padding-left:24px;',
  li: 'margin:0 0 6px 0;',
  quote: 'margin:0 0 16px 0;padding:4px 0 4px 16px;border-left:3px solid #d9c7dd;color:#444444;',
  code: 'font-family:Consolas,Menlo,monospace;background:#f2eff4;padding:1px 4px;border-radius:3px;',
  hr: 'border:0;border-top:1px solid #e5e0d8;margin:24px 0;',
};

/** Markdown → email HTML: inline styles, no raw HTML from templates, no remote images. */
const htmlMarked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    image: ({ text }) => escapeHtml(text),
    paragraph({ tokens }) {
      return `<p style="${STYLE.p}">${this.parser.parseInline(tokens)}</p>\n`;
    },
    heading({ tokens, depth }) {
      const size = depth <= 1 ? 24 : depth === 2 ? 20 : 17;
      return `<h${depth} style="${STYLE.h}font-size:${size}px;">${this.parser.parseInline(tokens)}</h${depth}>\n`;
    },
    link({ href, title, tokens }) {
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href)}"${titleAttr} style="${STYLE.a}">${this.parser.parseInline(tokens)}</a>`;
    },
    list(token) {
      const tag = token.ordered ? 'ol' : 'ul';
      const start = token.ordered && token.start !== 1 && token.start !== '' ? ` start="${Number(token.start)}"` : '';
      const items = token.items.map((item) => `<li style="${STYLE.li}">${this.parser.parse(item.tokens)}</li>`).join('\n');
      return `<${tag}${start} style="${STYLE.list}">\n${items}\n</${tag}>\n`;
    },
    blockquote({ tokens }) {
      return `<blockquote style="${STYLE.quote}">${this.parser.parse(tokens)}</blockquote>\n`;
    },
    codespan: ({ text }) => `<code style="${STYLE.code}">${escapeHtml(text)}</code>`,
    hr: () => `<hr style="${STYLE.hr}">\n`,
  },
});

/** Markdown → readable plain text: links as "text (url)", lists with dashes, no markup. */
const textMarked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    space: () => '',
    code: ({ text }) => `${text}\n\n`,
    html: ({ text }) => text,
    image: ({ text }) => text,
    hr: () => '----\n\n',
    br: () => '\n',
    codespan: ({ text }) => text,
    checkbox: ({ checked }) => (checked ? '[x] ' : '[ ] '),
    heading({ tokens }) {
      return `${this.parser.parseInline(tokens)}\n\n`;
    },
    paragraph({ tokens }) {
      return `${this.parser.parseInline(tokens)}\n\n`;
    },
    blockquote({ tokens }) {
      const inner = this.parser.parse(tokens).trim();
      return `${inner
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n')}\n\n`;
    },
    list(token) {
      const start = token.ordered ? Number(token.start || 1) : 0;
      const items = token.items.map((item, i) => {
        const bullet = token.ordered ? `${start + i}. ` : '- ';
        return bullet + this.parser.parse(item.tokens).trim().replaceAll('\n', '\n  ');
      });
      return `${items.join('\n')}\n\n`;
    },
    table(token) {
      const row = (cells: Tokens.TableCell[]) => cells.map((c) => this.parser.parseInline(c.tokens)).join(' | ');
      return `${[row(token.header), ...token.rows.map(row)].join('\n')}\n\n`;
    },
    strong({ tokens }) {
      return this.parser.parseInline(tokens);
    },
    em({ tokens }) {
      return this.parser.parseInline(tokens);
    },
    del({ tokens }) {
      return this.parser.parseInline(tokens);
    },
    link({ href, tokens }) {
      const label = this.parser.parseInline(tokens);
      if (href.startsWith('mailto:')) return label;
      // A bare URL in the template: the (tracked) address alone.
      return /^(https?:\/\/|www\.)/i.test(label) ? href : `${label} (${href})`;
    },
    text(token) {
      if ('tokens' in token && token.tokens) return this.parser.parseInline(token.tokens);
      return unescapeHtml(token.text);
    },
  },
});

function rewriteLinks(tokens: Token[], marked: Marked, click: ((url: string) => string) | undefined): void {
  if (!click) return;
  // Synchronous: the callback returns nothing (walkTokens collects the callbacks' results).
  void marked.walkTokens(tokens, (token) => {
    if (token.type === 'link') (token as Tokens.Link).href = click((token as Tokens.Link).href);
  });
}

function markdownToHtml(markdown: string, click?: (url: string) => string): string {
  const tokens = htmlMarked.lexer(markdown);
  rewriteLinks(tokens, htmlMarked, click);
  return htmlMarked.parser(tokens);
}

export function markdownToText(markdown: string, click?: (url: string) => string): string {
  const tokens = textMarked.lexer(markdown);
  rewriteLinks(tokens, textMarked, click);
  return textMarked
    .parser(tokens)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const FOOTER = {
  fr: {
    reason: 'Vous recevez ce message parce que vous êtes en contact avec MONA x SPARK.',
    unsubscribe: 'Se désinscrire des e-mails marketing',
    unsubscribeText: 'Pour ne plus recevoir nos e-mails marketing :',
  },
  en: {
    reason: 'You are receiving this message because you are in touch with MONA x SPARK.',
    unsubscribe: 'Unsubscribe from marketing emails',
    unsubscribeText: 'To stop receiving our marketing emails:',
  },
} as const;

function emailLayout(options: { locale: Locale; subject: string; content: string; unsubscribe: string | null; openPixel: string | null }): string {
  const words = FOOTER[options.locale];
  const font = 'font-family:Arial,Helvetica,sans-serif;';
  const unsubscribe = options.unsubscribe
    ? `<p style="margin:8px 0 0 0;"><a href="${escapeHtml(options.unsubscribe)}" style="color:#555555;text-decoration:underline;">${words.unsubscribe}</a></p>`
    : '';
  const pixel = options.openPixel
    ? `<img src="${escapeHtml(options.openPixel)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;" aria-hidden="true">`
    : '';
  return `<!DOCTYPE html>
<html lang="${options.locale}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(options.subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f1ec;">
<div role="article" aria-roledescription="email" aria-label="${escapeHtml(options.subject)}" lang="${options.locale}">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f1ec;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background-color:#ffffff;border-radius:8px;">
<tr><td style="padding:20px 32px;background-color:#151515;border-radius:8px 8px 0 0;color:#ffffff;${font}font-size:18px;font-weight:700;letter-spacing:2px;">MONA × SPARK</td></tr>
<tr><td style="padding:32px;color:#1f1f1f;${font}font-size:16px;line-height:1.6;">
${options.content}</td></tr>
<tr><td style="padding:20px 32px;border-top:1px solid #e5e0d8;color:#555555;${font}font-size:13px;line-height:1.5;">
<p style="margin:0;">${words.reason}</p>
${unsubscribe}
</td></tr>
</table>
</td></tr>
</table>
${pixel}
</div>
</body>
</html>
`;
}

function asLocale(locale: string): Locale {
  return locale === 'en' ? 'en' : 'fr';
}

/**
 * One message from its template: the subject on one line; the body in plain
 * text (every channel) and, for email, in HTML inside the branded layout.
 * Variables are always literal text (escaped for Markdown and HTML). A
 * marketing email carries a visible unsubscribe link in both parts and the
 * one-click List-Unsubscribe headers.
 */
export function renderMessage(input: RenderInput): RenderedMessage {
  const locale = asLocale(input.locale);
  const links = input.links ?? {};
  const subject = fill(input.subject, input.variables, (v) => v, 'subject')
    .replace(/\s+/g, ' ')
    .trim();
  const textBody = markdownToText(
    fill(input.body, input.variables, (v) => literal(v, 'text'), 'body'),
    input.channel === 'email' ? links.click : undefined,
  );
  if (input.channel !== 'email') return { subject, text: textBody, html: null, headers: {} };

  const marketing = input.kind === 'marketing';
  if (marketing && !links.unsubscribe) throw new TemplateError('A marketing email needs an unsubscribe link');
  const unsubscribe = marketing ? links.unsubscribe! : null;
  const content = markdownToHtml(
    fill(input.body, input.variables, (v) => literal(v, 'html'), 'body'),
    links.click,
  );
  const html = emailLayout({ locale, subject, content, unsubscribe, openPixel: links.openPixel ?? null });
  const words = FOOTER[locale];
  const text = `${textBody}\n\n--\n${words.reason}${unsubscribe ? `\n${words.unsubscribeText} ${unsubscribe}` : ''}\n`;
  const headers: Record<string, string> = unsubscribe ? { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {};
  return { subject, text, html, headers };
}
