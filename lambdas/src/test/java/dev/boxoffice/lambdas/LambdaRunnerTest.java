package dev.boxoffice.lambdas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.codecs.Json;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.local.aws.cloudformation.FunctionDefinition;
import dev.boxoffice.local.aws.lambda.LambdaFunctionError;
import dev.boxoffice.local.aws.lambda.LambdaRunner;
import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudExtension;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
/** The handlers as the local stack runs them: constructed by the Lambda runner, fed JSON through the runtime's serializers. */
@ExtendWith({VertxExtension.class, LocalCloudExtension.class})
@DisplayName("The handlers inside the local Lambda runner")
class LambdaRunnerTest {

  private LambdaRunner runner;
  private LocalCloud aws;

  @BeforeEach
  void startRunner(Vertx vertx, LocalCloud aws) {
    this.aws = aws;
    runner = new LambdaRunner(vertx, Map.of(
        "create-ticket", new FunctionDefinition("CreateTicketFunction", "create-ticket",
            CreateTicketHandler.class.getName() + "::handleRequest", 30, 1024,
            aws.functionEnvironment("CreateTicketFunction")),
        "get-qr-code", new FunctionDefinition("GetQrCodeFunction", "get-qr-code",
            GetQrCodeHandler.class.getName(), 10, 512, aws.functionEnvironment("GetQrCodeFunction"))),
        function -> Map.of(), getClass().getClassLoader());
  }

  @AfterEach
  void stopRunner() {
    runner.close();
  }

  @Test
  @DisplayName("create-ticket takes the state machine's chunk and get-qr-code a proxy event, and both answer JSON")
  void invokedThroughTheRunner(VertxTestContext context) {
    String ticketId = UUID.randomUUID().toString();
    String ticket = "{\"batchId\":\"" + UUID.randomUUID() + "\",\"event\":{\"eventId\":\"" + UUID.randomUUID()
        + "\",\"title\":\"Night\",\"organizerEmail\":\"org@example.test\",\"venue\":\"Arena\",\"city\":\"Lyon\","
        + "\"startsAt\":\"2026-12-01T20:00:00Z\",\"endsAt\":\"2026-12-01T23:00:00Z\",\"timeZone\":\"Europe/Paris\","
        + "\"validFrom\":\"2026-12-01T18:00:00Z\",\"validUntil\":\"2026-12-02T02:00:00Z\"},\"orders\":[{\"orderId\":\""
        + UUID.randomUUID() + "\",\"ticketTypeId\":\"" + UUID.randomUUID() + "\",\"buyerEmail\":\"fan@example.test\","
        + "\"ticketIds\":[\"" + ticketId + "\"]}]}";
    String token = ApiRequests.session(aws.secrets().sessionKeys().getPrivate(), "fan@example.test", Role.BUYER);
    String proxyEvent = "{\"httpMethod\":\"GET\",\"path\":\"/get-qr-code\",\"resource\":\"/get-qr-code\","
        + "\"headers\":{\"Authorization\":\"Bearer " + token + "\"},"
        + "\"queryStringParameters\":{\"ticketId\":\"" + ticketId + "\"},\"isBase64Encoded\":false,"
        + "\"requestContext\":{\"identity\":{\"sourceIp\":\"127.0.0.1\"}}}";

    runner.invoke("create-ticket", ticket)
        .compose(created -> {
          context.verify(() -> assertThat(json(created).path("issued").path(0).path("tickets").path(0).path("qrKey")
              .asText())
              .isEqualTo("tickets/" + ticketId + ".png"));
          return runner.invoke("get-qr-code", proxyEvent);
        })
        .onComplete(context.succeeding(answered -> context.verify(() -> {
          JsonNode response = json(answered);
          assertThat(response.path("statusCode").asInt()).as(answered).isEqualTo(200);
          assertThat(json(response.path("body").asText()).path("url").asText()).contains("tickets/" + ticketId);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("create-ticket input that can never succeed fails with the InvalidInputException error type")
  void invalidInputErrorType(VertxTestContext context) {
    runner.invoke("create-ticket", "{\"ticketId\":\"not-a-uuid\"}")
        .onComplete(context.failing(failure -> context.verify(() -> {
          assertThat(failure).isInstanceOf(LambdaFunctionError.class);
          assertThat(((LambdaFunctionError) failure).errorType()).isEqualTo(InvalidInputException.class.getName());
          context.completeNow();
        })));
  }

  private static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
