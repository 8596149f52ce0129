import { computeScore, PIPELINE_STAGES, RATED_CATEGORIES, type PipelineStage, type Platform, type Ratings, type Tier } from '@mona/shared';

/**
 * The demo dataset, as a plan: who the artists are, where they are in the
 * pipeline and how they got there, their metrics week by week and the ratings
 * the team gave them. Everything derives from the artist's number through a
 * seeded generator, so the plan is the same on every run (idempotency) and on
 * every machine. The real services turn the plan into rows (scores and tiers
 * are computed by them, never written here).
 */

export const DEMO_EMAIL_DOMAIN = 'mona.example';
/** The marker of a demo artist: its email. */
export const demoArtistEmail = (n: number) => `demo+${n}@${DEMO_EMAIL_DOMAIN}`;
export const DEFAULT_SEED_SIZE = 64;
export const METRIC_WEEKS = 26;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** mulberry32: a small deterministic generator. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const between = (rand: Rand, min: number, max: number) => min + rand() * (max - min);
const intBetween = (rand: Rand, min: number, max: number) => Math.floor(between(rand, min, max + 1));
const round1 = (x: number) => Math.round(x * 10) / 10;

const STAGE_NAMES = [
  'Lila Moreau',
  'Nox Dakar',
  'Sacha Lune',
  'Inès Vega',
  'Kheops Junior',
  'Mira Solaire',
  'Les Fauves Bleus',
  'Yanis Kora',
  'Céleste Noir',
  'Zélie',
  'Babel Nord',
  'Tiago Ruiz',
  'Anouk Sable',
  'Malik Océan',
  'Nina Verlaine',
  'Rosa Nova',
  'Théo Marin',
  'Kali Sun',
  'Jade Oural',
  'Elio Brume',
  'Louve',
  'Sofiane K',
  'Maëlle Roux',
  'Odéon Club',
  'Pablo Cendre',
  'Awa Diallo',
  'Lenny Palmer',
  'Ysé',
  'Corto Mélo',
  'Nour Alba',
  'Vesper',
  'Hugo Lacroix',
  'Safia Blue',
  'Les Nuits Fauves',
  'Timéo Gris',
  'Lou Castel',
  'Naïma B',
  'Ocre',
  'Rémi Sauvage',
  'Iris Kameni',
  'Big Sardine',
  'Clara Vesna',
  'Mistral Gang',
  'Émile Sorel',
  'Fatou Lys',
  'Gaspard Ivy',
  'Héloïse Mer',
  'Idir Atlas',
  'Joy Marceau',
  'Kenza Flow',
  'Léon Ferrand',
  'Manon Écho',
  'Nils Ardent',
  'Olympe',
  'Perle Noire',
  'Quentin Rivage',
  'Romy Saint-Clair',
  'Selim Orage',
  'Tess Aurore',
  'Ulysse Bleu',
  'Victoire K',
  'Wassim Delta',
  'Yuna Sol',
  'Zoé Marais',
] as const;

/** Weighted: most of the agency's artists are in Paris and the big French cities. */
const CITIES = [
  ...Array<string>(8).fill('Paris'),
  ...Array<string>(4).fill('Lyon'),
  ...Array<string>(4).fill('Marseille'),
  ...Array<string>(2).fill('Bordeaux'),
  ...Array<string>(2).fill('Lille'),
  ...Array<string>(2).fill('Nantes'),
  ...Array<string>(2).fill('Toulouse'),
  'Montpellier',
  'Rennes',
  'Strasbourg',
  'Nice',
  ...Array<string>(2).fill('Bruxelles'),
  ...Array<string>(2).fill('Montréal'),
  'Genève',
  'Abidjan',
] as const;

const GENRES = ['rap', 'pop', 'r&b', 'électro', 'afro', 'jazz', 'rock', 'chanson', 'house', 'folk', 'indie', 'soul', 'drill', 'zouk', 'reggae', 'techno'];

const BIO_OPENINGS = [
  'Artiste indépendant·e basé·e à',
  'Projet né dans les caves de',
  'Voix singulière de la scène de',
  'Autoproduit·e depuis ses débuts à',
  'Révélation des open mics de',
];
const BIO_ENDINGS = [
  'prépare un premier EP et cherche à structurer sa communication.',
  'sort un single par mois et veut passer le cap des 10K abonnés.',
  'tourne dans les salles de la région et vise une première date en festival.',
  'compose pour la synchro et développe une audience sur TikTok.',
  'mêle live stream et clips DIY, avec une communauté très engagée.',
];

export const STAFF_ACCOUNTS = [
  { email: `demo.staff@${DEMO_EMAIL_DOMAIN}`, name: 'Camille Martin' },
  { email: `demo.staff2@${DEMO_EMAIL_DOMAIN}`, name: 'Julien Bernard' },
  { email: `demo.staff3@${DEMO_EMAIL_DOMAIN}`, name: 'Inès Haddad' },
] as const;
export const ARTIST_ACCOUNT_EMAIL = `demo.artist@${DEMO_EMAIL_DOMAIN}`;
/** The number of the demo artist whose record the demo artist account sees. */
export const PORTAL_ARTIST = 2;

/** Reasons the team writes when moving a card, by destination. */
const MOVE_REASONS: Record<PipelineStage, string[]> = {
  prospect: ['Repéré·e sur TikTok', 'Recommandé·e par un artiste du roster', 'Candidature spontanée'],
  checkup: ['Premier appel concluant, check-up proposé', 'A commandé le MONA 290', 'Rendez-vous de diagnostic fixé'],
  prescription: ['Check-up terminé, prescription en cours', 'Audit digital livré', 'Grille 120 points complétée'],
  execution: ['Plan validé, lancement de la production', 'MONA 390 signé', 'Feuille de route acceptée'],
  retention: ['Objectifs du plan atteints, suivi mensuel', 'Passage en accompagnement long', 'Renouvellement MONA 490+'],
};
const BACK_REASONS = ['Plan à retravailler après le retour de l’artiste', 'Budget revu, prescription à refaire', 'Changement de direction artistique'];

export interface SnapshotPlan {
  platform: Platform;
  capturedAt: Date;
  followers: number;
  engagementRate: number;
  postsPerWeek: number;
  monthlyGrowth: number;
}

export interface MovePlan {
  to: PipelineStage;
  reason: string;
  at: Date;
}

export interface DemoArtistPlan {
  n: number;
  email: string;
  stageName: string;
  genres: string[];
  city: string;
  bio: string;
  phone: string;
  links: Partial<Record<Platform, { handle: string; url?: string }>>;
  consentMarketing: boolean;
  consentAnalytics: boolean;
  /** Index into the staff accounts, or null (not yet assigned). */
  assignee: number | null;
  createdAt: Date;
  /** The moves after the entry (as prospect), oldest first; the last one's stage is where the artist is now. */
  moves: MovePlan[];
  stage: PipelineStage;
  ndaSignedAt: Date | null;
  snapshots: SnapshotPlan[];
  /** The team's ratings and when they were given (at the check-up), or null for artists not yet audited. */
  ratings: { values: Ratings; at: Date; reason: string } | null;
  /** The tier the plan aims at; the real scoring decides. */
  targetTier: Tier;
}

const PLATFORM_SCALE: Record<Platform, number> = { instagram: 1, tiktok: 1.6, youtube: 0.35, twitch: 0.12, spotify: 0.5, soundcloud: 0.18 };
const PLATFORM_URL: Record<Platform, ((h: string) => string) | null> = {
  instagram: (h) => `https://www.instagram.com/${h}`,
  tiktok: (h) => `https://www.tiktok.com/@${h}`,
  youtube: (h) => `https://www.youtube.com/@${h}`,
  twitch: (h) => `https://www.twitch.tv/${h}`,
  spotify: null,
  soundcloud: (h) => `https://soundcloud.com/${h}`,
};

function handleOf(stageName: string): string {
  return stageName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');
}

/** Stage of the n-th artist: about 30 % prospects, then fewer at each later stage. */
function stageFor(rand: Rand): PipelineStage {
  const x = rand();
  if (x < 0.3) return 'prospect';
  if (x < 0.5) return 'checkup';
  if (x < 0.68) return 'prescription';
  if (x < 0.85) return 'execution';
  return 'retention';
}

/**
 * The tier aimed at, from the stage; the first artists of the list are fixed so
 * that every tier is represented even in a small dataset (the tests seed a few).
 */
function targetTierFor(n: number, stage: PipelineStage, rand: Rand): Tier {
  const fixed: Record<number, Tier> = { 1: 'spark_ready', 2: 'premium', 3: 'coprod', 4: 'starter', 5: 'prospect', 6: 'spark_ready', 7: 'premium' };
  if (fixed[n]) return fixed[n];
  const x = rand();
  switch (stage) {
    case 'prospect':
      return 'prospect';
    case 'checkup':
      return x < 0.25 ? 'prospect' : x < 0.75 ? 'starter' : 'coprod';
    case 'prescription':
      return x < 0.4 ? 'starter' : x < 0.85 ? 'coprod' : 'premium';
    case 'execution':
      return x < 0.2 ? 'starter' : x < 0.6 ? 'coprod' : x < 0.93 ? 'premium' : 'spark_ready';
    case 'retention':
      return x < 0.35 ? 'coprod' : x < 0.8 ? 'premium' : 'spark_ready';
  }
}

const FIXED_STAGE: Record<number, PipelineStage> = {
  1: 'retention',
  2: 'execution',
  3: 'prescription',
  4: 'checkup',
  5: 'prospect',
  6: 'execution',
  7: 'retention',
};

/** Audience size by tier: bigger, more engaged audiences for the stronger profiles. */
const AUDIENCE: Record<Tier, { followers: [number, number]; engagement: [number, number]; platforms: [number, number]; growth: [number, number] }> = {
  prospect: { followers: [600, 4000], engagement: [1.2, 3.5], platforms: [2, 3], growth: [-0.3, 1.2] },
  starter: { followers: [1500, 8000], engagement: [2, 4.5], platforms: [3, 4], growth: [0.2, 1.8] },
  coprod: { followers: [3000, 12000], engagement: [3, 5.5], platforms: [3, 5], growth: [0.5, 2.2] },
  premium: { followers: [6000, 15000], engagement: [4, 6.5], platforms: [4, 5], growth: [1, 2.6] },
  spark_ready: { followers: [9000, 15000], engagement: [5, 7.5], platforms: [5, 6], growth: [1.5, 3] },
};

/** Mondays 06:00 UTC, the last one a week before the anchor. */
export function snapshotTimes(anchor: Date): Date[] {
  return Array.from({ length: METRIC_WEEKS }, (_, w) => new Date(anchor.getTime() - (METRIC_WEEKS - w) * 7 * DAY_MS + 6 * HOUR_MS));
}

function planSnapshots(rand: Rand, tier: Tier, anchor: Date): { platforms: Platform[]; snapshots: SnapshotPlan[] } {
  const profile = AUDIENCE[tier];
  const count = intBetween(rand, ...profile.platforms);
  // Instagram and TikTok first: nearly every artist has them; the rest in a shuffled order.
  const others: Platform[] = ['spotify', 'youtube', 'soundcloud', 'twitch'].sort(() => rand() - 0.5) as Platform[];
  const platforms = (['instagram', 'tiktok', ...others] as Platform[]).slice(0, count);
  const base = between(rand, ...profile.followers);
  const times = snapshotTimes(anchor);
  const snapshots: SnapshotPlan[] = [];
  for (const platform of platforms) {
    // Weekly growth in %, the followers of week 26 near `base × scale`.
    const weekly = between(rand, ...profile.growth) * (platform === 'tiktok' ? 1.4 : 1);
    const end = base * PLATFORM_SCALE[platform] * between(rand, 0.7, 1.3);
    const start = end / Math.pow(1 + weekly / 100, METRIC_WEEKS - 1);
    const engagement = between(rand, ...profile.engagement) * (platform === 'tiktok' ? 1.3 : platform === 'spotify' ? 0.6 : 1);
    const posts = platform === 'spotify' ? between(rand, 0.2, 1) : platform === 'twitch' ? between(rand, 1, 4) : between(rand, 2, 7);
    const followers: number[] = [];
    times.forEach((capturedAt, w) => {
      const trend = start * Math.pow(1 + weekly / 100, w);
      const value = Math.max(50, Math.round(trend * between(rand, 0.985, 1.015)));
      followers.push(value);
      const monthAgo = followers[Math.max(0, w - 4)]!;
      const monthlyGrowth = w >= 4 ? ((value - monthAgo) / monthAgo) * 100 : (Math.pow(1 + weekly / 100, 4) - 1) * 100;
      snapshots.push({
        platform,
        capturedAt,
        followers: value,
        engagementRate: round1(Math.max(0.3, engagement * between(rand, 0.85, 1.15))),
        postsPerWeek: round1(Math.max(0, posts * between(rand, 0.7, 1.3))),
        monthlyGrowth: round1(monthlyGrowth),
      });
    });
  }
  return { platforms, snapshots };
}

const NO_RATINGS: Ratings = {
  artisticQuality: 0,
  motivation: 0,
  collaboration: 0,
  businessVision: 0,
  mediaPersonality: 0,
  viralPotential: false,
  versatility: false,
  diversity: false,
};

const TIER_AIM: Record<Tier, [number, number]> = { prospect: [22, 36], starter: [44, 56], coprod: [63, 76], premium: [83, 92], spark_ready: [97, 106] };
const RATED_MAX: Record<(typeof RATED_CATEGORIES)[number], number> = {
  artisticQuality: 25,
  motivation: 15,
  collaboration: 15,
  businessVision: 15,
  mediaPersonality: 10,
};

/**
 * Ratings a reviewer would give an artist of that level: the points the
 * metrics already give are taken off the aim, the rest spread over the rated
 * categories in proportion to their maxima, with a little unevenness.
 */
function planRatings(rand: Rand, tier: Tier, latest: SnapshotPlan[]): Ratings {
  const fromMetrics = computeScore(latest, NO_RATINGS).total;
  const bonusCount =
    tier === 'spark_ready' ? intBetween(rand, 2, 3) : tier === 'premium' ? intBetween(rand, 0, 2) : tier === 'coprod' ? intBetween(rand, 0, 1) : 0;
  const bonuses = { viralPotential: false, versatility: false, diversity: false };
  const kinds: (keyof typeof bonuses)[] = ['viralPotential', 'versatility', 'diversity'];
  for (const kind of kinds.sort(() => rand() - 0.5).slice(0, bonusCount)) bonuses[kind] = true;
  const aim = Math.round(between(rand, ...TIER_AIM[tier]));
  const toRate = Math.max(0, Math.min(80, aim - fromMetrics - bonusCount * 5));
  const values = { ...NO_RATINGS, ...bonuses };
  const share = toRate / 80;
  for (const category of RATED_CATEGORIES) {
    const max = RATED_MAX[category];
    const value = Math.max(0, Math.min(max, Math.round(max * share * between(rand, 0.85, 1.15))));
    values[category] = value;
  }
  // Bring the sum to exactly `toRate` where the caps allow, so the tier lands in its band.
  let diff = toRate - RATED_CATEGORIES.reduce((s, c) => s + values[c], 0);
  for (let guard = 0; diff !== 0 && guard < 200; guard++) {
    const category = RATED_CATEGORIES[guard % RATED_CATEGORIES.length]!;
    if (diff > 0 && values[category] < RATED_MAX[category]) {
      values[category] += 1;
      diff -= 1;
    } else if (diff < 0 && values[category] > 0) {
      values[category] -= 1;
      diff += 1;
    }
  }
  return values;
}

/** The same day (or the nearest weekday) within office hours, 08:00–17:59 UTC (about 9–19 h in Paris). */
function officeHours(rand: Rand, time: number): Date {
  const d = new Date(time);
  const weekday = d.getUTCDay();
  if (weekday === 6) d.setUTCDate(d.getUTCDate() - 1);
  if (weekday === 0) d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCHours(intBetween(rand, 8, 17), intBetween(rand, 0, 59), 0, 0);
  return d;
}

/** Spreads the moves of a path between the artist's arrival and a day before the anchor. */
function planMoves(rand: Rand, stage: PipelineStage, createdAt: Date, anchor: Date): MovePlan[] {
  const target = PIPELINE_STAGES.indexOf(stage);
  const path: { to: PipelineStage; back: boolean }[] = [];
  for (let i = 1; i <= target; i++) path.push({ to: PIPELINE_STAGES[i]!, back: false });
  // About one in six artists further along had a plan redone: back one stage, then forward again.
  if (target >= 3 && rand() < 0.35) {
    const at = intBetween(rand, 2, target - 1);
    const back = PIPELINE_STAGES[at - 1]!;
    path.splice(at, 0, { to: back, back: true }, { to: PIPELINE_STAGES[at]!, back: false });
  }
  if (path.length === 0) return [];
  // The last move a week or more before the anchor, so the audit that follows a check-up is in the past too.
  const end = anchor.getTime() - 7 * DAY_MS - between(rand, 0, 20) * DAY_MS;
  const span = Math.max(path.length * DAY_MS, end - createdAt.getTime());
  // Uneven gaps: weights normalised over the span.
  const weights = path.map(() => between(rand, 0.5, 1.5));
  const total = weights.reduce((s, w) => s + w, 0) + between(rand, 0.1, 0.6);
  let t = createdAt.getTime();
  let previous = t;
  return path.map((step, i) => {
    t += (weights[i]! / total) * span;
    // Office hours must not reorder two moves of the same day.
    let at = officeHours(rand, t);
    if (at.getTime() <= previous) at = new Date(previous + HOUR_MS);
    previous = at.getTime();
    return { to: step.to, reason: step.back ? pick(rand, BACK_REASONS) : pick(rand, MOVE_REASONS[step.to]), at };
  });
}

export function planArtist(n: number, anchor: Date): DemoArtistPlan {
  const rand = rng(0x6d6f6e61 + n * 7919);
  const baseName = STAGE_NAMES[(n - 1) % STAGE_NAMES.length]!;
  const round = Math.floor((n - 1) / STAGE_NAMES.length);
  const stageName = round === 0 ? baseName : `${baseName} ${round + 1}`;
  const stage = FIXED_STAGE[n] ?? stageFor(rand);
  const targetTier = targetTierFor(n, stage, rand);
  const genreCount = intBetween(rand, 1, 3);
  const genres = [...new Set(Array.from({ length: genreCount }, () => pick(rand, GENRES)))];
  const city = pick(rand, CITIES);
  const stageIndex = PIPELINE_STAGES.indexOf(stage);
  // Further along means longer with the agency: 2 weeks to about 7 months.
  const daysAgo = Math.round(between(rand, 14 + stageIndex * 25, 60 + stageIndex * 35));
  const createdAt = officeHours(rand, anchor.getTime() - daysAgo * DAY_MS);
  const moves = planMoves(rand, stage, createdAt, anchor);
  const { platforms, snapshots } = planSnapshots(rand, targetTier, anchor);
  const handle = handleOf(stageName);
  const links: DemoArtistPlan['links'] = {};
  for (const platform of platforms) {
    const h = platform === 'twitch' ? handle.replace(/\./g, '_') : handle;
    const url = PLATFORM_URL[platform]?.(h);
    links[platform] = url ? { handle: h, url } : { handle: stageName };
  }
  const checkupIndex = moves.findIndex((m) => m.to === 'checkup');
  const checkup = moves[checkupIndex];
  // The audit is rated a few days after the check-up starts, before the next move.
  const nextAt = moves[checkupIndex + 1]?.at.getTime() ?? anchor.getTime() - DAY_MS;
  const ratedAt = checkup ? new Date(checkup.at.getTime() + Math.min(intBetween(rand, 2, 6) * DAY_MS, Math.round((nextAt - checkup.at.getTime()) / 2))) : null;
  const latest = snapshots.filter((s) => s.capturedAt.getTime() === Math.max(...snapshots.map((x) => x.capturedAt.getTime())));
  const ratings = ratedAt && stageIndex >= 1 ? { values: planRatings(rand, targetTier, latest), at: ratedAt, reason: 'Check-up : grille 120 points' } : null;
  const prescription = moves.find((m) => m.to === 'prescription');
  return {
    n,
    email: demoArtistEmail(n),
    stageName,
    genres,
    city,
    bio: `${pick(rand, BIO_OPENINGS)} ${city}, ${stageName} ${pick(rand, BIO_ENDINGS)}`,
    phone: `+33 6 ${String(intBetween(rand, 10, 99))} ${String(intBetween(rand, 10, 99))} ${String(intBetween(rand, 10, 99))} ${String(intBetween(rand, 10, 99))}`,
    links,
    consentMarketing: rand() < 0.7,
    consentAnalytics: rand() < 0.8,
    assignee: stage === 'prospect' && rand() < 0.5 ? null : n % STAFF_ACCOUNTS.length,
    createdAt,
    moves,
    stage,
    ndaSignedAt: prescription ? new Date(prescription.at.getTime() + DAY_MS) : null,
    snapshots,
    ratings,
    targetTier,
  };
}

/** The Monday 00:00 UTC of the week of `date`: the fixed point the whole timeline hangs from. */
export function weekStart(date: Date): Date {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - day * DAY_MS);
}
