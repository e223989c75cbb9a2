package dev.boxoffice.backend;

import dev.boxoffice.backend.attendees.AttendeeService;
import dev.boxoffice.backend.attendees.CheckInWatch;
import dev.boxoffice.backend.auth.ActiveRoles;
import dev.boxoffice.backend.auth.RevokedSessions;
import dev.boxoffice.backend.auth.SessionKeys;
import dev.boxoffice.backend.cache.PurchaseGate;
import dev.boxoffice.backend.cache.RedisClients;
import dev.boxoffice.backend.cache.ResponseCache;
import dev.boxoffice.backend.cache.SoldOutFlags;
import dev.boxoffice.backend.cache.WaitingLine;
import dev.boxoffice.backend.catalog.CatalogService;
import dev.boxoffice.backend.checkin.CheckInService;
import dev.boxoffice.backend.checkin.DoorService;
import dev.boxoffice.backend.checkin.OfflineCheckIn;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.db.Databases;
import dev.boxoffice.backend.db.Migrations;
import dev.boxoffice.backend.health.Readiness;
import dev.boxoffice.backend.outbox.OutboxRelayVerticle;
import dev.boxoffice.backend.payments.HoldSweeperVerticle;
import dev.boxoffice.backend.payments.PaymentJobsVerticle;
import dev.boxoffice.backend.payments.PaymentProvider;
import dev.boxoffice.backend.payments.PaymentService;
import dev.boxoffice.backend.sales.Admissions;
import dev.boxoffice.backend.sales.PurchaseDesk;
import dev.boxoffice.backend.sales.SalesService;
import dev.boxoffice.backend.sales.WaitingRoomService;
import dev.boxoffice.backend.sessions.RevocationReloadVerticle;
import dev.boxoffice.backend.sessions.RevocationReloader;
import dev.boxoffice.backend.sessions.RevokedSessionsTable;
import dev.boxoffice.backend.sessions.SessionService;
import dev.boxoffice.backend.store.AttendeeStore;
import dev.boxoffice.backend.store.CatalogStore;
import dev.boxoffice.backend.store.CatchUpStore;
import dev.boxoffice.backend.store.CheckInStore;
import dev.boxoffice.backend.store.DoorStore;
import dev.boxoffice.backend.store.HoldStore;
import dev.boxoffice.backend.store.IssuanceStore;
import dev.boxoffice.backend.store.NoticeCatchUpStore;
import dev.boxoffice.backend.store.NotificationStore;
import dev.boxoffice.backend.store.OfflineScanBatch;
import dev.boxoffice.backend.store.OrderStore;
import dev.boxoffice.backend.store.PaymentStore;
import dev.boxoffice.backend.store.PurchaseBatch;
import dev.boxoffice.backend.store.RefundStore;
import dev.boxoffice.backend.store.RoleStore;
import dev.boxoffice.backend.store.SessionRevocationStore;
import dev.boxoffice.backend.store.WaitingRoomStore;
import dev.boxoffice.backend.stripe.SecretsManagerStripeKeys;
import dev.boxoffice.backend.stripe.StripeKeys;
import dev.boxoffice.backend.stripe.StripePayments;
import dev.boxoffice.backend.web.ApiOperations;
import dev.boxoffice.backend.web.AttendeeHandlers;
import dev.boxoffice.backend.web.CatalogHandlers;
import dev.boxoffice.backend.web.CheckInHandlers;
import dev.boxoffice.backend.web.HttpVerticle;
import dev.boxoffice.backend.web.ManagementVerticle;
import dev.boxoffice.backend.web.PaymentHandlers;
import dev.boxoffice.backend.team.RoleReloadVerticle;
import dev.boxoffice.backend.team.RoleReloader;
import dev.boxoffice.backend.team.TeamService;
import dev.boxoffice.backend.web.SalesHandlers;
import dev.boxoffice.backend.web.SessionHandlers;
import dev.boxoffice.backend.web.TeamHandlers;
import dev.boxoffice.backend.web.Sessions;
import dev.boxoffice.backend.web.WaitingRoomHandlers;
import dev.boxoffice.backend.workflows.IssuanceOutcomeVerticle;
import dev.boxoffice.backend.workflows.NoticeCatchUpVerticle;
import dev.boxoffice.backend.workflows.NotificationPublisherVerticle;
import dev.boxoffice.backend.workflows.NotificationTarget;
import dev.boxoffice.backend.workflows.StepFunctions;
import dev.boxoffice.backend.workflows.TicketIssuerVerticle;
import dev.boxoffice.backend.workflows.WorkflowCatchUpVerticle;
import dev.boxoffice.backend.tracing.Tracing;
import dev.boxoffice.backend.workflows.WorkflowStarterVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The running backend: migrations applied, one Vert.x with metrics and traces, the shared PostgreSQL pool and Redis client,
 * and the verticles deployed in order. Started and stopped from a plain thread, never from an event loop.
 *
 * <p>Longer than most classes on purpose: it is the composition root, the one place that sees every layer, so the
 * order of deployment (consumers before the relay, the relay before the sweepers) and of shutdown reads top to bottom
 * here instead of being spread over factories.
 */
public final class Boxoffice implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Boxoffice.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  /** How often a backend reads the check-in counts of an event someone watches live. */
  private static final long CHECK_IN_POLL_MS = 1000;
  /** Within ECS's stop timeout (30 s), so that a backend that cannot stop in time says why before it is killed. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  /** What closing Vert.x and its clients gets even when a verticle used up the stop timeout. */
  private static final Duration CLOSE_AT_LEAST = Duration.ofSeconds(5);

  /**
   * What is tuned in code rather than configured: the per-buyer purchase rate limit, how many event loops
   * coalesce purchases (each ticket type belongs to one of them), how long a relayed domain event is left to its
   * consumer before the workflow catch-up starts its workflow or the notice catch-up publishes its buyer's notice,
   * how often payment reconciliation and refunds run, how many waiting-room visits a backend makes at once before
   * it sheds more, and how long after its start an issuance batch whose outcomes have not all come is looked at in
   * Step Functions.
   */
  public record Tuning(PurchaseGate.Limit purchaseLimit, int purchaseLanes, Duration workflowCatchUpSettleTime,
                       Duration noticeCatchUpSettleTime, Duration reconciliationInterval, Duration refundInterval,
                       int waitingRoomVisitsInFlight, Duration issuanceFirstLook) {

    /** Two minutes: a batch of a thousand tickets issues in seconds unless create-ticket keeps failing. */
    public static final Duration ISSUANCE_FIRST_LOOK = Duration.ofMinutes(2);

    public Tuning(PurchaseGate.Limit purchaseLimit, int purchaseLanes, Duration workflowCatchUpSettleTime,
                  Duration noticeCatchUpSettleTime, Duration reconciliationInterval, Duration refundInterval,
                  int waitingRoomVisitsInFlight) {
      this(purchaseLimit, purchaseLanes, workflowCatchUpSettleTime, noticeCatchUpSettleTime, reconciliationInterval,
          refundInterval, waitingRoomVisitsInFlight, ISSUANCE_FIRST_LOOK);
    }

    public static Tuning defaults() {
      return new Tuning(PurchaseGate.DEFAULT_LIMIT, Runtime.getRuntime().availableProcessors(),
          WorkflowCatchUpVerticle.SETTLE_TIME, NoticeCatchUpVerticle.SETTLE_TIME, PaymentJobsVerticle.INTERVAL,
          PaymentJobsVerticle.INTERVAL, WaitingRoomService.DEFAULT_MAX_IN_FLIGHT);
    }

    public Tuning withPaymentJobIntervals(Duration reconciliation, Duration refunds) {
      return new Tuning(purchaseLimit, purchaseLanes, workflowCatchUpSettleTime, noticeCatchUpSettleTime,
          reconciliation, refunds, waitingRoomVisitsInFlight, issuanceFirstLook);
    }

    public Tuning withNoticeCatchUpSettleTime(Duration settleTime) {
      return new Tuning(purchaseLimit, purchaseLanes, workflowCatchUpSettleTime, settleTime, reconciliationInterval,
          refundInterval, waitingRoomVisitsInFlight, issuanceFirstLook);
    }

    public Tuning withWaitingRoomVisitsInFlight(int visits) {
      return new Tuning(purchaseLimit, purchaseLanes, workflowCatchUpSettleTime, noticeCatchUpSettleTime,
          reconciliationInterval, refundInterval, visits, issuanceFirstLook);
    }

    public Tuning withIssuanceFirstLook(Duration firstLook) {
      return new Tuning(purchaseLimit, purchaseLanes, workflowCatchUpSettleTime, noticeCatchUpSettleTime,
          reconciliationInterval, refundInterval, waitingRoomVisitsInFlight, firstLook);
    }
  }

  private final Config config;
  private final Vertx vertx;
  private final Pool pool;
  private final Redis redis;
  private final AwsCredentialsProvider awsCredentials;
  /** The verticles deployed, the last on top: {@link #close} undeploys them in that order. */
  private final Deque<Deployment> deployments = new ArrayDeque<>();
  /** What the payment provider holds open (its HTTP client, the secret's refresher), closed after the verticles. */
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private StepFunctions stepFunctions;
  private RoleReloader roleReloader;
  private RevocationReloader revocationReloader;

  private Boxoffice(Config config, Vertx vertx, Pool pool, Redis redis, AwsCredentialsProvider awsCredentials) {
    this.config = config;
    this.vertx = vertx;
    this.pool = pool;
    this.redis = redis;
    this.awsCredentials = awsCredentials;
  }

  /** Applies the migrations, then deploys the verticles; blocks until the HTTP port is listening. */
  public static Boxoffice start(Config config) throws Exception {
    return start(config, Tuning.defaults());
  }

  /** Calls AWS with the SDK's default credentials chain: the ECS task role in AWS. */
  public static Boxoffice start(Config config, Tuning tuning) throws Exception {
    return start(config, tuning, DefaultCredentialsProvider.builder().build());
  }

  /**
   * Calls AWS (Step Functions, Secrets Manager) with {@code awsCredentials}: how the local stack, which runs the
   * backend in-process, hands it the credentials of its local task role. Stripe's keys come from the Secrets Manager
   * secret of {@code BOXOFFICE_STRIPE_SECRET_ID}, when set.
   */
  public static Boxoffice start(Config config, Tuning tuning, AwsCredentialsProvider awsCredentials)
      throws Exception {
    return start(config, tuning, awsCredentials, null);
  }

  /**
   * As {@link #start(Config, Tuning, AwsCredentialsProvider)}, with the Stripe keys handed in-process: the local stack
   * and the tests give those of their local Stripe server (at {@code BOXOFFICE_STRIPE_API_BASE}).
   */
  public static Boxoffice start(Config config, Tuning tuning, AwsCredentialsProvider awsCredentials,
                                Supplier<StripeKeys> stripeKeys) throws Exception {
    long started = System.nanoTime();
    SessionKeys sessionKeys = SessionKeys.load(config);
    var migration = Migrations.migrate(config.database());
    LOG.info("database schema at version {} ({} migrations applied)",
        migration.targetSchemaVersion == null ? "unchanged" : migration.targetSchemaVersion,
        migration.migrationsExecuted);

    String registry = "boxoffice-" + INSTANCES.incrementAndGet();
    Tracing tracing = Tracing.start(config.tracing());
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions()
            .setEventLoopPoolSize(eventLoops(config, tuning))
            .setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .setRegistryName(registry)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
        .withTracer(new OpenTelemetryTracingFactory(tracing.openTelemetry()))
        .build();
    Pool pool = Databases.pool(vertx, config.database());
    Redis redis = RedisClients.create(vertx, config.redis());
    Readiness readiness = new Readiness(pool, redis, BackendRegistries.getNow(registry));
    Boxoffice app = new Boxoffice(config, vertx, pool, redis, awsCredentials);
    app.closeables.push(tracing);
    try {
      ActiveRoles roles = new ActiveRoles(config.auth().administrators());
      TeamService team = app.loadRoles(roles);
      RevokedSessions revoked = new RevokedSessions(Clock.systemUTC());
      SessionService signOuts = app.loadRevocations(revoked);
      Sessions sessions = Sessions.create(sessionKeys, config, roles, revoked);
      ResponseCache cache = new ResponseCache(redis);
      SoldOutFlags soldOutFlags = new SoldOutFlags(redis);
      PurchaseDesk desk = PurchaseDesk.deploy(vertx,
              lane -> new PurchaseBatch(Databases.pool(vertx, config.database(), "boxoffice-pg-sale-" + lane,
                  Databases.CONNECTIONS_PER_PURCHASE_LANE)),
              soldOutFlags, cache, tuning.purchaseLanes(), BackendRegistries.getNow(registry))
          .await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      SalesService sales = new SalesService(new OrderStore(pool), desk,
          new PurchaseGate(redis, tuning.purchaseLimit()), soldOutFlags, cache);
      PaymentService payments = app.deployPayments(tuning, soldOutFlags, cache, stripeKeys);
      WaitingRoomStore waitingRoomStore = new WaitingRoomStore(pool);
      Admissions admissions = Admissions.load(waitingRoomStore)
          .await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      ApiOperations operations = new ApiOperations(
          config,
          new CatalogHandlers(new CatalogService(new CatalogStore(pool), cache, soldOutFlags), cache),
          new SalesHandlers(sales, admissions),
          new PaymentHandlers(payments),
          checkInHandlers(vertx, pool, config),
          new WaitingRoomHandlers(new WaitingRoomService(waitingRoomStore, new WaitingLine(redis), soldOutFlags,
              admissions,
              Clock.systemUTC(), tuning.waitingRoomVisitsInFlight(), BackendRegistries.getNow(registry))),
          attendeeHandlers(vertx, pool),
          new TeamHandlers(team),
          new SessionHandlers(signOuts),
          sessions.devLogin());
      app.deployWorkflows(tuning, registry);
      app.deployBuyerNotifications(tuning, registry);
      app.deploy(() -> new OutboxRelayVerticle(pool, config.outboxRelay(), BackendRegistries.getNow(registry)),
          new DeploymentOptions());
      if (config.management().isPresent()) {
        app.deploy(() -> new ManagementVerticle(config.management().get(), readiness, registry),
            new DeploymentOptions());
      }
      app.deploy(() -> new HttpVerticle(config, readiness, registry, operations, sessions),
          new DeploymentOptions().setInstances(config.httpInstances()));
    } catch (Exception e) {
      app.close();
      throw e;
    }
    LOG.info("backend listening on http://{}:{} ({} HTTP verticles{}) after {} ms", config.httpHost(),
        config.httpPort(), config.httpInstances(), config.management()
            .map(management -> "; metrics on http://" + management.host() + ":" + management.port()).orElse(""),
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    return app;
  }

  /**
   * Grants the configuration's organizers and door staff where they never had a grant (the one-time bootstrap), loads
   * the active grants before any request is served, and reloads them every {@link RoleReloadVerticle#INTERVAL}.
   */
  private TeamService loadRoles(ActiveRoles roles) throws Exception {
    RoleStore store = new RoleStore(pool);
    Config.Auth auth = config.auth();
    int granted = store.bootstrap(auth.organizerEmails(), auth.doorStaff())
        .await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (granted > 0) {
      LOG.info("granted {} roles of BOXOFFICE_ORGANIZER_EMAILS and BOXOFFICE_DOOR_STAFF_EMAILS (once; the"
          + " application manages them from now on)", granted);
    }
    roleReloader = new RoleReloader(store, roles);
    roleReloader.reload().await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    deploy(() -> new RoleReloadVerticle(roleReloader), new DeploymentOptions());
    return new TeamService(store, roleReloader, roles);
  }

  /**
   * Loads the revoked sessions before any request is served and reads new ones every
   * {@link RevocationReloadVerticle#INTERVAL}; with the Lambdas' table configured, each revocation is copied there.
   */
  private SessionService loadRevocations(RevokedSessions revoked) throws Exception {
    Config.RevokedSessionsTable settings = config.revokedSessions();
    Optional<RevokedSessionsTable> table = settings.tableName().map(name -> RevokedSessionsTable.create(vertx,
        settings, name, config.serverless().region(), awsCredentials));
    table.ifPresentOrElse(closeables::push, () -> LOG.info("no revoked-sessions table configured"
        + " (BOXOFFICE_REVOKED_SESSIONS_TABLE): the backends refuse signed-out sessions, the Lambdas do not"));
    SessionRevocationStore store = new SessionRevocationStore(pool);
    revocationReloader = new RevocationReloader(store, revoked, table);
    revocationReloader.reload().await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    deploy(() -> new RevocationReloadVerticle(revocationReloader), new DeploymentOptions());
    return new SessionService(store, new RoleStore(pool), revocationReloader, Clock.systemUTC());
  }

  /** What the revocations' reload timer does first, now, as {@link #reloadRoles()} for the grants. */
  public Future<Void> reloadRevocations() {
    return revocationReloader.reload();
  }

  /** What the reload timer does, now: how a test sees another backend's change without waiting for the timer. */
  public Future<Void> reloadRoles() {
    return roleReloader.reload();
  }

  private static CheckInHandlers checkInHandlers(Vertx vertx, Pool pool, Config config) {
    Clock clock = Clock.systemUTC();
    DoorStore doors = new DoorStore(pool);
    return new CheckInHandlers(new CheckInService(new CheckInStore(pool), config, clock),
        new DoorService(doors, config, clock),
        new OfflineCheckIn(vertx, doors, new OfflineScanBatch(pool), config, clock));
  }

  private static AttendeeHandlers attendeeHandlers(Vertx vertx, Pool pool) {
    AttendeeStore store = new AttendeeStore(pool);
    return new AttendeeHandlers(new AttendeeService(store, new CheckInWatch(vertx, store, CHECK_IN_POLL_MS)));
  }

  /**
   * Vert.x's default (two per core), or enough that every purchase lane gets an event loop of its own: event loops
   * are handed out round-robin in deployment order, and a lane sharing its loop with an HTTP verticle sees each step
   * of its transaction wait behind the requests that loop parses.
   */
  private static int eventLoops(Config config, Tuning tuning) {
    int others = 6; // the outbox relay, the hold sweeper, payment jobs, the role and revocation reloads, the workflows
    return Math.max(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE, tuning.purchaseLanes() + others + config.httpInstances());
  }

  /**
   * The hold sweeper on every backend, and with a payment provider (Stripe keys from Secrets Manager or handed in),
   * reconciliation and refunds; without one, priced tickets can be held but checkout answers 503.
   */
  private PaymentService deployPayments(Tuning tuning, SoldOutFlags soldOutFlags, ResponseCache cache,
                                        Supplier<StripeKeys> handedKeys) throws Exception {
    Config.Payments settings = config.payments();
    Supplier<StripeKeys> keys = handedKeys;
    if (keys == null && settings.stripeSecretId().isPresent()) {
      SecretsManagerStripeKeys fetched = SecretsManagerStripeKeys.load(vertx, settings.stripeSecretId().get(),
          config.serverless().region(), awsCredentials, settings.secretsManagerEndpoint());
      closeables.push(fetched);
      keys = fetched;
    }
    HoldStore holds = new HoldStore(pool);
    RefundStore refunds = new RefundStore(pool);
    Optional<PaymentProvider> provider = Optional.empty();
    if (keys != null) {
      StripePayments stripe = StripePayments.create(vertx, settings.apiBase(), keys);
      closeables.push(stripe::close);
      provider = Optional.of(stripe);
    }
    PaymentService payments = new PaymentService(holds, new PaymentStore(pool), refunds, provider, soldOutFlags, cache,
        settings.publicUrl());
    deploy(() -> new HoldSweeperVerticle(holds, soldOutFlags, cache), new DeploymentOptions());
    if (provider.isPresent()) {
      PaymentProvider stripe = provider.get();
      deploy(() -> new PaymentJobsVerticle(holds, refunds, payments, stripe, tuning.reconciliationInterval(),
          tuning.refundInterval()), new DeploymentOptions());
      LOG.info("card payments through Stripe at {}; buyers come back to {}", settings.apiBase(), settings.publicUrl());
    } else {
      LOG.info("no payment provider configured (BOXOFFICE_STRIPE_SECRET_ID): priced tickets can be held, not paid");
    }
    return payments;
  }

  /** Before the relay, so that no event it relays finds the workflows missing. */
  private void deployWorkflows(Tuning tuning, String registry) throws Exception {
    Config.Serverless serverless = config.serverless();
    if (!serverless.workflowsConfigured()) {
      LOG.info("no Step Functions state machine configured (BOXOFFICE_TICKET_ISSUANCE_STATE_MACHINE_ARN,"
          + " BOXOFFICE_EVENT_ANNOUNCEMENT_STATE_MACHINE_ARN, BOXOFFICE_TICKET_CANCELLATION_STATE_MACHINE_ARN):"
          + " domain events are relayed but start no workflow, and tickets' QR status stays pending");
      return;
    }
    stepFunctions = StepFunctions.create(vertx, serverless, awsCredentials);
    if (serverless.ticketIssuanceStateMachineArn().isPresent()) {
      deployIssuance(serverless.ticketIssuanceStateMachineArn().get(), tuning);
    }
    IssuanceStore orders = new IssuanceStore(pool);
    deploy(() -> new WorkflowStarterVerticle(orders, stepFunctions, serverless), new DeploymentOptions());
    deploy(() -> new WorkflowCatchUpVerticle(new CatchUpStore(pool), orders, stepFunctions, serverless,
            tuning.workflowCatchUpSettleTime(), BackendRegistries.getNow(registry)),
        new DeploymentOptions());
    LOG.info("domain events start Step Functions workflows: ticket issuance {}, event announcement {},"
            + " ticket cancellation {}",
        serverless.ticketIssuanceStateMachineArn().orElse("off"),
        serverless.eventAnnouncementStateMachineArn().orElse("off"),
        serverless.ticketCancellationStateMachineArn().orElse("off"));
  }

  /** Batches of orders issued by the ticket-issuance state machine; their outcomes read from the outcome queue. */
  private void deployIssuance(String stateMachineArn, Tuning tuning) throws Exception {
    Config.Issuance settings = config.issuance();
    IssuanceStore store = new IssuanceStore(pool);
    deploy(() -> new TicketIssuerVerticle(store, stepFunctions, stateMachineArn, settings.batchesInFlight(),
        tuning.issuanceFirstLook()), new DeploymentOptions());
    if (settings.outcomeQueueUrl().isEmpty()) {
      LOG.warn("no issuance outcome queue configured (BOXOFFICE_ISSUANCE_OUTCOME_QUEUE_URL): tickets become ready"
          + " only when the sweep of overdue batches reads their executions");
      return;
    }
    SqsClient sqs = IssuanceOutcomeVerticle.client(config.serverless().region(), awsCredentials,
        settings.sqsEndpoint());
    closeables.push(sqs);
    String queueUrl = settings.outcomeQueueUrl().get();
    deploy(() -> new IssuanceOutcomeVerticle(store, sqs, queueUrl), new DeploymentOptions());
  }

  /**
   * Before the relay too: the buyer's emails about holds, payments, refunds and cancellations, and their catch-up for
   * the notices a backend relayed and never published.
   */
  private void deployBuyerNotifications(Tuning tuning, String registry) throws Exception {
    Config.BuyerNotifications settings = config.notifications();
    if (settings.topicArn().isEmpty()) {
      LOG.info("no notification topic configured (BOXOFFICE_NOTIFICATION_TOPIC_ARN): buyers are not mailed about"
          + " expired holds, declined payments, refunds and cancellations");
      return;
    }
    String topicArn = settings.topicArn().get();
    NotificationTarget target = new NotificationTarget(settings, topicArn, config.serverless().region(),
        awsCredentials);
    NotificationStore store = new NotificationStore(pool);
    NoticeCatchUpStore records = new NoticeCatchUpStore(pool);
    deploy(() -> new NotificationPublisherVerticle(store, records, target, BackendRegistries.getNow(registry)),
        new DeploymentOptions());
    deploy(() -> new NoticeCatchUpVerticle(records, store, target, tuning.noticeCatchUpSettleTime(),
        BackendRegistries.getNow(registry)), new DeploymentOptions());
    LOG.info("buyers are told of expired holds, declined payments, refunds and cancellations through {}", topicArn);
  }

  private record Deployment(String id, String verticle) {
  }

  private void deploy(Supplier<Deployable> verticle, DeploymentOptions options) throws Exception {
    AtomicReference<String> name = new AtomicReference<>();
    String id = vertx.deployVerticle(() -> {
      Deployable instance = verticle.get();
      name.set(instance.getClass().getSimpleName());
      return instance;
    }, options).await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    deployments.push(new Deployment(id, name.get()));
  }

  public Config config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Pool pool() {
    return pool;
  }

  public Redis redis() {
    return redis;
  }

  /**
   * Stops the way ECS expects after a SIGTERM: the HTTP verticles first (no new connection; the requests in flight
   * are answered within their grace period), then the relay and the workflows (each finishes its round), last
   * deployed first, and only then Vert.x with the PostgreSQL pool and the Redis client. Vert.x alone would close the
   * clients before undeploying anything, failing the purchases in flight. The purchase lanes, deployed by the
   * desk, hold no request once the HTTP verticles have answered their last, and stop with Vert.x.
   */
  @Override
  public void close() throws Exception {
    long started = System.nanoTime();
    long deadline = started + STOP_TIMEOUT.toNanos();
    LOG.info("stopping: no new connections; finishing the requests in flight");
    try {
      while (!deployments.isEmpty()) {
        undeployQuietly(deployments.pop(), deadline);
      }
      vertx.close().await(Math.max(CLOSE_AT_LEAST.toNanos(), deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      LOG.info("stopped in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
    } finally {
      if (stepFunctions != null) {
        stepFunctions.close();
      }
      while (!closeables.isEmpty()) {
        closeables.pop().close();
      }
    }
  }

  private void undeployQuietly(Deployment deployment, long deadline) {
    try {
      vertx.undeploy(deployment.id()).await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (Exception e) {
      LOG.warn("{} did not stop cleanly; stopping the others: {}", deployment.verticle(), e.toString());
    }
  }
}
