package dev.boxoffice.lambdas;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.codecs.Json;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionClaims;
import dev.boxoffice.codecs.session.SessionTokens;
import java.io.IOException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Proxy events as API Gateway sends them, and session tokens as /verify-otp issues them. */
final class ApiRequests {

  private ApiRequests() {
  }

  static APIGatewayProxyRequestEvent json(String method, String path, String body) {
    return request(method, path, "application/json", body, false);
  }

  static APIGatewayProxyRequestEvent binary(String path, String contentType, byte[] body) {
    return request("POST", path, contentType, Base64.getEncoder().encodeToString(body), true);
  }

  static APIGatewayProxyRequestEvent request(String method, String path, String contentType, String body,
                                             boolean base64) {
    Map<String, String> headers = new HashMap<>();
    if (contentType != null) {
      headers.put("content-type", contentType);
    }
    return new APIGatewayProxyRequestEvent()
        .withHttpMethod(method)
        .withPath(path)
        .withResource(path)
        .withHeaders(headers)
        .withBody(body)
        .withIsBase64Encoded(base64)
        .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
            .withIdentity(new APIGatewayProxyRequestEvent.RequestIdentity().withSourceIp("127.0.0.1")));
  }

  /** The request as API Gateway hands it over from a client at {@code sourceIp}. */
  static APIGatewayProxyRequestEvent fromIp(APIGatewayProxyRequestEvent request, String sourceIp) {
    return request.withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
        .withIdentity(new APIGatewayProxyRequestEvent.RequestIdentity().withSourceIp(sourceIp)));
  }

  /** A random address of the documentation range 198.18.0.0/15 (benchmarking), one per test's own network. */
  static String randomNetwork() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "198." + (18 + random.nextInt(2)) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
  }

  static APIGatewayProxyRequestEvent withBearer(APIGatewayProxyRequestEvent request, String token) {
    Map<String, String> headers = new HashMap<>(request.getHeaders());
    headers.put("Authorization", "Bearer " + token);
    return request.withHeaders(headers);
  }

  static String session(PrivateKey key, String email, Role... roles) {
    Instant now = Instant.now();
    return session(key, email, now, now.plus(Duration.ofHours(1)), roles);
  }

  static String session(PrivateKey key, String email, Instant issuedAt, Instant expiresAt, Role... roles) {
    Set<Role> roleSet = EnumSet.noneOf(Role.class);
    roleSet.addAll(Set.of(roles));
    return SessionTokens.issue(new SessionClaims(email, roleSet, issuedAt, expiresAt, SessionTokens.DEFAULT_ISSUER,
        SessionTokens.DEFAULT_AUDIENCE), key);
  }

  /** Asserts a JSON error answer of the house shape, with CORS headers and no trace, and returns its body. */
  static JsonNode assertError(APIGatewayProxyResponseEvent response, int status, String code) {
    assertThat(response.getStatusCode()).as("status of %s", response.getBody()).isEqualTo(status);
    assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json")
        .containsKey("Access-Control-Allow-Origin");
    JsonNode body = body(response);
    assertThat(body.path("code").asText()).as("code of %s", response.getBody()).isEqualTo(code);
    assertThat(body.path("message").asText()).isNotBlank();
    assertThat(response.getBody()).doesNotContain("Exception").doesNotContain("\tat ");
    return body;
  }

  static JsonNode body(APIGatewayProxyResponseEvent response) {
    try {
      return Json.mapper().readTree(response.getBody());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.getBody(), e);
    }
  }
}
