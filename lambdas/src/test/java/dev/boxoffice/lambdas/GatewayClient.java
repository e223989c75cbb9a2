package dev.boxoffice.lambdas;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.codecs.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client of the local API Gateway router that connects from an address of its own in 127.0.0.0/8, so the router
 * sees it as a client of that IP (its {@code sourceIp}), as API Gateway sees a client on the internet.
 */
final class GatewayClient {

  private final URI endpoint;
  private final HttpClient http;
  private final String ip;

  private GatewayClient(URI endpoint, String ip) throws IOException {
    this.endpoint = endpoint;
    this.ip = ip;
    this.http = HttpClient.newBuilder().localAddress(InetAddress.getByName(ip))
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** A client from a random loopback address of its own (Linux routes all of 127.0.0.0/8 to the loopback). */
  static GatewayClient fromNewAddress(URI endpoint) throws IOException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new GatewayClient(endpoint,
        "127." + (100 + random.nextInt(150)) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254)));
  }

  String ip() {
    return ip;
  }

  /** POSTs {@code body} as JSON with extra {@code headers}; the answer's status, headers and body. */
  HttpResponse<String> post(String path, Object body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, Object body) throws Exception {
    return post(path, body, Map.of());
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return Json.mapper().readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }
}
