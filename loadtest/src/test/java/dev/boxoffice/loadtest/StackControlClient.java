package dev.boxoffice.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
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

/**
 * The control endpoint of a stack started with {@code ./boxoffice up --backends N}, found through
 * {@code <data folder>/stack-control.json}: what {@code ./boxoffice restart-backend K} and {@code ./boxoffice backends}
 * ask, for the simulations that restart backends under load.
 */
final class StackControlClient {

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI url;
  private final String token;

  StackControlClient(Path dataDir) {
    Path file = dataDir.resolve("stack-control.json");
    try {
      JsonObject control = new JsonObject(Files.readString(file));
      this.url = URI.create(control.getString("url"));
      this.token = control.getString("token");
    } catch (IOException e) {
      throw new UncheckedIOException("no stack with a load balancer runs with its data in " + dataDir
          + " (./boxoffice up --backends 2; -Dboxoffice.stackDataDir names its data folder)", e);
    }
  }

  /** The data folder of {@code -Dboxoffice.stackDataDir}, by default the repository's {@code .boxoffice}. */
  static StackControlClient fromProperties() {
    return new StackControlClient(Path.of(System.getProperty("boxoffice.stackDataDir", "../.boxoffice")));
  }

  /** Replaces backend {@code number} as ECS does and returns the figures of its restart; fails when it failed. */
  JsonObject restart(int number) {
    HttpRequest request = HttpRequest.newBuilder(url.resolve("/backends/" + number + "/restart"))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
    try (InputStream body = client.send(request, HttpResponse.BodyHandlers.ofInputStream()).body();
         BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        JsonObject step = new JsonObject(line);
        if (step.containsKey("done")) {
          return step.getJsonObject("done");
        }
        if (step.containsKey("failed")) {
          throw new IllegalStateException("restarting backend " + number + " failed: " + step.getString("failed"));
        }
        System.out.println("[restart] " + step.getString("progress"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("the stack stopped answering during the restart of backend " + number);
  }

  /** Each target's state and the balancer's counters of it: requests, retries, redispatches, 5xx answers. */
  JsonArray targets() {
    HttpRequest request = HttpRequest.newBuilder(url.resolve("/backends"))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json")
        .build();
    try {
      return new JsonObject(client.send(request, HttpResponse.BodyHandlers.ofString()).body()).getJsonArray("targets");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
