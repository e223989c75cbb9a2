package dev.boxoffice.local.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntSupplier;
import redis.embedded.RedisServer;

/** A real Redis server (codemonstur's embedded binaries) on 127.0.0.1 that can be stopped and started again. */
public final class LocalRedis implements AutoCloseable {

  private static final String PID_FILE = "redis.pid";
  private static final int PORT_ATTEMPTS = 3;

  private final Path dataDir;
  private final int port;
  private final String password;
  private RedisServer server;

  private LocalRedis(Path dataDir, int port, String password) {
    this.dataDir = dataDir;
    this.port = port;
    this.password = password;
  }

  /** Starts Redis on {@code port} (0 picks a free one), its pid file and scratch files in {@code dataDir}. */
  public static LocalRedis start(Path dataDir, int port) throws IOException {
    return start(dataDir, port, null);
  }

  /** As {@link #start(Path, int)}, requiring clients to AUTH with {@code password} as ElastiCache does. */
  public static LocalRedis start(Path dataDir, int port, String password) throws IOException {
    if (password != null && !password.matches("[A-Za-z0-9!&#$^<>-]{16,128}")) {
      throw new IllegalArgumentException("a Redis auth token is 16 to 128 printable characters, as ElastiCache requires");
    }
    Files.createDirectories(dataDir);
    StaleProcess.stopIfRunning(dataDir.resolve(PID_FILE), "redis-server", Duration.ofSeconds(5));
    if (port > 0) {
      LocalRedis redis = new LocalRedis(dataDir, port, password);
      redis.start();
      return redis;
    }
    return startOnPickedPort(dataDir, password, LoopbackPorts::free);
  }

  /** A port picked for us can be taken before Redis binds it (see {@link LoopbackPorts}): then another is tried. */
  static LocalRedis startOnPickedPort(Path dataDir, String password, IntSupplier ports) throws IOException {
    IOException lost = null;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      LocalRedis redis = new LocalRedis(dataDir, ports.getAsInt(), password);
      try {
        redis.start();
        return redis;
      } catch (IOException portTakenMeanwhile) {
        lost = portTakenMeanwhile;
      }
    }
    throw lost;
  }

  /** Starts the server again after {@link #stop()}, on the same port. */
  public synchronized void start() throws IOException {
    if (server != null && server.isActive()) {
      return;
    }
    server = RedisServer.newRedisServer()
        .settingIf(password != null, "requirepass " + password)
        .bind("127.0.0.1")
        .port(port)
        .setting("dir " + dataDir.toAbsolutePath())
        .setting("pidfile " + pidFile().toAbsolutePath())
        .setting("save \"\"")
        .setting("appendonly no")
        .setting("maxmemory 256mb")
        .setting("maxmemory-policy noeviction")
        .onShutdownForceStop(true)
        .build();
    server.start();
  }

  public synchronized void stop() throws IOException {
    if (server != null && server.isActive()) {
      server.stop();
    }
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  private Path pidFile() {
    return dataDir.resolve(PID_FILE);
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
