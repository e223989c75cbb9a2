package dev.boxoffice.local.aws.dynamodb;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import dev.boxoffice.local.aws.cloudformation.TableDefinition;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.servers.LoopbackPorts;
import dev.boxoffice.local.servers.StaleProcess;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB for the local stack: dynalite as a child process on a loopback port of its own, persisting under
 * {@code <dataDir>/dynamodb}, with the tables of the CloudFormation template created on start, behind
 * {@link DynamoDbFront} on the advertised port, which checks signatures and the callers' permissions.
 * {@link #start} blocks until both answer and the tables exist: call it from a worker thread.
 */
public final class LocalDynamoDb implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalDynamoDb.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration TTL_SWEEP_INTERVAL = Duration.ofSeconds(30);
  private static final int PORT_ATTEMPTS = 3;

  private final Process dynalite;
  private final Path pidFile;
  private final Vertx frontVertx;
  private final URI endpoint;
  private final DynamoDbClient client;
  private final TimeToLiveSweeper sweeper;
  private final ScheduledExecutorService sweepSchedule;

  private LocalDynamoDb(Process dynalite, Path pidFile, Vertx frontVertx, URI endpoint, DynamoDbClient client,
                        List<TableDefinition> tables) {
    this.dynalite = dynalite;
    this.pidFile = pidFile;
    this.frontVertx = frontVertx;
    this.endpoint = endpoint;
    this.client = client;
    this.sweeper = new TimeToLiveSweeper(client, tables);
    this.sweepSchedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "dynamodb-ttl-sweeper");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts dynalite on {@code port} of 127.0.0.1 (0 picks a free port) and creates the template's tables. */
  public static LocalDynamoDb start(Path dataDir, int port, Path template) throws IOException {
    return start(dataDir, port, CloudFormationTemplate.load(template), DynaliteInstallation.locate());
  }

  public static LocalDynamoDb start(Path dataDir, int port, CloudFormationTemplate template,
                                    DynaliteInstallation installation) throws IOException {
    return start(dataDir, port, template, installation, LocalIam.administratorOnly(LocalCredentials.ACCOUNT,
        LocalCredentials.REGION, LocalCredentials.ADMINISTRATOR));
  }

  /** As {@link #start(Path, int, CloudFormationTemplate, DynaliteInstallation)}, authorizing calls with {@code iam}. */
  public static LocalDynamoDb start(Path dataDir, int port, CloudFormationTemplate template,
                                    DynaliteInstallation installation, LocalIam iam) throws IOException {
    List<TableDefinition> tables = template.tables();
    Path cli = installation.cliScript();
    Files.createDirectories(dataDir);
    Path pidFile = dataDir.resolve("dynamodb.pid");
    StaleProcess.stopIfRunning(pidFile, "dynalite", Duration.ofSeconds(5));
    Path log = dataDir.resolve("dynamodb.log");
    Process dynalite = null;
    int dynalitePort = 0;
    for (int attempt = 1; dynalite == null; attempt++) {
      dynalitePort = LoopbackPorts.free();
      try {
        dynalite = launch(cli, dataDir, dynalitePort, log, pidFile);
      } catch (IOException portTakenMeanwhile) {
        // a port picked for us can still be taken before dynalite binds it (see LoopbackPorts): try another
        if (attempt == PORT_ATTEMPTS) {
          throw portTakenMeanwhile;
        }
      }
    }
    DynamoDbClient client = null;
    Vertx frontVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    URI endpoint;
    try {
      endpoint = startFront(frontVertx, new DynamoDbFront(iam, port, dynalitePort));
      client = DynamoDbClient.builder()
          .endpointOverride(URI.create("http://127.0.0.1:" + dynalitePort))
          .region(Region.of(LocalCredentials.REGION))
          .credentialsProvider(StaticCredentialsProvider.create(
              AwsBasicCredentials.create(LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY)))
          .build();
      new TableCreator(client).createOrReplace(tables);
    } catch (IOException | RuntimeException | Error e) {
      if (client != null) {
        client.close();
      }
      closeQuietly(frontVertx);
      stopProcess(dynalite);
      Files.deleteIfExists(pidFile);
      throw e;
    }
    LocalDynamoDb dynamoDb = new LocalDynamoDb(dynalite, pidFile, frontVertx, endpoint, client, tables);
    dynamoDb.sweepSchedule.scheduleWithFixedDelay(dynamoDb::sweepLogged,
        TTL_SWEEP_INTERVAL.toSeconds(), TTL_SWEEP_INTERVAL.toSeconds(), TimeUnit.SECONDS);
    LOG.info("DynamoDB listening at {} (dynalite, pid {}, on port {}) with tables {}", endpoint, dynalite.pid(),
        dynalitePort, tables.stream().map(TableDefinition::tableName).toList());
    return dynamoDb;
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Process id of the dynalite child, recorded in {@code <dataDir>/dynamodb.pid} while it runs. */
  public long pid() {
    return dynalite.pid();
  }

  /**
   * Deletes the items whose TTL attribute (epoch seconds) lies in the past, as DynamoDB's TTL does; dynalite 4.0.0
   * has no UpdateTimeToLive, so the local stack runs this every 30 seconds itself.
   *
   * @return how many items were deleted
   */
  public int deleteExpiredItems() {
    return sweeper.deleteExpired();
  }

  public void stop() {
    sweepSchedule.shutdownNow();
    client.close();
    closeQuietly(frontVertx);
    stopProcess(dynalite);
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      LOG.warn("cannot delete {}", pidFile, e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static URI startFront(Vertx vertx, DynamoDbFront front) throws IOException {
    try {
      vertx.deployVerticle(front).await(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException("the DynamoDB endpoint did not start", e);
    }
    return URI.create("http://127.0.0.1:" + front.actualPort());
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().await(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("the DynamoDB endpoint did not stop cleanly", e);
    }
  }

  private void sweepLogged() {
    try {
      int deleted = sweeper.deleteExpired();
      if (deleted > 0) {
        LOG.debug("TTL sweep deleted {} expired items", deleted);
      }
    } catch (RuntimeException e) {
      LOG.warn("TTL sweep failed", e);
    }
  }

  /** Starts dynalite on {@code port} and waits until it listens; on failure no child and no pid file remain. */
  private static Process launch(Path cli, Path dataDir, int port, Path log, Path pidFile) throws IOException {
    Process dynalite = new ProcessBuilder("node", cli.toString(),
        "--host", "127.0.0.1",
        "--port", Integer.toString(port),
        "--createTableMs", "0",
        "--deleteTableMs", "0",
        "--updateTableMs", "0",
        "--path", dataDir.resolve("dynamodb").toAbsolutePath().toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    Files.writeString(pidFile, Long.toString(dynalite.pid()));
    try {
      awaitListening(dynalite, port, log);
      return dynalite;
    } catch (IOException | RuntimeException | Error e) {
      stopProcess(dynalite);
      Files.deleteIfExists(pidFile);
      throw e;
    }
  }

  /** Waits for dynalite's own "listening" line: a connect alone could reach another server holding the port. */
  private static void awaitListening(Process dynalite, int port, Path log) throws IOException {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.readString(log).contains("Dynalite listening at")) {
        return;
      }
      if (!dynalite.isAlive()) {
        throw new IOException("dynalite exited with " + dynalite.exitValue() + ":\n" + Files.readString(log));
      }
      pause();
    }
    throw new IOException("dynalite did not listen on port " + port + " within " + STARTUP_TIMEOUT + ":\n"
        + Files.readString(log));
  }

  private static void pause() throws IOException {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for dynalite", e);
    }
  }

  static void stopProcess(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
