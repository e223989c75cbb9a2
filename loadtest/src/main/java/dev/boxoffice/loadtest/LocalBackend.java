package dev.boxoffice.loadtest;

import dev.boxoffice.backend.Boxoffice;
import dev.boxoffice.backend.Logging;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.stripe.StripeKeys;
import dev.boxoffice.local.servers.LocalPostgres;
import dev.boxoffice.local.servers.LocalRedis;
import dev.boxoffice.local.servers.LoopbackPorts;
import dev.boxoffice.local.stripe.LocalStripe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

/**
 * The backend the load tests run against: embedded PostgreSQL and Redis in a data folder of its own, a local Stripe
 * server whose webhooks reach it, and {@link Boxoffice} with its default tuning on a loopback port. The smoke tests
 * start it in-process; the benchmark script starts it as a JVM of its own through {@link #main} so that the load
 * generator is a separate process.
 */
public final class LocalBackend implements AutoCloseable {

  public static final String ORGANIZER = "loadtest-organizer@example.org";

  private final LocalPostgres postgres;
  private final LocalRedis redis;
  private final LocalStripe stripe;
  private final Boxoffice app;

  private LocalBackend(LocalPostgres postgres, LocalRedis redis, LocalStripe stripe, Boxoffice app) {
    this.postgres = postgres;
    this.redis = redis;
    this.stripe = stripe;
    this.app = app;
  }

  /**
   * Starts everything with its data under {@code dataDir}, the HTTP API on {@code httpPort} (0 picks a free one).
   *
   * @param durable whether PostgreSQL fsyncs its commits, as the local stack does; false only for throw-away runs
   */
  public static LocalBackend start(Path dataDir, int httpPort, boolean durable) throws Exception {
    LocalPostgres postgres = LocalPostgres.start(dataDir.resolve("postgres"), 0, "boxoffice", durable);
    LocalRedis redis = null;
    LocalStripe stripe = null;
    try {
      redis = LocalRedis.start(dataDir.resolve("redis"), 0);
      stripe = LocalStripe.start(LocalStripe.Settings.defaults(0));
      int port = httpPort > 0 ? httpPort : LoopbackPorts.free();
      LocalStripe.WebhookEndpoint webhook = stripe.addWebhookEndpoint("http://127.0.0.1:" + port
          + "/api/payments/stripe/webhook");
      StripeKeys keys = new StripeKeys(stripe.secretKey(), List.of(webhook.secret()));
      Map<String, String> env = new HashMap<>();
      env.put("BOXOFFICE_MODE", "local");
      env.put("BOXOFFICE_HTTP_HOST", "127.0.0.1");
      env.put("BOXOFFICE_HTTP_PORT", Integer.toString(port));
      env.put("BOXOFFICE_STRIPE_API_BASE", stripe.apiBase().toString());
      env.put("BOXOFFICE_DATA_DIR", dataDir.resolve("backend").toString());
      env.put("BOXOFFICE_STATIC_DIR", Files.createDirectories(dataDir.resolve("static")).toString());
      env.put("BOXOFFICE_ORGANIZER_EMAILS", ORGANIZER);
      // The share of requests traced (local default 1): set to measure what tracing costs the hot path.
      Optional.ofNullable(System.getenv("OTEL_TRACES_SAMPLER_ARG"))
          .ifPresent(ratio -> env.put("OTEL_TRACES_SAMPLER_ARG", ratio));
      Config base = Config.fromEnvironment(env);
      Config config = base
          .withDatabase(new Config.Database(postgres.host(), postgres.port(), postgres.database(), postgres.user(),
              "", "disable", Optional.empty(), base.database().poolSize()))
          .withRedis(new Config.Redis(redis.url(), Optional.empty(), base.redis().poolSize()));
      return new LocalBackend(postgres, redis, stripe, Boxoffice.start(config, Boxoffice.Tuning.defaults(),
          AnonymousCredentialsProvider.create(), () -> keys));
    } catch (Exception e) {
      if (stripe != null) {
        stripe.close();
      }
      if (redis != null) {
        redis.close();
      }
      postgres.close();
      throw e;
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + app.config().httpPort();
  }

  public LocalPostgres postgres() {
    return postgres;
  }

  @Override
  public void close() throws Exception {
    try {
      app.close();
      stripe.close();
    } finally {
      try {
        redis.close();
      } finally {
        postgres.close();
      }
    }
  }

  /**
   * Starts the backend until the JVM is stopped. Arguments: the data folder and the HTTP port. Prints one line
   * {@code Boxoffice is ready http=<url> postgres=<port>} once it serves, for the benchmark script to read.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: LocalBackend <data folder> <http port>");
      System.exit(2);
    }
    Logging.configure(Config.LogFormat.TEXT);
    LocalBackend backend = start(Path.of(args[0]).toAbsolutePath(), Integer.parseInt(args[1]), true);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        backend.close();
      } catch (Exception e) {
        LoggerFactory.getLogger(LocalBackend.class).warn("backend did not stop cleanly", e);
      }
    }, "loadtest-backend-shutdown"));
    System.out.println("Boxoffice is ready http=" + backend.baseUrl() + " postgres=" + backend.postgres().port());
  }
}
