package dev.boxoffice.local.aws.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.RepositoryFiles;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import dev.boxoffice.local.aws.iam.TemplateIam;
import dev.boxoffice.local.aws.lambda.LambdaRunner;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ApiGatewayRouterTest {

  private static LambdaRunner lambdas;
  private static ApiGatewayRouter router;
  private static WebClient http;

  @BeforeAll
  static void deploy(Vertx vertx, VertxTestContext test) {
    CloudFormationTemplate template = CloudFormationTemplate.load(RepositoryFiles.testResource("test-api.yaml"));
    lambdas = LambdaRunner.forTemplate(vertx, template,
        function -> Map.of("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:45678"));
    router = new ApiGatewayRouter(template, lambdas, 0);
    vertx.deployVerticle(router).onComplete(test.succeeding(id -> {
      http = WebClient.create(vertx, new WebClientOptions()
          .setDefaultHost("127.0.0.1")
          .setDefaultPort(router.actualPort()));
      test.completeNow();
    }));
  }

  @AfterAll
  static void close() {
    lambdas.close();
  }

  @Test
  @DisplayName("with the template's IAM, a route whose function's Lambda permission lets API Gateway in is invoked, "
      + "and one without answers 500 as API Gateway's invalid permissions do")
  void lambdaPermissions(Vertx vertx) throws Exception {
    CloudFormationTemplate template = CloudFormationTemplate.load(RepositoryFiles.testResource("test-api.yaml"));
    ApiGatewayRouter checked = new ApiGatewayRouter(template, lambdas, 0,
        TemplateIam.load(template, LocalCredentials.ADMINISTRATOR, true).iam());
    vertx.deployVerticle(checked).await();
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(checked.actualPort()));

    assertThat(client.get("/events").send().await().statusCode()).isEqualTo(200);
    HttpResponse<Buffer> refused = client.post("/events").sendBuffer(Buffer.buffer("{}")).await();
    assertThat(refused.statusCode()).isEqualTo(500);
    assertThat(refused.bodyAsJsonObject().getString("message")).isEqualTo("Internal server error");
  }

  @Test
  @DisplayName("a POST on /events reaches the echo handler as a proxy event and its response comes back")
  void routeToHandler(VertxTestContext test) {
    http.post("/events?page=2&tag=a&tag=b")
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"name\":\"Concert\"}"))
        .onComplete(test.succeeding(response -> test.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(201);
          assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
          JsonObject echoed = response.bodyAsJsonObject();
          assertThat(echoed.getString("resource")).isEqualTo("/events");
          assertThat(echoed.getString("httpMethod")).isEqualTo("POST");
          assertThat(echoed.getString("body")).isEqualTo("{\"name\":\"Concert\"}");
          assertThat(echoed.getBoolean("isBase64Encoded")).isFalse();
          assertThat(echoed.getJsonObject("queryStringParameters").getMap()).containsEntry("page", "2");
          assertThat(echoed.getString("stage")).isEqualTo("local");
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("path parameters, greedy proxy paths and ANY methods bind as API Gateway binds them")
  void pathParameters(VertxTestContext test) {
    http.get("/events/ev%2042").send()
        .compose(event -> http.request(HttpMethod.DELETE, "/files/2026/11/poster.txt").send()
            .map(file -> new HttpResponse<?>[] {event, file}))
        .onComplete(test.succeeding(responses -> test.verify(() -> {
          JsonObject event = responses[0].bodyAsJsonObject();
          JsonObject file = responses[1].bodyAsJsonObject();
          assertThat(event.getString("resource")).isEqualTo("/events/{eventId}");
          assertThat(event.getJsonObject("pathParameters").getMap()).containsExactly(Map.entry("eventId", "ev 42"));
          assertThat(file.getString("resource")).isEqualTo("/files/{proxy+}");
          assertThat(file.getString("httpMethod")).isEqualTo("DELETE");
          assertThat(file.getJsonObject("pathParameters").getMap())
              .containsExactly(Map.entry("proxy", "2026/11/poster.txt"));
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("the handler sees the template's environment with the local endpoint overrides")
  void environmentFromTemplate(VertxTestContext test) {
    http.get("/events").send().onComplete(test.succeeding(response -> test.verify(() -> {
      Map<String, Object> environment = response.bodyAsJsonObject().getJsonObject("environment").getMap();
      assertThat(environment)
          .containsEntry("TABLE_NAME", "boxoffice-events-test")
          .containsEntry("GREETING", "hello")
          .containsEntry("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:45678");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("an unknown path answers 404 and an unknown method 405, both with the template's gateway headers")
  void unknownRoutesAndMethods(VertxTestContext test) {
    http.get("/nowhere").send()
        .compose(notFound -> http.put("/events").send().map(notAllowed -> new HttpResponse<?>[] {notFound, notAllowed}))
        .onComplete(test.succeeding(responses -> test.verify(() -> {
          assertThat(responses[0].statusCode()).isEqualTo(404);
          assertThat(responses[0].bodyAsJsonObject().getString("message")).isEqualTo("Not Found");
          assertThat(responses[0].getHeader("Access-Control-Allow-Origin")).as("DEFAULT_4XX header").isEqualTo("*");
          assertThat(responses[1].statusCode()).isEqualTo(405);
          assertThat(responses[1].getHeader("Allow")).isEqualTo("GET, OPTIONS, POST");
          assertThat(responses[1].bodyAsJsonObject().getString("message")).isEqualTo("Method Not Allowed");
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("a binary body travels base64-encoded to the handler and comes back byte for byte")
  void binaryRoundTrip(VertxTestContext test) {
    byte[] png = new byte[4096];
    new Random(42).nextBytes(png);
    http.put("/files/qr.png")
        .putHeader("Content-Type", "image/png")
        .sendBuffer(Buffer.buffer(png))
        .onComplete(test.succeeding(response -> test.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.getHeader("Content-Type")).isEqualTo("image/png");
          assertThat(response.body().getBytes()).isEqualTo(png);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("a CORS pre-flight is answered by the template's MOCK integration")
  void corsPreflight(VertxTestContext test) {
    http.request(HttpMethod.OPTIONS, "/events")
        .putHeader("Origin", "http://localhost:5173")
        .send()
        .onComplete(test.succeeding(response -> test.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(204);
          assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("http://localhost:5173");
          assertThat(response.getHeader("Access-Control-Allow-Methods")).isEqualTo("GET,POST,OPTIONS");
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("a failing, timed-out or malformed function answers 502 with API Gateway's message, no trace")
  void functionFailures(VertxTestContext test) {
    http.get("/fail").send()
        .compose(fail -> http.get("/slow").send()
            .compose(slow -> http.get("/malformed").send()
                .map(malformed -> new HttpResponse<?>[] {fail, slow, malformed})))
        .onComplete(test.succeeding(responses -> test.verify(() -> {
          for (HttpResponse<?> response : responses) {
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.getHeader("Access-Control-Allow-Origin")).as("DEFAULT_5XX header").isEqualTo("*");
            assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("message", "Internal server error"));
          }
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("a body over 10 MB answers 413 and a malformed escape in the path 400, and the router keeps serving")
  void badRequests(VertxTestContext test) {
    http.post("/events")
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(new byte[10 * 1024 * 1024 + 1]))
        .compose(tooLarge -> http.get("/events/%zz").send()
            .compose(badEscape -> http.get("/events").send()
                .map(stillServing -> new HttpResponse<?>[] {tooLarge, badEscape, stillServing})))
        .onComplete(test.succeeding(responses -> test.verify(() -> {
          assertThat(responses[0].statusCode()).isEqualTo(413);
          assertThat(responses[1].statusCode()).isEqualTo(400);
          assertThat(responses[2].statusCode()).isEqualTo(200);
          test.completeNow();
        })));
  }
}
