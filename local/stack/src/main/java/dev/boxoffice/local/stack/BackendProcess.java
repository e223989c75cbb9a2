package dev.boxoffice.local.stack;

import dev.boxoffice.local.servers.StaleProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One backend task: the packaged backend jar in a JVM of its own, as ECS runs the image, on a loopback port that
 * stays its own across restarts. Its output goes to the stack's, each line prefixed with its name.
 */
final class BackendProcess {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final int port;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path pidFile;
  private Process process;
  private boolean retired;

  BackendProcess(String name, int port, List<String> command, Map<String, String> environment, Path pidFile) {
    this.name = name;
    this.port = port;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.pidFile = pidFile;
  }

  /** Starts the JVM, first stopping one that a killed stack left running under the same pid file. */
  synchronized void start() throws IOException {
    if (retired) {
      throw new IllegalStateException(name + " was stopped with the stack");
    }
    StaleProcess.stopIfRunning(pidFile, "boxoffice-backend", Duration.ofSeconds(30));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    process = builder.start();
    Files.writeString(pidFile, process.pid() + "\n");
    Process started = process;
    // A platform thread: a virtual one blocked in a pipe read holds its carrier (see LocalBalancer).
    Thread.ofPlatform().daemon().name(name + "-output").start(() -> echo(started));
  }

  /** Until its readiness answers 200; false when the process exits or {@code timeout} passes first. */
  boolean awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest readiness = HttpRequest.newBuilder(URI.create(url() + "/health/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < deadline && isAlive()) {
      try {
        if (HTTP.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return true;
        }
      } catch (IOException notListeningYet) {
        // the JVM is still starting
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      LocalBalancer.sleep(POLL);
    }
    return false;
  }

  /**
   * ECS's stop: SIGTERM, then SIGKILL if the process is still there after {@code stopTimeout}. Returns whether it
   * exited by itself.
   */
  synchronized boolean stop(Duration stopTimeout) {
    if (process == null || !process.isAlive()) {
      return true;
    }
    // Through the handle: Process.destroy() would also close the output, losing what the backend logs as it stops.
    process.toHandle().destroy();
    try {
      if (process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    return false;
  }

  /** Stops it for good, with the stack: a restart under way starts no new process afterwards. */
  synchronized boolean retire(Duration stopTimeout) {
    retired = true;
    return stop(stopTimeout);
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  synchronized int exitValue() {
    return process.exitValue();
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  private void echo(Process running) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(running.getInputStream(),
        StandardCharsets.UTF_8))) {
      lines.lines().forEach(line -> System.out.println("[" + name + "] " + line));
    } catch (IOException | UncheckedIOException closedWithTheProcess) {
      // the backend stopped
    }
  }
}
