package dev.boxoffice.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SNS and DynamoDB Task integrations through the real AWS SDK v2 clients, against a fake neighbour service on
 * 127.0.0.1 that speaks the slice of the SNS query protocol and the DynamoDB JSON protocol these calls need.
 */
@ExtendWith(VertxExtension.class)
class ServiceIntegrationsTest {

  private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:orders";

  private final List<MultiMap> snsCalls = new CopyOnWriteArrayList<>();
  private final List<JsonNode> dynamoCalls = new CopyOnWriteArrayList<>();
  private final Map<String, JsonNode> items = new ConcurrentHashMap<>();
  private HttpServer fakeAws;
  private StepFunctionsEngine engine;

  @BeforeEach
  void startFakeAws(Vertx vertx) {
    fakeAws = vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1").await();
    URI endpoint = URI.create("http://127.0.0.1:" + fakeAws.actualPort());
    engine = new StepFunctionsEngine(vertx, StepFunctionsConfig.local().withServiceEndpoints(endpoint, endpoint),
        LambdaInvoker.none());
  }

  @AfterEach
  void stop() {
    engine.close();
    fakeAws.close().await();
  }

  private void answer(HttpServerRequest request) {
    String target = request.getHeader("X-Amz-Target");
    request.body().onSuccess(body -> {
      if (target != null && target.startsWith("DynamoDB_20120810.")) {
        answerDynamoDb(request, target.substring("DynamoDB_20120810.".length()), Json.parse(body.toString()));
      } else {
        MultiMap form = MultiMap.caseInsensitiveMultiMap();
        for (String pair : body.toString().split("&")) {
          String[] parts = pair.split("=", 2);
          form.add(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
              parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8)
                  : "");
        }
        snsCalls.add(form);
        request.response().putHeader("Content-Type", "text/xml").end("""
            <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
              <PublishResult><MessageId>message-%d</MessageId></PublishResult>
              <ResponseMetadata><RequestId>request-1</RequestId></ResponseMetadata>
            </PublishResponse>""".formatted(snsCalls.size()));
      }
    });
  }

  private void answerDynamoDb(HttpServerRequest request, String operation, JsonNode call) {
    dynamoCalls.add(call);
    String table = call.path("TableName").asText();
    if (!"Orders".equals(table)) {
      request.response().setStatusCode(400).putHeader("Content-Type", "application/x-amz-json-1.0")
          .end("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\","
              + "\"message\":\"Requested resource not found\"}");
      return;
    }
    ObjectNode response = Json.object();
    switch (operation) {
      case "PutItem" -> items.put(Json.write(call.get("Item").get("pk")), call.get("Item"));
      case "GetItem" -> {
        JsonNode item = items.get(Json.write(call.get("Key").get("pk")));
        if (item != null) {
          response.set("Item", item);
        }
      }
      case "UpdateItem" -> response.set("Attributes", Json.parse("{\"status\":{\"S\":\"PAID\"}}"));
      default -> {
      }
    }
    request.response().putHeader("Content-Type", "application/x-amz-json-1.0").end(Json.write(response));
  }

  private Future<Execution> execute(String definition, String input) {
    StateMachine machine = engine.createStateMachine("m" + System.nanoTime(), definition,
        "arn:aws:iam::000000000000:role/test");
    return engine.startExecution(machine.arn(), null, input).completion();
  }

  @Test
  @DisplayName("sns:publish sends the message (an object as its JSON text) to the topic and returns the MessageId")
  void snsPublish(VertxTestContext test) {
    String definition = """
        {"StartAt":"Notify","States":{"Notify":{"Type":"Task","Resource":"arn:aws:states:::sns:publish",
          "Parameters":{"TopicArn":"%s","Message":{"order.$":"$.id"},"Subject":"Order"},
          "ResultSelector":{"id.$":"$.MessageId"},"End":true}}}""".formatted(TOPIC);
    execute(definition, "{\"id\":42}").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(execution.output()).isEqualTo("{\"id\":\"message-1\"}");
      assertThat(snsCalls).hasSize(1);
      assertThat(snsCalls.get(0).get("Action")).isEqualTo("Publish");
      assertThat(snsCalls.get(0).get("TopicArn")).isEqualTo(TOPIC);
      assertThat(snsCalls.get(0).get("Message")).isEqualTo("{\"order\":42}");
      assertThat(snsCalls.get(0).get("Subject")).isEqualTo("Order");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("aws-sdk:sns:publish calls the same API with the SDK integration's parameters")
  void sdkSnsPublish(VertxTestContext test) {
    String definition = """
        {"StartAt":"Notify","States":{"Notify":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:sns:publish",
          "Parameters":{"TopicArn":"%s","Message":"plain text"},"End":true}}}""".formatted(TOPIC);
    execute(definition, "{}").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(Json.parse(execution.output()).get("MessageId").textValue()).isEqualTo("message-1");
      assertThat(snsCalls.get(0).get("Message")).isEqualTo("plain text");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("dynamodb:putItem then getItem store and read an item in DynamoDB's attribute-value JSON")
  void dynamoDbPutThenGet(VertxTestContext test) {
    String definition = """
        {"StartAt":"Put","States":{
          "Put":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","ResultPath":null,
            "Parameters":{"TableName":"Orders","Item":{"pk":{"S.$":"$.id"},"seats":{"N":"3"},
              "paid":{"BOOL":false},"tags":{"L":[{"S":"vip"}]}}},"Next":"Get"},
          "Get":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem",
            "Parameters":{"TableName":"Orders","Key":{"pk":{"S.$":"$.id"}}},"End":true}}}""";
    execute(definition, "{\"id\":\"o-1\"}").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(Json.parse(execution.output()).get("Item")).isEqualTo(Json.parse(
          "{\"pk\":{\"S\":\"o-1\"},\"seats\":{\"N\":\"3\"},\"paid\":{\"BOOL\":false},"
              + "\"tags\":{\"L\":[{\"S\":\"vip\"}]}}"));
      assertThat(dynamoCalls).hasSize(2);
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("dynamodb:updateItem passes the update expression and returns the Attributes")
  void dynamoDbUpdate(VertxTestContext test) {
    String definition = """
        {"StartAt":"Pay","States":{"Pay":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:updateItem",
          "Parameters":{"TableName":"Orders","Key":{"pk":{"S":"o-1"}},"UpdateExpression":"SET #s = :paid",
            "ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":paid":{"S":"PAID"}},
            "ReturnValues":"ALL_NEW"},"End":true}}}""";
    execute(definition, "{}").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(Json.parse(execution.output()).get("Attributes")).isEqualTo(Json.parse(
          "{\"status\":{\"S\":\"PAID\"}}"));
      JsonNode call = dynamoCalls.get(0);
      assertThat(call.get("UpdateExpression").textValue()).isEqualTo("SET #s = :paid");
      assertThat(call.get("ExpressionAttributeValues")).isEqualTo(Json.parse("{\":paid\":{\"S\":\"PAID\"}}"));
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("a DynamoDB error becomes a DynamoDB.<code> error that Catch can route")
  void dynamoDbError(VertxTestContext test) {
    String definition = """
        {"StartAt":"Get","States":{
          "Get":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem",
            "Parameters":{"TableName":"Missing","Key":{"pk":{"S":"x"}}},
            "Catch":[{"ErrorEquals":["DynamoDB.ResourceNotFoundException"],"Next":"NoTable"}],"End":true},
          "NoTable":{"Type":"Pass","End":true}}}""";
    execute(definition, "{}").onComplete(test.succeeding(execution -> test.verify(() -> {
      assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      JsonNode caught = Json.parse(execution.output());
      assertThat(caught.get("Error").textValue()).isEqualTo("DynamoDB.ResourceNotFoundException");
      assertThat(caught.get("Cause").textValue()).contains("Requested resource not found");
      test.completeNow();
    })));
  }
}
