import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';
import { settings } from './settings.tables.ts';
import { SETTINGS, SETTING_KEYS, type SettingKey, type SettingValue } from './settings.schemas.ts';

export interface SettingEntry {
  key: SettingKey;
  value: unknown;
  isDefault: boolean;
  description: string;
  updatedAt: string | null;
}

/** The business numbers staff can change; a key never saved reads as its default. */
export class SettingsService {
  /** `onChange` runs after a setting is saved (e.g. scores recompute when the scoring rules change). */
  constructor(
    private readonly db: Db,
    private readonly onChange: (key: SettingKey) => Promise<void> = async () => undefined,
  ) {}

  /** `db`: a transaction the caller has open (on the embedded database, another connection would wait for it). */
  async get<K extends SettingKey>(key: K, db: Pick<Db, 'select'> = this.db): Promise<SettingValue<K>> {
    const [row] = await db.select().from(settings).where(eq(settings.key, key)).limit(1);
    if (!row) return SETTINGS[key].defaults as SettingValue<K>;
    const parsed = SETTINGS[key].schema.safeParse(row.value);
    // A stored value that no longer fits the schema (after an upgrade) falls back to the default.
    return (parsed.success ? parsed.data : SETTINGS[key].defaults) as SettingValue<K>;
  }

  async list(caller: Caller): Promise<SettingEntry[]> {
    if (caller.role !== 'admin' && caller.role !== 'staff') throw forbidden();
    const rows = await this.db.select().from(settings);
    return SETTING_KEYS.map((key) => {
      const row = rows.find((r) => r.key === key);
      return {
        key,
        value: row?.value ?? SETTINGS[key].defaults,
        isDefault: !row,
        description: SETTINGS[key].description,
        updatedAt: row?.updatedAt.toISOString() ?? null,
      };
    });
  }

  async set(caller: Caller, key: SettingKey, value: unknown): Promise<SettingEntry> {
    if (caller.role !== 'admin') throw forbidden('Only an admin can change settings');
    const parsed = SETTINGS[key].schema.safeParse(value);
    if (!parsed.success) {
      throw new AppError(400, 'validation_failed', `Invalid value for ${key}`, {
        issues: parsed.error.issues.map((i) => ({ path: ['value', ...i.path.map(String)].join('.'), message: i.message, code: i.code })),
      });
    }
    const now = new Date();
    await this.db
      .insert(settings)
      .values({ key, value: parsed.data, updatedBy: caller.id, updatedAt: now })
      .onConflictDoUpdate({ target: settings.key, set: { value: parsed.data, updatedBy: caller.id, updatedAt: now } });
    await this.onChange(key);
    return { key, value: parsed.data, isDefault: false, description: SETTINGS[key].description, updatedAt: now.toISOString() };
  }
}
