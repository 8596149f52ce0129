import type { JobDefinition, JobHandler, JobRegistry } from './jobs/registry.ts';
import { buildJobRegistry } from './jobs/catalog.ts';
import { RefreshTokensRepository } from './modules/auth/auth.repository.ts';
import { AuthService } from './modules/auth/auth.service.ts';
import { TokenSigner } from './modules/auth/tokens.ts';
import { ServiceInstancesRepository } from './modules/ops/ops.repository.ts';
import { OpsService } from './modules/ops/ops.service.ts';
import { AlertsRepository } from './modules/ops/alerts.repository.ts';
import { AlertsService, inProcessAlerts } from './modules/ops/alerts.service.ts';
import { AlertEvaluator } from './modules/ops/evaluator.ts';
import { Metrics } from './platform/metrics.ts';
import { UsersRepository } from './modules/users/users.repository.ts';
import { UsersService } from './modules/users/users.service.ts';
import { DomainEvents } from './modules/events/events.service.ts';
import { SettingsService } from './modules/settings/settings.service.ts';
import { BackupService, dumpSourceFor } from './modules/backup/backup.service.ts';
import { recomputeAllScoresJob } from './modules/scoring/scoring.jobs.ts';
import { ArtistsRepository } from './modules/artists/artists.repository.ts';
import { CursorCodec } from './modules/artists/artists.cursor.ts';
import { ArtistsService } from './modules/artists/artists.service.ts';
import { PipelineRepository } from './modules/pipeline/pipeline.repository.ts';
import { PipelineService } from './modules/pipeline/pipeline.service.ts';
import { TasksRepository } from './modules/tasks/tasks.repository.ts';
import { TasksService } from './modules/tasks/tasks.service.ts';
import { InteractionsRepository } from './modules/interactions/interactions.repository.ts';
import { InteractionsService } from './modules/interactions/interactions.service.ts';
import { OpportunitiesRepository } from './modules/opportunities/opportunities.repository.ts';
import { OpportunitiesService } from './modules/opportunities/opportunities.service.ts';
import { CalendarRepository } from './modules/calendar/calendar.repository.ts';
import { CalendarService } from './modules/calendar/calendar.service.ts';
import { OffersRepository } from './modules/offers/offers.repository.ts';
import { OffersService } from './modules/offers/offers.service.ts';
import { MarketplaceRepository } from './modules/marketplace/marketplace.repository.ts';
import { MarketplaceService } from './modules/marketplace/marketplace.service.ts';
import { SponsorsRepository } from './modules/sponsors/sponsors.repository.ts';
import { SponsorsService } from './modules/sponsors/sponsors.service.ts';
import { MetricsRepository } from './modules/scoring/metrics.repository.ts';
import { ScoringRepository } from './modules/scoring/scoring.repository.ts';
import { ScoringService } from './modules/scoring/scoring.service.ts';
import { ApplicationsRepository } from './modules/villas/applications.repository.ts';
import { ApplicationsService } from './modules/villas/applications.service.ts';
import { StreamsRepository } from './modules/streams/streams.repository.ts';
import { VillasRepository } from './modules/villas/villas.repository.ts';
import { VillasService } from './modules/villas/villas.service.ts';
import { DeliveryReportsRepository } from './modules/notifications/delivery-reports.repository.ts';
import { InboxRepository } from './modules/notifications/inbox.repository.ts';
import { InboxService } from './modules/notifications/inbox.service.ts';
import { PushSubscriptionsRepository } from './modules/notifications/push.repository.ts';
import { PushService } from './modules/notifications/push.service.ts';
import { SmsWebhookService } from './modules/notifications/sms.service.ts';
import { VapidKeys } from './modules/notifications/vapid.ts';
import { systemClock } from './platform/clock.ts';
import type { Clock } from './platform/clock.ts';
import type { Channel } from '@mona/shared';
import { buildProviders, closeProviders, type ProviderDeps } from './modules/notifications/channels/index.ts';
import type { ChannelProvider } from './modules/notifications/channels/types.ts';
import { EngagementRepository } from './modules/notifications/engagement.ts';
import { Dispatcher, NotificationMetrics } from './modules/notifications/notifications.jobs.ts';
import { NotificationsRepository } from './modules/notifications/notifications.repository.ts';
import { NotificationsService } from './modules/notifications/notifications.service.ts';
import { TrackingLinks, TrackingSigner } from './modules/notifications/tracking.ts';
import { SequenceEngine } from './modules/sequences/engine.ts';
import { SequencesRepository } from './modules/sequences/sequences.repository.ts';
import { SequencesService } from './modules/sequences/sequences.service.ts';
import { TemplatesRepository } from './modules/sequences/templates.repository.ts';
import { TemplatesService } from './modules/sequences/templates.service.ts';
import type { Platform } from './platform/platform.ts';
import { QueueService, type QueueBackend } from './platform/queue.ts';

/** Everything a process of the system needs, wired once: platform, repositories, services, jobs. */
export interface AppContext {
  platform: Platform;
  signer: TokenSigner;
  registry: JobRegistry;
  queue: QueueService;
  repos: {
    users: UsersRepository;
    refreshTokens: RefreshTokensRepository;
    serviceInstances: ServiceInstancesRepository;
    artists: ArtistsRepository;
    pipeline: PipelineRepository;
    tasks: TasksRepository;
    interactions: InteractionsRepository;
    opportunities: OpportunitiesRepository;
    calendar: CalendarRepository;
    offers: OffersRepository;
    marketplace: MarketplaceRepository;
    sponsors: SponsorsRepository;
    notifications: NotificationsRepository;
    engagement: EngagementRepository;
    pushSubscriptions: PushSubscriptionsRepository;
    inbox: InboxRepository;
  };
  events: DomainEvents;
  /** The application's time: the system clock, or a simulated one in tests of time-driven work (sequences, send windows, retries). */
  clock: Clock;
  /** The sending side of notifications: the dispatcher, the provider of each channel, the counters. */
  notifications: NotificationsRuntime;
  /** The VAPID key pair of web push (from the environment, or generated once and stored). */
  vapid: VapidKeys;
  services: {
    users: UsersService;
    auth: AuthService;
    ops: OpsService;
    settings: SettingsService;
    scoring: ScoringService;
    artists: ArtistsService;
    pipeline: PipelineService;
    tasks: TasksService;
    interactions: InteractionsService;
    opportunities: OpportunitiesService;
    calendar: CalendarService;
    offers: OffersService;
    marketplace: MarketplaceService;
    sponsors: SponsorsService;
    villas: VillasService;
    applications: ApplicationsService;
    notifications: NotificationsService;
    inbox: InboxService;
    push: PushService;
    smsWebhook: SmsWebhookService;
    sequences: SequencesService;
    templates: TemplatesService;
    /** Runs the sequences: triggers, the tick, exits, inactivity (its jobs call it; tests drive it). */
    sequenceEngine: SequenceEngine;
    /** Alerts from Alertmanager's webhook and the in-process evaluator, notified to the admins. */
    alerts: AlertsService;
    /** The alert rules evaluated in this process (ALERTS_IN_PROCESS), by the maintenance job ops.evaluate-alerts. */
    alertEvaluator: AlertEvaluator;
    /** Backups of the database (the CLI, the daily maintenance job, the ops page). */
    backups: BackupService;
  };
}

export interface NotificationsRuntime {
  dispatcher: Dispatcher;
  providers: Map<Channel, ChannelProvider>;
  metrics: NotificationMetrics;
  links: TrackingLinks;
  /** Closes the providers' connections (the SMTP pool). */
  close(): Promise<void>;
}

export interface ContextOptions {
  extraJobs?: { definitions: JobDefinition<never>[]; handlers: Record<string, JobHandler<never>> };
  /** Default: the system clock. */
  clock?: Clock;
  /** Provider options: SMTP TLS settings, or a channel's provider replaced (tests). */
  notifications?: Pick<ProviderDeps, 'smtp' | 'overrides'>;
}

export function queueBackend(platform: Platform): QueueBackend {
  if (platform.config.REDIS_URL) {
    return { kind: 'redis', url: platform.config.REDIS_URL, prefix: platform.config.REDIS_PREFIX, clusterNodes: platform.config.REDIS_CLUSTER_NODES };
  }
  const embedded = platform.embeddedDatabase;
  // PGlite ignores the search_path startup option BullMQ pins its schema with, so it uses public there.
  return { kind: 'postgresql', url: platform.database.url, schema: embedded ? 'public' : 'bullmq', embedded };
}

export function createContext(platform: Platform, options: ContextOptions = {}): AppContext {
  const { config, database, logger } = platform;
  const clock = options.clock ?? systemClock;
  const repos = {
    users: new UsersRepository(database.db),
    refreshTokens: new RefreshTokensRepository(database.db),
    serviceInstances: new ServiceInstancesRepository(database.db),
    artists: new ArtistsRepository(database.db),
    pipeline: new PipelineRepository(database.db),
    tasks: new TasksRepository(database.db),
    interactions: new InteractionsRepository(database.db),
    opportunities: new OpportunitiesRepository(database.db),
    calendar: new CalendarRepository(database.db),
    offers: new OffersRepository(database.db),
    marketplace: new MarketplaceRepository(database.db),
    sponsors: new SponsorsRepository(database.db),
    notifications: new NotificationsRepository(database.db),
    engagement: new EngagementRepository(database.db),
    pushSubscriptions: new PushSubscriptionsRepository(database.db),
    inbox: new InboxRepository(database.db),
  };
  // The event bus and the scoring service need the registry whose handlers use them: handlers reach them lazily.
  const late: { scoring?: ScoringService; events?: DomainEvents } = {};
  const lateSequences: { engine?: SequenceEngine } = {};
  const lateBackups: { service?: BackupService } = {};
  const lateAlerts: { evaluator?: AlertEvaluator } = {};
  const lateNotifications: { dispatcher?: Dispatcher; service?: NotificationsService } = {};
  const registry = buildJobRegistry(
    {
      refreshTokens: repos.refreshTokens,
      serviceInstances: repos.serviceInstances,
      alertEvaluator: () => lateAlerts.evaluator!,
      events: () => late.events!,
      scoring: () => late.scoring!,
      notifications: () => lateNotifications.dispatcher!,
      sequences: () => lateSequences.engine!,
      backups: () => lateBackups.service!,
    },
    options.extraJobs,
  );
  const queue = new QueueService(queueBackend(platform), registry, logger);
  const events = new DomainEvents(database.db, queue, registry, platform.pubsub, logger);
  late.events = events;
  // New scoring rules re-rate every artist (cached tiers, scoring events, tier-change events) in the background.
  const settings = new SettingsService(database.db, async (key) => {
    if (key === 'scoring') await queue.enqueue(recomputeAllScoresJob.name, {});
  });
  const signer = new TokenSigner(config.JWT_SECRET, config.ACCESS_TOKEN_TTL_SECONDS);
  const users = new UsersService(repos.users);
  const auth = new AuthService({
    users: repos.users,
    usersService: users,
    tokens: repos.refreshTokens,
    signer,
    refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    rateLimits: platform.rateLimits,
    limits: { perIp: config.LOGIN_MAX_PER_IP, perAccount: config.LOGIN_MAX_PER_ACCOUNT, windowSeconds: config.LOGIN_WINDOW_SECONDS },
    logger,
    // An artist's login counts for their engagement score (+5, once a day).
    onLogin: (user) => lateNotifications.service!.recordLogin(user.id),
    // An artist's sign-up links or creates their record and starts the welcome sequence (pipeline is built below).
    signup: { db: database.db, artists: repos.artists, pipeline: { recordEntry: (...args) => pipeline.recordEntry(...args) }, events },
  });
  const ops = new OpsService(platform, repos.serviceInstances, queue);
  const scoring = new ScoringService({
    db: database.db,
    artists: repos.artists,
    metrics: new MetricsRepository(database.db),
    repo: new ScoringRepository(database.db),
    users: repos.users,
    settings,
    events,
    logger,
  });
  late.scoring = scoring;
  // Heavy read-only paths (the artist list, pipeline stats) read from DATABASE_READ_URL's replicas when set.
  const reads = { artists: new ArtistsRepository(database.read), pipeline: new PipelineRepository(database.read) };
  const pipeline = new PipelineService({
    db: database.db,
    artists: repos.artists,
    repo: repos.pipeline,
    events,
    users: repos.users,
    reads: { artists: reads.artists, repo: reads.pipeline },
  });
  // List cursors are signed with a key derived from JWT_SECRET, so every API instance accepts the others' cursors.
  const artists = new ArtistsService({
    db: database.db,
    repo: repos.artists,
    readRepo: reads.artists,
    users: repos.users,
    pipeline,
    events,
    cursors: new CursorCodec(config.JWT_SECRET),
  });
  const offers = new OffersService({ db: database.db, repo: repos.offers, artists: repos.artists, events });
  const marketplace = new MarketplaceService({ db: database.db, repo: repos.marketplace, artists: repos.artists, users: repos.users, settings });
  const sponsors = new SponsorsService({ db: database.db, repo: repos.sponsors, users: repos.users, accounts: users });
  const tasks = new TasksService({ db: database.db, repo: repos.tasks, artists: repos.artists, users: repos.users });
  const interactions = new InteractionsService({ db: database.db, repo: repos.interactions, artists: repos.artists, users: repos.users, tasks });
  const opportunities = new OpportunitiesService({ repo: repos.opportunities, artists: repos.artists, users: repos.users });
  const calendar = new CalendarService({ db: database.db, repo: repos.calendar, tasks: repos.tasks, artists: repos.artists, users: repos.users });
  const villas = new VillasService({
    db: database.db,
    repo: new VillasRepository(database.db),
    streams: new StreamsRepository(database.db),
    calendar,
    artists: repos.artists,
    users: repos.users,
  });
  const applications = new ApplicationsService({
    db: database.db,
    repo: new ApplicationsRepository(database.db),
    artists: repos.artists,
    settings,
    villaStatus: villas,
  });
  const vapid = new VapidKeys({ db: database.db, config, logger });
  const inbox = new InboxService({ repo: repos.inbox, pubsub: platform.pubsub, clock, logger });
  const push = new PushService({ repo: repos.pushSubscriptions, vapid, knownServicesOnly: config.NODE_ENV === 'production' });
  const smsWebhook = new SmsWebhookService({
    authToken: config.TWILIO_AUTH_TOKEN ?? null,
    publicUrl: config.NEXT_PUBLIC_APP_URL,
    reports: new DeliveryReportsRepository(database.db),
    clock,
    logger,
  });
  // Tracking and unsubscribe links are signed with a key derived from JWT_SECRET, so every instance accepts the others' links.
  const links = new TrackingLinks(new TrackingSigner(config.JWT_SECRET), config.NEXT_PUBLIC_APP_URL);
  const notifications = new NotificationsService({
    db: database.db,
    repo: repos.notifications,
    engagement: repos.engagement,
    settings,
    events,
    queue,
    links,
    clock,
    logger,
    interactions: () => interactions,
  });
  lateNotifications.service = notifications;
  const alerts = new AlertsService({
    repo: new AlertsRepository(database.db),
    notifications,
    clock,
    logger,
    webhookToken: config.ALERT_WEBHOOK_TOKEN,
    inProcess: inProcessAlerts(config),
  });
  const alertEvaluator = new AlertEvaluator({
    alerts,
    clock,
    logger,
    enabled: inProcessAlerts(config),
    // A process serving no /metrics (workers run without their health server): its own registry, without HTTP traffic.
    fallback: () =>
      new Metrics(
        { service: 'worker', version: config.version },
        {
          pool: database.pool,
          queueCounts: () => queue.counts(),
          dependencies: async () => Object.fromEntries((await platform.checks()).map((c) => [c.name, c.ok])),
          dataDir: config.DATA_DIR,
          extra: registry.metrics.all(),
        },
      ),
  });
  lateAlerts.evaluator = alertEvaluator;
  const providers = buildProviders({
    config,
    repo: repos.notifications,
    inbox: repos.inbox,
    pushSubscriptions: repos.pushSubscriptions,
    vapid,
    pubsub: platform.pubsub,
    clock,
    logger,
    ...options.notifications,
  });
  const notificationMetrics = new NotificationMetrics();
  const dispatcher = new Dispatcher({
    db: database.db,
    repo: repos.notifications,
    providers: () => providers,
    settings: () => settings.get('notifications'),
    rateLimits: platform.rateLimits,
    clock,
    logger,
    metrics: notificationMetrics,
  });
  lateNotifications.dispatcher = dispatcher;
  const sequencesRepo = new SequencesRepository(database.db);
  const templatesRepo = new TemplatesRepository(database.db);
  const appOrigin = new URL(config.NEXT_PUBLIC_APP_URL).origin;
  const sequenceEngine = new SequenceEngine({
    db: database.db,
    repo: sequencesRepo,
    notifications,
    clock,
    timeZone: async () => (await settings.get('notifications')).timeZone,
    appUrl: appOrigin,
    logger,
  });
  lateSequences.engine = sequenceEngine;
  const sequences = new SequencesService({
    db: database.db,
    repo: sequencesRepo,
    templates: templatesRepo,
    engine: sequenceEngine,
    artists: repos.artists,
    offerCodes: async () => (await repos.offers.listOffers(true)).map((o) => o.code),
    clock,
  });
  const templates = new TemplatesService({ db: database.db, repo: templatesRepo, artists: repos.artists, appUrl: appOrigin });
  const backups = new BackupService({ config, db: database.db, databaseUrl: database.url, source: dumpSourceFor(platform), logger, clock });
  lateBackups.service = backups;
  return {
    platform,
    signer,
    registry,
    queue,
    repos,
    events,
    clock,
    notifications: { dispatcher, providers, metrics: notificationMetrics, links, close: () => closeProviders(providers) },
    vapid,
    services: {
      sponsors,
      users,
      auth,
      ops,
      settings,
      scoring,
      artists,
      pipeline,
      offers,
      marketplace,
      tasks,
      interactions,
      opportunities,
      calendar,
      applications,
      villas,
      notifications,
      inbox,
      push,
      smsWebhook,
      sequences,
      templates,
      sequenceEngine,
      backups,
      alerts,
      alertEvaluator,
    },
  };
}
