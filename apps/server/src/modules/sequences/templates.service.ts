import Handlebars from 'handlebars';
import type { Db } from '../../platform/db/client.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import { renderMessage, TemplateError } from '../notifications/render.ts';
import { assertTeam, fieldError } from '../users/team.ts';
import type { TemplateRecord, TemplatesRepository } from './templates.repository.ts';
import type { CreateTemplateInput, PreviewDto, PreviewInput, TemplateDto, UpdateTemplateInput } from './templates.schemas.ts';
import { LOCALES, type Locale } from './templates.schemas.ts';

/** An SMS longer than this is several billed segments; 6 segments is the useful limit. */
const SMS_MAX_CHARS = 918;
const EXAMPLE_NAME = 'Nina Rivers';

export function toTemplateDto(row: TemplateRecord): TemplateDto {
  const content = (locale: Locale) => {
    const c = row.contents.find((x) => x.locale === locale);
    return c ? { subject: c.subject, body: c.body } : null;
  };
  return {
    id: row.id,
    code: row.code,
    channel: row.channel,
    kind: row.kind,
    name: row.name,
    contents: { fr: content('fr'), en: content('en') },
    usedBy: row.usedBy,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Notification templates as staff edit them: wording per locale, checked before it is stored, and a preview. */
export class TemplatesService {
  constructor(
    private readonly deps: {
      db: Db;
      repo: TemplatesRepository;
      artists: { findById(id: string): Promise<{ stageName: string } | undefined> };
      appUrl: string;
    },
  ) {}

  async list(caller: Caller, filter: { channel?: TemplateDto['channel'] | undefined }): Promise<TemplateDto[]> {
    assertTeam(caller, 'Only the team manages message templates');
    return (await this.deps.repo.list(filter)).map(toTemplateDto);
  }

  async get(caller: Caller, id: string): Promise<TemplateDto> {
    assertTeam(caller, 'Only the team manages message templates');
    return toTemplateDto(await this.require(id));
  }

  async create(caller: Caller, input: CreateTemplateInput): Promise<TemplateDto> {
    assertTeam(caller, 'Only the team manages message templates');
    this.checkContents(input.channel, input.contents);
    const id = await this.deps.db.transaction(async (tx) => {
      const row = await this.deps.repo.insert(tx, { code: input.code, channel: input.channel, kind: input.kind, name: input.name });
      if (!row)
        throw conflict(`A template with the code ${input.code} exists`, { issues: [{ path: 'code', message: 'This code is taken', code: 'code_taken' }] });
      for (const locale of LOCALES) await this.deps.repo.putContent(tx, row.id, locale, input.contents[locale]);
      return row.id;
    });
    return toTemplateDto(await this.require(id));
  }

  /** Replaces the name and both wordings; the code, channel and kind stay (sequences and consent rules rely on them). */
  async update(caller: Caller, id: string, input: UpdateTemplateInput): Promise<TemplateDto> {
    assertTeam(caller, 'Only the team manages message templates');
    const current = await this.require(id);
    this.checkContents(current.channel, input.contents);
    await this.deps.db.transaction(async (tx) => {
      await this.deps.repo.rename(tx, id, input.name);
      for (const locale of LOCALES) await this.deps.repo.putContent(tx, id, locale, input.contents[locale]);
    });
    return toTemplateDto(await this.require(id));
  }

  /**
   * The message as a recipient would get it, rendered by the same code as
   * real sends (render.ts): with the artist's name when one is given, the
   * stored wording or the unsaved one of the request. Tracking links are not
   * added; a marketing email shows its unsubscribe footer.
   */
  async preview(caller: Caller, id: string, input: PreviewInput): Promise<PreviewDto> {
    assertTeam(caller, 'Only the team previews message templates');
    const template = await this.require(id);
    let name = EXAMPLE_NAME;
    if (input.artistId) {
      const artist = await this.deps.artists.findById(input.artistId);
      if (!artist) throw fieldError('artistId', 'Artist not found');
      name = artist.stageName;
    }
    const stored = template.contents.find((c) => c.locale === input.locale) ?? template.contents.find((c) => c.locale === 'fr');
    const subject = input.subject ?? stored?.subject ?? '';
    const body = input.body ?? stored?.body;
    if (!body) throw fieldError('body', `The template has no ${input.locale} wording yet`);
    try {
      const rendered = renderMessage({
        channel: template.channel,
        kind: template.kind,
        locale: input.locale,
        subject,
        body,
        variables: { name, appUrl: this.deps.appUrl },
        links: { unsubscribe: `${new URL(this.deps.appUrl).origin}/unsubscribe/preview` },
      });
      return { channel: template.channel, kind: template.kind, locale: input.locale, subject: rendered.subject, text: rendered.text, html: rendered.html };
    } catch (error) {
      if (error instanceof TemplateError) throw fieldError(error.message.startsWith('The subject') ? 'subject' : 'body', error.message);
      throw error;
    }
  }

  private async require(id: string): Promise<TemplateRecord> {
    const row = await this.deps.repo.find(id);
    if (!row) throw notFound('Template not found');
    return row;
  }

  /** Each wording parses as a Handlebars template; emails, push and in-app need a subject; SMS stay within a few segments. */
  private checkContents(channel: TemplateDto['channel'], contents: CreateTemplateInput['contents']): void {
    for (const locale of LOCALES) {
      const { subject, body } = contents[locale];
      for (const [field, text] of [
        ['subject', subject],
        ['body', body],
      ] as const) {
        try {
          Handlebars.parse(text);
        } catch (error) {
          throw fieldError(`contents.${locale}.${field}`, `Check the {{variables}}: ${(error as Error).message.split('\n')[0]}`);
        }
      }
      if (channel !== 'sms' && !subject) throw fieldError(`contents.${locale}.subject`, channel === 'email' ? 'An email needs a subject' : 'Give a title');
      if (channel === 'sms' && body.length > SMS_MAX_CHARS) throw fieldError(`contents.${locale}.body`, `An SMS is at most ${SMS_MAX_CHARS} characters`);
    }
  }
}
