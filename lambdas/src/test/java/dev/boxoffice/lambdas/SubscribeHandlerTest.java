package dev.boxoffice.lambdas;

import static dev.boxoffice.lambdas.ApiRequests.assertError;
import static dev.boxoffice.lambdas.ApiRequests.body;
import static dev.boxoffice.lambdas.ApiRequests.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.codecs.Json;
import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudExtension;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
@ExtendWith(LocalCloudExtension.class)
@DisplayName("POST /subscribe")
class SubscribeHandlerTest {

  private final LocalCloud aws;
  private final String stateMachineArn;
  private final SubscribeHandler handler;
  private final String network = ApiRequests.randomNetwork();

  SubscribeHandlerTest(LocalCloud aws) {
    this.aws = aws;
    // The function's role may start the template's subscription state machine and no other, as in AWS.
    this.stateMachineArn = aws.resources().stateMachineArn("SubscriptionStateMachine");
    this.handler = new SubscribeHandler(aws.functionEnvironment("SubscribeFunction"));
  }

  @Test
  @DisplayName("a valid request starts the subscription state machine with the normalised input and answers 202 with its ARN")
  void startsExecution() throws Exception {
    APIGatewayProxyResponseEvent response = handler.handleRequest(fromNetwork(json("POST", "/subscribe",
        "{\"email\":\" Fan@Example.TEST \",\"preferences\":{\"categories\":[\"Music\",\"music\",\"theatre\"],"
            + "\"cities\":[\"Berlin\"]}}")), null);

    assertThat(response.getStatusCode()).isEqualTo(202);
    assertThat(response.getHeaders()).containsEntry("Access-Control-Allow-Origin", "*");
    String executionArn = body(response).path("executionArn").asText();
    DescribeExecutionResponse execution = aws.admin().sfn().describeExecution(describe -> describe.executionArn(executionArn));
    assertThat(execution.stateMachineArn()).isEqualTo(stateMachineArn);
    assertThat(execution.name()).startsWith("subscribe-").doesNotContain("example");
    JsonNode input = Json.mapper().readTree(execution.input());
    assertThat(input.path("email").asText()).isEqualTo("fan@example.test");
    assertThat(input.path("preferences").toString())
        .isEqualTo("{\"categories\":[\"music\",\"theatre\"],\"cities\":[\"berlin\"]}");
  }

  @Test
  @DisplayName("a second request for one address within its cooldown answers 429 with Retry-After and starts nothing")
  void cooldownPerAddress() {
    String request = "{\"email\":\"" + unique("twice") + "\",\"preferences\":{\"categories\":[\"jazz\"],"
        + "\"cities\":[]}}";
    assertThat(handler.handleRequest(fromNetwork(json("POST", "/subscribe", request)), null).getStatusCode())
        .isEqualTo(202);
    int before = executionCount();

    APIGatewayProxyResponseEvent again = handler.handleRequest(fromNetwork(json("POST", "/subscribe", request)), null);

    assertError(again, 429, "too_many_requests");
    assertThat(Long.parseLong(again.getHeaders().get("Retry-After")))
        .isBetween(1L, SubscribeHandler.CONFIRMATIONS_PER_ADDRESS.window().toSeconds());
    assertThat(executionCount()).isEqualTo(before);
  }

  @Test
  @DisplayName("malformed, mistyped or invalid bodies answer a 4xx naming the problem and start nothing")
  void badInputStartsNothing() {
    int before = executionCount();

    assertError(handler.handleRequest(json("POST", "/subscribe", "{\"email\":"), null), 400, "malformed_json");
    assertError(handler.handleRequest(json("POST", "/subscribe", "[1,2]"), null), 400, "malformed_json");
    assertError(handler.handleRequest(ApiRequests.request("POST", "/subscribe", "text/plain",
        "{\"email\":\"a@b.test\"}", false), null), 415, "unsupported_media_type");
    assertThat(assertError(handler.handleRequest(json("POST", "/subscribe",
        "{\"email\":\"not-an-address\",\"preferences\":{\"categories\":[\"jazz\"]}}"), null), 400, "invalid_field")
        .path("field").asText()).isEqualTo("email");
    assertThat(assertError(handler.handleRequest(json("POST", "/subscribe",
        "{\"email\":\"a@b.test\",\"preferences\":{\"categories\":[\"<script>\"]}}"), null), 400, "invalid_field")
        .path("field").asText()).isEqualTo("preferences.categories");
    assertThat(assertError(handler.handleRequest(json("POST", "/subscribe",
        "{\"email\":\"a@b.test\",\"preferences\":{\"categories\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\","
            + "\"j\",\"k\"]}}"), null), 400, "invalid_field").path("field").asText()).isEqualTo("preferences.categories");
    assertError(handler.handleRequest(json("POST", "/subscribe",
        "{\"email\":\"a@b.test\",\"preferences\":{\"categories\":[],\"cities\":[]}}"), null), 400, "invalid_field");
    assertError(handler.handleRequest(json("POST", "/subscribe",
        "{\"email\":\"a@b.test\",\"preferences\":{\"categories\":\"jazz\"}}"), null), 400, "invalid_field");
    assertError(handler.handleRequest(json("POST", "/subscribe",
        "{\"email\":\"a@b.test\",\"admin\":true}"), null), 400, "unknown_field");
    assertError(handler.handleRequest(json("POST", "/subscribe", "x".repeat(5000)), null), 413, "payload_too_large");

    assertThat(executionCount()).isEqualTo(before);
  }

  @Test
  @DisplayName("a state machine that does not exist answers 502, not a stack trace")
  void missingStateMachine() {
    SubscribeHandler misconfigured = new SubscribeHandler(aws.functionEnvironment("SubscribeFunction",
        Map.of(SubscribeHandler.STATE_MACHINE_ARN,
        "arn:aws:states:us-east-1:000000000000:stateMachine:absent")));

    assertError(misconfigured.handleRequest(fromNetwork(json("POST", "/subscribe",
        "{\"email\":\"" + unique("rome") + "\",\"preferences\":{\"cities\":[\"rome\"]}}")), null), 502,
        "upstream_unavailable");
  }

  private APIGatewayProxyRequestEvent fromNetwork(APIGatewayProxyRequestEvent request) {
    return ApiRequests.fromIp(request, network);
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
  }

  private int executionCount() {
    return aws.admin().sfn().listExecutions(list -> list.stateMachineArn(stateMachineArn)).executions().size();
  }
}
