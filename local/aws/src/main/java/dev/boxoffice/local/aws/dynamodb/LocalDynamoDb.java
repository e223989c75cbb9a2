package dev.boxoffice.local.aws.dynamodb;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import dev.boxoffice.local.aws.cloudformation.TableDefinition;
import dev.boxoffice.local.servers.LoopbackPorts;
import dev.boxoffice.local.servers.StaleProcess;
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
 * DynamoDB for the local stack: dynalite as a child process on 127.0.0.1 persisting under
 * {@code <dataDir>/dynamodb}, with the tables of the CloudFormation template created on start.
 * {@link #start} blocks until dynalite answers and the tables exist: call it from a worker thread.
 */
public final class LocalDynamoDb implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalDynamoDb.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration TTL_SWEEP_INTERVAL = Duration.ofSeconds(30);
  private static final int PORT_ATTEMPTS = 3;

  private final Process dynalite;
  private final Path pidFile;
  private final URI endpoint;
  private final DynamoDbClient client;
  private final TimeToLiveSweeper sweeper;
  private final ScheduledExecutorService sweepSchedule;

  private LocalDynamoDb(Process dynalite, Path pidFile, URI endpoint, DynamoDbClient client,
                        List<TableDefinition> tables) {
    this.dynalite = dynalite;
    this.pidFile = pidFile;
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
    List<TableDefinition> tables = template.tables();
    Path cli = installation.cliScript();
    Files.createDirectories(dataDir);
    Path pidFile = dataDir.resolve("dynamodb.pid");
    StaleProcess.stopIfRunning(pidFile, "dynalite", Duration.ofSeconds(5));
    Path log = dataDir.resolve("dynamodb.log");
    Process dynalite = null;
    int listenPort = port;
    for (int attempt = 1; dynalite == null; attempt++) {
      listenPort = port == 0 ? LoopbackPorts.free() : port;
      try {
        dynalite = launch(cli, dataDir, listenPort, log, pidFile);
      } catch (IOException portTakenMeanwhile) {
        // a port picked for us can still be taken before dynalite binds it (see LoopbackPorts): try another
        if (port != 0 || attempt == PORT_ATTEMPTS) {
          throw portTakenMeanwhile;
        }
      }
    }
    URI endpoint = URI.create("http://127.0.0.1:" + listenPort);
    DynamoDbClient client = null;
    try {
      client = DynamoDbClient.builder()
          .endpointOverride(endpoint)
          .region(Region.of(LocalCredentials.REGION))
          .credentialsProvider(StaticCredentialsProvider.create(
              AwsBasicCredentials.create(LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY)))
          .build();
      new TableCreator(client).createOrReplace(tables);
    } catch (RuntimeException | Error e) {
      if (client != null) {
        client.close();
      }
      stopProcess(dynalite);
      Files.deleteIfExists(pidFile);
      throw e;
    }
    LocalDynamoDb dynamoDb = new LocalDynamoDb(dynalite, pidFile, endpoint, client, tables);
    dynamoDb.sweepSchedule.scheduleWithFixedDelay(dynamoDb::sweepLogged,
        TTL_SWEEP_INTERVAL.toSeconds(), TTL_SWEEP_INTERVAL.toSeconds(), TimeUnit.SECONDS);
    LOG.info("DynamoDB (dynalite, pid {}) listening at {} with tables {}", dynalite.pid(), endpoint,
        tables.stream().map(TableDefinition::tableName).toList());
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
