package dev.boxoffice.local.stripe;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** What a buyer's browser does on the hosted checkout page: submit the card form, answer the 3-D Secure page. */
final class HostedPage {

  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  private HostedPage() {
  }

  static HttpResponse<String> open(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Submits the card; a paid or 3-D Secure card answers 303 (to the success URL or the challenge). */
  static HttpResponse<String> pay(String url, String card) throws IOException, InterruptedException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("email", "buyer@example.org");
    form.put("cardNumber", card);
    form.put("expiry", "12 / 34");
    form.put("cvc", "123");
    form.put("name", "Test Buyer");
    return post(url, form);
  }

  static HttpResponse<String> authenticate(String challengeUrl, boolean complete)
      throws IOException, InterruptedException {
    return post(challengeUrl, Map.of("outcome", complete ? "complete" : "fail"));
  }

  private static HttpResponse<String> post(String url, Map<String, String> form)
      throws IOException, InterruptedException {
    String body = form.entrySet().stream()
        .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return HTTP.send(HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
