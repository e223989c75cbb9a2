package dev.boxoffice.local.aws.dynamodb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a child left running by a stack that crashed: the pid file names it, and it is killed only if that process
 * still runs the expected program, so a recycled pid never takes an unrelated process down.
 */
final class StaleProcess {

  private static final Logger LOG = LoggerFactory.getLogger(StaleProcess.class);

  private StaleProcess() {
  }

  static void killRecorded(Path pidFile, String commandLineMarker) throws IOException {
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    String recorded = Files.readString(pidFile).trim();
    Files.delete(pidFile);
    long pid;
    try {
      pid = Long.parseLong(recorded);
    } catch (NumberFormatException e) {
      LOG.warn("ignoring {}: '{}' is not a pid", pidFile, recorded);
      return;
    }
    Optional<ProcessHandle> stale = ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(process -> process.info().commandLine().orElse("").contains(commandLineMarker));
    if (stale.isEmpty()) {
      return;
    }
    LOG.warn("stopping {} (pid {}) left running by a previous stack", commandLineMarker, pid);
    ProcessHandle process = stale.get();
    process.destroy();
    try {
      process.onExit().get(5, TimeUnit.SECONDS);
    } catch (Exception notYet) {
      process.destroyForcibly();
      process.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(timeout -> process).join();
    }
  }
}
