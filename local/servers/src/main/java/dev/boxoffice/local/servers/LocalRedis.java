package dev.boxoffice.local.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import redis.embedded.RedisServer;

/** A real Redis server (codemonstur's embedded binaries) on 127.0.0.1 that can be stopped and started again. */
public final class LocalRedis implements AutoCloseable {

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
    LocalRedis redis = new LocalRedis(dataDir, port > 0 ? port : freePort(), password);
    StaleProcess.stopIfRunning(redis.pidFile(), "redis-server", Duration.ofSeconds(5));
    redis.start();
    return redis;
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
    return dataDir.resolve("redis.pid");
  }

  @Override
  public void close() throws IOException {
    stop();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
