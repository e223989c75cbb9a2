package dev.boxoffice.backend.workflows;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The SNS and DynamoDB services the state machines' integration steps call, as a whole neighbour on loopback: SNS
 * Publish (query protocol) and DynamoDB PutItem (JSON protocol) succeed and are recorded, and each publish is handed
 * to {@link #deliveries} as SNS would deliver it to its subscribers. The workflows under test are the backend's and
 * the state machines' Map/Lambda part; SNS and DynamoDB are tested in local/aws.
 */
final class FakeAwsNeighbours {

  private final HttpServer server;
  final List<Map<String, String>> snsPublishes = new CopyOnWriteArrayList<>();
  final List<JsonObject> dynamoDbPuts = new CopyOnWriteArrayList<>();
  /** What a published message reaches (topic ARN, message): the test's subscriptions. */
  volatile BiConsumer<String, String> deliveries = (topic, message) -> { };

  private FakeAwsNeighbours(Vertx vertx) {
    this.server = vertx.createHttpServer().requestHandler(this::answer);
  }

  static FakeAwsNeighbours start(Vertx vertx) throws Exception {
    FakeAwsNeighbours neighbours = new FakeAwsNeighbours(vertx);
    neighbours.server.listen(0, "127.0.0.1").await();
    return neighbours;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  private void answer(HttpServerRequest request) {
    String target = request.getHeader("X-Amz-Target");
    request.body().onSuccess(body -> {
      if ("DynamoDB_20120810.PutItem".equals(target)) {
        dynamoDbPuts.add(body.toJsonObject());
        request.response().putHeader("Content-Type", "application/x-amz-json-1.0").end("{}");
        return;
      }
      Map<String, String> form = new HashMap<>();
      for (String pair : body.toString().split("&")) {
        String[] parts = pair.split("=", 2);
        form.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
            parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
      }
      if (!"Publish".equals(form.get("Action"))) {
        request.response().setStatusCode(400).end();
        return;
      }
      snsPublishes.add(form);
      deliveries.accept(form.get("TopicArn"), form.get("Message"));
      request.response().putHeader("Content-Type", "text/xml").end("""
          <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
            <PublishResult><MessageId>message-%d</MessageId></PublishResult>
            <ResponseMetadata><RequestId>request-%d</RequestId></ResponseMetadata>
          </PublishResponse>""".formatted(snsPublishes.size(), snsPublishes.size()));
    });
  }
}
