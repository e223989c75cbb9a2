package dev.boxoffice.local.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a server process left behind by a previous run that was killed before it could stop its children, so a
 * second start after a crash finds its port and data directory free. The process is stopped only if its command line
 * still names the expected program, so a recycled pid never takes an unrelated process down.
 */
public final class StaleProcess {

  private static final Logger LOG = LoggerFactory.getLogger(StaleProcess.class);

  private StaleProcess() {
  }

  /** Stops the process whose pid is on the first line of {@code pidFile}, if it is still a {@code commandHint}. */
  public static void stopIfRunning(Path pidFile, String commandHint, Duration grace) throws IOException {
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    Optional<ProcessHandle> stale = readPid(pidFile).flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(process -> process.info().commandLine().map(line -> line.contains(commandHint)).orElse(false));
    if (stale.isEmpty()) {
      return;
    }
    ProcessHandle process = stale.get();
    LOG.warn("stopping {} (pid {}) left running by an earlier start", commandHint, process.pid());
    process.destroy();
    try {
      process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception notYet) {
      process.destroyForcibly();
      process.onExit().join();
    }
  }

  private static Optional<Long> readPid(Path pidFile) throws IOException {
    String firstLine = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
    try {
      return Optional.of(Long.parseLong(firstLine));
    } catch (NumberFormatException notAPid) {
      return Optional.empty();
    }
  }
}
