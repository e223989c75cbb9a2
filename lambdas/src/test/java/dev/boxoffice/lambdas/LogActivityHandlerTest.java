package dev.boxoffice.lambdas;

import static dev.boxoffice.lambdas.ApiRequests.assertError;
import static dev.boxoffice.lambdas.ApiRequests.body;
import static dev.boxoffice.lambdas.ApiRequests.session;
import static dev.boxoffice.lambdas.ApiRequests.withBearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
@ExtendWith(LocalCloudExtension.class)
@DisplayName("POST /log-activity")
class LogActivityHandlerTest {

  private final LocalCloud aws;
  private final LogActivityHandler handler;

  LogActivityHandlerTest(LocalCloud aws) {
    this.aws = aws;
    this.handler = new LogActivityHandler(aws.functionEnvironment("LogActivityFunction",
        Map.of(LogActivityHandler.BATCHES_PER_MINUTE, "3")));
  }

  @Test
  @DisplayName("an anonymous batch is stored under the hashed source IP with a 90-day TTL and its type index keys")
  void anonymousBatchStored() {
    String ip = uniqueIp();
    UUID eventId = UUID.randomUUID();
    String at = Instant.now().minusSeconds(5).toString();

    APIGatewayProxyResponseEvent response = handler.handleRequest(post(ip, "{\"events\":["
        + "{\"type\":\"page_view\",\"at\":\"" + at + "\",\"path\":\"/events?city=berlin\"},"
        + "{\"type\":\"event_view\",\"at\":\"" + at + "\",\"eventId\":\"" + eventId + "\"}]}"), null);

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
    assertThat(body(response).path("accepted").asInt()).isEqualTo(2);
    List<Map<String, AttributeValue>> rows = rows("anon#" + Hashing.sha256Hex(ip));
    assertThat(rows).hasSize(2);
    Map<String, AttributeValue> view = rows.stream().filter(row -> row.get("type").s().equals("event_view"))
        .findFirst().orElseThrow();
    assertThat(view.get("eventId").s()).isEqualTo(eventId.toString());
    assertThat(view.get("gsi1pk").s()).isEqualTo("type#event_view");
    assertThat(view.get("sk").s()).startsWith(at + "#");
    long ttl = Long.parseLong(view.get("expiresAt").n());
    assertThat(ttl).isBetween(Instant.now().plus(Duration.ofDays(90)).getEpochSecond() - 60,
        Instant.now().plus(Duration.ofDays(90)).getEpochSecond() + 60);
  }

  @Test
  @DisplayName("a signed-in batch of 25 events is stored under the user's partition")
  void signedInBatchStored() {
    String user = "visitor-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    String events = IntStream.range(0, 25)
        .mapToObj(i -> "{\"type\":\"search\",\"at\":\"" + Instant.now().minusSeconds(i) + "\"}")
        .collect(Collectors.joining(",", "{\"events\":[", "]}"));

    APIGatewayProxyResponseEvent response = handler.handleRequest(withBearer(post(uniqueIp(), events),
        session(aws.secrets().sessionKeys().getPrivate(), user, Role.BUYER)), null);

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
    assertThat(rows("user#" + user)).hasSize(25);
  }

  @Test
  @DisplayName("the 4th batch in a minute from one IP answers 429 when the limit is 3, and is not stored")
  void rateLimitedPerIp() {
    String ip = uniqueIp();
    String batch = "{\"events\":[{\"type\":\"page_view\",\"at\":\"" + Instant.now() + "\"}]}";

    for (int i = 0; i < 3; i++) {
      assertThat(handler.handleRequest(post(ip, batch), null).getStatusCode()).isEqualTo(202);
    }
    assertError(handler.handleRequest(post(ip, batch), null), 429, "rate_limited");
    assertThat(rows("anon#" + Hashing.sha256Hex(ip))).hasSize(3);
  }

  @Test
  @DisplayName("bad batches (malformed, oversized, too many events, unknown types, bad times and paths) answer 4xx and store nothing")
  void badBatchesStoreNothing() {
    String ip = uniqueIp();
    String now = Instant.now().toString();
    String tooMany = IntStream.range(0, 26).mapToObj(i -> "{\"type\":\"search\",\"at\":\"" + now + "\"}")
        .collect(Collectors.joining(",", "{\"events\":[", "]}"));

    assertError(handler.handleRequest(post(ip, "{\"events\":"), null), 400, "malformed_json");
    assertError(handler.handleRequest(post(ip, "{\"events\":[]}"), null), 400, "invalid_field");
    assertError(handler.handleRequest(post(ip, "{}"), null), 400, "invalid_field");
    assertError(handler.handleRequest(post(ip, tooMany), null), 400, "invalid_field");
    assertThat(assertError(handler.handleRequest(post(ip, "{\"events\":[{\"type\":\"drop_table\",\"at\":\"" + now
        + "\"}]}"), null), 400, "invalid_field").path("field").asText()).isEqualTo("events[0].type");
    assertError(handler.handleRequest(post(ip, "{\"events\":[{\"type\":\"search\"}]}"), null), 400,
        "invalid_field");
    assertError(handler.handleRequest(post(ip, "{\"events\":[{\"type\":\"search\",\"at\":\"yesterday\"}]}"), null),
        400, "invalid_field");
    assertError(handler.handleRequest(post(ip, "{\"events\":[{\"type\":\"search\",\"at\":\"2001-01-01T00:00:00Z\"}]}"),
        null), 400, "invalid_field");
    assertError(handler.handleRequest(post(ip, "{\"events\":[{\"type\":\"search\",\"at\":\"" + now
        + "\",\"path\":\"/" + "a".repeat(600) + "\"}]}"), null), 400, "invalid_field");
    assertError(handler.handleRequest(post(ip, "{\"events\":[{\"type\":\"search\",\"at\":\"" + now
        + "\",\"path\":\"javascript:alert(1)\"}]}"), null), 400, "invalid_field");
    assertError(handler.handleRequest(post(ip, "{\"events\":[{\"type\":\"search\",\"at\":\"" + now
        + "\",\"eventId\":\"not-a-uuid\"}]}"), null), 400, "invalid_field");
    assertError(handler.handleRequest(post(ip, "{\"events\":[{\"type\":\"search\",\"at\":\"" + now
        + "\",\"email\":\"x@y.test\"}]}"), null), 400, "unknown_field");
    assertError(handler.handleRequest(post(ip, "{\"events\":[],\"pad\":\"" + "x".repeat(17_000) + "\"}"), null),
        413, "payload_too_large");
    APIGatewayProxyRequestEvent text = ApiRequests.request("POST", "/log-activity", "text/plain", "hi", false);
    assertError(handler.handleRequest(text, null), 415, "unsupported_media_type");

    assertThat(rows("anon#" + Hashing.sha256Hex(ip))).isEmpty();
    assertThat(rows("ratelimit#ip#" + Hashing.sha256Hex(ip))).isEmpty();
  }

  @Test
  @DisplayName("a batch with an invalid, expired or forged token answers 401 rather than being logged anonymously")
  void badTokensRefused() {
    String ip = uniqueIp();
    String batch = "{\"events\":[{\"type\":\"page_view\",\"at\":\"" + Instant.now() + "\"}]}";
    Instant now = Instant.now();

    assertError(handler.handleRequest(withBearer(post(ip, batch), "garbage"), null), 401, "unauthorized");
    assertError(handler.handleRequest(withBearer(post(ip, batch), session(aws.secrets().sessionKeys().getPrivate(),
        "late@example.test", now.minusSeconds(7200), now.minusSeconds(3600), Role.BUYER)), null), 401, "unauthorized");
    assertError(handler.handleRequest(withBearer(post(ip, batch), session(SessionTokens.generateKeyPair()
        .getPrivate(), "forger@example.test", Role.BUYER)), null), 401, "unauthorized");

    assertThat(rows("anon#" + Hashing.sha256Hex(ip))).isEmpty();
    assertThat(rows("user#forger@example.test")).isEmpty();
  }

  private List<Map<String, AttributeValue>> rows(String partition) {
    return aws.admin().dynamoDb().query(query -> query.tableName(aws.resources().tableName("ActivityLogTable"))
        .keyConditionExpression("pk = :pk")
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition)))
        .consistentRead(true)).items();
  }

  private static APIGatewayProxyRequestEvent post(String sourceIp, String body) {
    APIGatewayProxyRequestEvent request = ApiRequests.json("POST", "/log-activity", body);
    request.getRequestContext().getIdentity().setSourceIp(sourceIp);
    return request;
  }

  private static String uniqueIp() {
    return "10." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250);
  }
}
