package dev.boxoffice.local.stack;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ./boxoffice restart-backend K} and {@code ./boxoffice backends}: talks to the stack running with the data
 * folder of {@code BOXOFFICE_DATA_DIR} through its control endpoint ({@link StackControl}) and prints its answer.
 */
public final class StackCommand {

  private StackCommand() {
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(System.getenv().getOrDefault("BOXOFFICE_DATA_DIR", ".boxoffice")).toAbsolutePath();
    String method;
    String path;
    if (args.length == 2 && args[0].equals("restart-backend") && args[1].matches("\\d{1,3}")) {
      method = "POST";
      path = "/backends/" + args[1] + "/restart";
    } else if (args.length == 1 && args[0].equals("backends")) {
      method = "GET";
      path = "/backends";
    } else {
      System.err.println("usage: restart-backend <number> | backends");
      System.exit(2);
      return;
    }
    Path file = dataDir.resolve(StackControl.CONTROL_FILE);
    if (!Files.isReadable(file)) {
      fail("no stack with a load balancer is running with its data in " + dataDir
          + " (start one with ./boxoffice up --backends 2)");
    }
    JsonObject control = new JsonObject(Files.readString(file));
    HttpRequest request = HttpRequest.newBuilder(URI.create(control.getString("url")).resolve(path))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .header("Authorization", "Bearer " + control.getString("token"))
        .build();
    HttpResponse<InputStream> answer;
    try {
      answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      fail("the stack that wrote " + file + " is not running any more");
      return;
    }
    System.exit(answer.statusCode() == 200 && echoedWithoutFailure(answer.body()) ? 0 : 1);
  }

  /** Prints the answer as it comes; whether its last line reports no failure. */
  private static boolean echoedWithoutFailure(InputStream body) throws IOException {
    String last = "";
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        System.out.println(line);
        last = line;
      }
    }
    return !last.startsWith("failed");
  }

  private static void fail(String message) {
    System.err.println("boxoffice: " + message);
    System.exit(1);
  }
}
