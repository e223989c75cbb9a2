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

/** The mails SNS sent, read the way a developer does: through the web inbox's JSON API. */
public final class LocalInbox {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration PATIENCE = Duration.ofSeconds(10);

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

  /** Polls until a mail to the address satisfies {@code wanted}; fails after ten seconds. */
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
