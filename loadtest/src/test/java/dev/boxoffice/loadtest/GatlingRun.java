package dev.boxoffice.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatling.app.Gatling$;
import io.gatling.javaapi.core.Simulation;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;

/** One simulation run in the test's JVM, for the smoke tests. */
final class GatlingRun {

  private GatlingRun() {
  }

  /**
   * Runs the simulation (its assertions must hold) with its reports under {@code dataDir}, and returns the figures it
   * wrote to {@code -Dboxoffice.resultsDir}, which list no violation.
   */
  static JsonObject run(Class<? extends Simulation> simulation, String name, Path dataDir) throws Exception {
    int status = Gatling$.MODULE$.fromArgs(new String[] {
        "-s", simulation.getName(),
        "-rf", dataDir.resolve("gatling").toString(),
        "-nr"});
    assertThat(status).as("Gatling's exit status (2: an assertion failed)").isZero();
    JsonObject results = new JsonObject(Files.readString(LoadShape.resultsDir().resolve(name + ".json")));
    assertThat(results.getJsonArray("violations")).as("violations of %s", name).isEmpty();
    return results;
  }
}
