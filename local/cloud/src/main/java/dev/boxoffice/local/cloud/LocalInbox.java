package dev.boxoffice.local.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.codecs.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The mails SES and SNS sent, read the way a developer does: through the web inbox's JSON API. */
public final class LocalInbox {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final URI inboxUrl;

  LocalInbox(URI inboxUrl) {
    this.inboxUrl = inboxUrl;
  }

  /** The mails to an address, newest first, as JSON ({@code subject}, {@code text}, {@code links}...). */
  public List<JsonNode> mailsTo(String address) {
    HttpResponse<String> response = get(inboxUrl.resolve("/api/messages?to="
        + URLEncoder.encode(address, StandardCharsets.UTF_8)));
    List<JsonNode> mails = new ArrayList<>();
    try {
      Json.mapper().readTree(response.body()).forEach(mails::add);
    } catch (IOException e) {
      throw new IllegalStateException("the inbox answered " + response.body(), e);
    }
    return mails;
  }

  /** Every mail caught, newest first. */
  public List<JsonNode> all() {
    HttpResponse<String> response = get(inboxUrl.resolve("/api/messages"));
    List<JsonNode> mails = new ArrayList<>();
    try {
      Json.mapper().readTree(response.body()).forEach(mails::add);
    } catch (IOException e) {
      throw new IllegalStateException("the inbox answered " + response.body(), e);
    }
    return mails;
  }

  /** The mail as it was received (message/rfc822), for a test to parse with a MIME library. */
  public byte[] raw(JsonNode mail) {
    return bytes("/api/messages/" + mail.path("id").asText() + "/raw");
  }

  /** The content of a path of the inbox, such as a part's {@code url}. */
  public byte[] bytes(String path) {
    try {
      HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(inboxUrl.resolve(path)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Polls until a mail to the address satisfies {@code wanted}; fails after thirty seconds. */
  public JsonNode awaitMail(String address, Predicate<JsonNode> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode mail : mailsTo(address)) {
        if (wanted.test(mail)) {
          return mail;
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no matching mail to " + address + "; the inbox holds " + mailsTo(address));
  }

  /** Follows a link of a mail, as the recipient's browser would. */
  public static HttpResponse<String> get(URI uri) {
    try {
      return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + uri + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
