package dev.boxoffice.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a simulation measured and checked, written as {@code <resultsDir>/<simulation>.json} for the benchmark report
 * and the smoke tests; a run whose checks found violations fails after writing them down.
 */
final class RunResults {

  private RunResults() {
  }

  static void conclude(String simulation, JsonObject figures, List<String> violations) {
    JsonObject results = figures.copy()
        .put("simulation", simulation)
        .put("profile", LoadShape.smoke() ? "smoke" : "full")
        .put("violations", new JsonArray(List.copyOf(violations)));
    Path file = LoadShape.resultsDir().resolve(simulation + ".json");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, results.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!violations.isEmpty()) {
      throw new IllegalStateException(simulation + " broke " + violations.size() + " checks: "
          + String.join("; ", violations.subList(0, Math.min(10, violations.size()))));
    }
  }

  /** Answers per second over a window measured between the first request sent and the last answer. */
  static double perSecond(long answers, long firstNanos, long lastNanos) {
    return lastNanos <= firstNanos ? 0 : answers / ((lastNanos - firstNanos) / 1e9);
  }
}
