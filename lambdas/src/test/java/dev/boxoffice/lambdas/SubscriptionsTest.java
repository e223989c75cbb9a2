package dev.boxoffice.lambdas;

import static dev.boxoffice.lambdas.ApiRequests.assertError;
import static dev.boxoffice.lambdas.ApiRequests.body;
import static dev.boxoffice.lambdas.ApiRequests.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.codecs.Json;
import dev.boxoffice.lambdas.mail.Subjects;
import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudExtension;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * Subscriptions and announcements through the real subscription and event-announcement state machines, their
 * Lambdas, the notification topic, the mail queues, the mailer and SES, read back from the inbox.
 */
@ExtendWith(LocalCloudExtension.class)
@DisplayName("subscriptions in DynamoDB, signed links, and announcements in batches")
class SubscriptionsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  /** 150 characters with a line break in the middle, as an organizer may paste a title. */
  private static final String LONG_TITLE = "The Grand Midsummer Festival of Strings, Brass & Voices\n"
      + "— three nights of orchestras, choirs, soloists and late jam sessions under the old market hall";

  private final LocalCloud aws;
  private final ConfirmSubscriptionHandler confirm;
  private final UnsubscribeHandler unsubscribe;
  private final CheckSubscriptionHandler check;

  SubscriptionsTest(LocalCloud aws) {
    this.aws = aws;
    this.confirm = new ConfirmSubscriptionHandler(aws.functionEnvironment("ConfirmSubscriptionFunction"));
    this.unsubscribe = new UnsubscribeHandler(aws.functionEnvironment("UnsubscribeFunction"));
    this.check = new CheckSubscriptionHandler(aws.functionEnvironment("CheckSubscriptionFunction"));
  }

  @Test
  @DisplayName("a confirmed subscriber gets an announcement whose 150-character title with a line break makes a "
      + "one-line subject within limits, and unsubscribes in one click with the List-Unsubscribe URL")
  void subscribeConfirmAnnounceUnsubscribe() throws Exception {
    String fan = unique("fan");
    subscribe(fan, List.of("festival"), List.of("lyon"));
    JsonNode confirmation = aws.inbox().awaitMail(fan, mail -> mail.path("subject").asText()
        .equals("Confirm your Boxoffice announcements"));
    String token = tokenOf(confirmation, "/subscription/confirm?token=");
    assertThat(status(fan, List.of("festival"), List.of("lyon"))).isEqualTo("pending");

    APIGatewayProxyResponseEvent confirmed = confirm.handleRequest(confirmRequest(token), null);
    assertThat(confirmed.getStatusCode()).isEqualTo(200);
    assertThat(body(confirmed).path("categories").toString()).isEqualTo("[\"festival\"]");
    assertThat(confirm.handleRequest(confirmRequest(token), null).getStatusCode()).as("the link again")
        .isEqualTo(200);

    String eventId = announce(LONG_TITLE, "Festival", "Lyon");
    JsonNode announcement = aws.inbox().awaitMail(fan, mail -> mail.path("subject").asText()
        .startsWith("New on Boxoffice: "));
    String subject = announcement.path("subject").asText();
    assertThat(subject).doesNotContain("\n").endsWith("…").hasSizeLessThanOrEqualTo(Subjects.MAX_LENGTH)
        .startsWith("New on Boxoffice: The Grand Midsummer Festival of Strings, Brass & Voices — three nights");
    assertThat(announcement.path("html").asText()).contains("Brass &amp; Voices");
    assertThat(announcement.path("text").asText()).contains("/events/" + eventId);
    assertThat(announcement.path("headers").path("List-Unsubscribe-Post").asText())
        .isEqualTo("List-Unsubscribe=One-Click");
    String oneClick = announcement.path("headers").path("List-Unsubscribe").asText().replaceAll("^<|>$", "");
    assertThat(oneClick).startsWith(aws.functionEnvironment("AnnounceEventFunction").get("BOXOFFICE_API_URL")
        + "/unsubscribe?token=");

    APIGatewayProxyResponseEvent left = unsubscribe.handleRequest(oneClickPost(oneClick), null);
    assertThat(left.getStatusCode()).isEqualTo(200);
    assertThat(status(fan, List.of("festival"), List.of("lyon"))).isEqualTo("unsubscribed");
    String quietEvent = announce("Second festival", "festival", "Lyon");
    awaitSucceeded(quietEvent);
    Thread.sleep(2000);
    assertThat(aws.inbox().mailsTo(fan)).filteredOn(mail -> mail.path("subject").asText().contains("Second festival"))
        .isEmpty();
  }

  @Test
  @DisplayName("asking twice for the same preferences mails one confirmation; new preferences replace the pending "
      + "ones and the old link confirms nothing; confirmed preferences asked again need nothing")
  void pendingRequests() throws Exception {
    String reader = unique("reader");
    subscribe(reader, List.of("theatre"), List.of());
    subscribe(reader, List.of("theatre"), List.of());
    JsonNode first = aws.inbox().awaitMail(reader, mail -> mail.path("text").asText().contains("theatre"));
    Thread.sleep(2000);
    assertThat(aws.inbox().mailsTo(reader)).hasSize(1);

    subscribe(reader, List.of("comedy"), List.of("paris"));
    JsonNode second = aws.inbox().awaitMail(reader, mail -> mail.path("text").asText().contains("comedy"));
    assertError(confirm.handleRequest(confirmRequest(tokenOf(first, "token=")), null), 400, "invalid_link");
    assertThat(confirm.handleRequest(confirmRequest(tokenOf(second, "token=")), null).getStatusCode())
        .isEqualTo(200);
    assertThat(status(reader, List.of("comedy"), List.of("paris"))).isEqualTo("confirmed");
    assertThat(check.handleRequest(Map.of("email", reader, "preferences",
        Map.of("categories", List.of("comedy"), "cities", List.of("paris"))), null)).containsEntry("unchanged", true);
  }

  @Test
  @DisplayName("forged, tampered and wrong-purpose tokens are refused with 400 and change nothing")
  void forgedLinks() {
    SubscriptionLinks links = new SubscriptionLinks(new KeysSecret(new HandlerEnvironment(
        aws.functionEnvironment("ConfirmSubscriptionFunction")), Clock.systemUTC()));
    String unsubscribeToken = links.token(SubscriptionLinks.Purpose.UNSUBSCRIBE, "abc", "all",
        Instant.now().plusSeconds(60));
    String expired = links.token(SubscriptionLinks.Purpose.CONFIRM, "abc", "n1", Instant.now().minusSeconds(1));
    for (String token : List.of("", "x.y", unsubscribeToken, expired, unsubscribeToken.replace('A', 'B') + "A")) {
      assertError(confirm.handleRequest(confirmRequest(token), null), 400, "invalid_link");
    }
    assertError(unsubscribe.handleRequest(oneClickPost("https://api.example/unsubscribe?token=nope"), null), 400,
        "invalid_link");
  }

  @Test
  @DisplayName("an announcement reaches every matching confirmed subscriber in batches of 500, each once, and no one "
      + "else: 1,050 subscribers take four batches, not 1,050 state transitions")
  void announcementInBatches() throws Exception {
    String category = "batch" + UUID.randomUUID().toString().substring(0, 6);
    List<String> expected = new ArrayList<>();
    expected.addAll(seed(category + "#lyon", 600));
    expected.addAll(seed(category + "#*", 300));
    seed(category + "#paris", 40);
    expected.addAll(seed("*#lyon", 150));

    String eventId = announce("Batch concert", category, "Lyon");

    DescribeExecutionResponse done = awaitSucceeded(eventId);
    JsonNode output = Json.mapper().readTree(done.output());
    assertThat(output.path("published").asInt()).isGreaterThanOrEqualTo(expected.size());
    long batches = aws.admin().sfn().getExecutionHistoryPaginator(history -> history.executionArn(done.executionArn()))
        .events().stream().filter(event -> "TaskStateEntered".equals(event.typeAsString()))
        .map(HistoryEvent::stateEnteredEventDetails).filter(details -> details.name().equals("AnnounceBatch")).count();
    assertThat(batches).isBetween(4L, 5L);
    String logTable = aws.resources().tableName("MailLogTable");
    for (String subscriberId : expected.subList(0, 20)) {
      String id = "announcement:" + eventId + ":" + subscriberId;
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (aws.admin().dynamoDb().getItem(get -> get.tableName(logTable).key(Map.of("notificationId",
          AttributeValue.fromS(id)))).item().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(aws.admin().dynamoDb().getItem(get -> get.tableName(logTable).key(Map.of("notificationId",
          AttributeValue.fromS(id)))).item()).as(id).isNotEmpty();
    }
  }

  /** Confirmed subscribers written straight into the table, their addresses the mailbox simulator's. */
  private List<String> seed(String interestKey, int count) {
    String table = aws.resources().tableName("SubscribersTable");
    List<String> ids = new ArrayList<>();
    List<WriteRequest> writes = new ArrayList<>();
    for (int index = 0; index < count; index++) {
      String id = UUID.randomUUID().toString().replace("-", "");
      ids.add(id);
      Map<String, AttributeValue> item = new HashMap<>();
      item.put("pk", AttributeValue.fromS("subscriber#" + id));
      item.put("sk", AttributeValue.fromS("interest#" + interestKey));
      item.put("interestKey", AttributeValue.fromS(interestKey));
      item.put("subscriberId", AttributeValue.fromS(id));
      item.put("email", AttributeValue.fromS("success+" + id + "@simulator.amazonses.com"));
      writes.add(WriteRequest.builder().putRequest(put -> put.item(item)).build());
      if (writes.size() == 25 || index == count - 1) {
        List<WriteRequest> batch = List.copyOf(writes);
        aws.admin().dynamoDb().batchWriteItem(write -> write.requestItems(Map.of(table, batch)));
        writes.clear();
      }
    }
    return ids;
  }

  private void subscribe(String email, List<String> categories, List<String> cities) {
    String input = Json.write(Map.of("email", email, "preferences", Map.of("categories", categories,
        "cities", cities)));
    aws.admin().sfn().startExecution(start -> start.stateMachineArn(aws.resources()
        .stateMachineArn("SubscriptionStateMachine")).name("subscribe-" + UUID.randomUUID()).input(input));
  }

  private String status(String email, List<String> categories, List<String> cities) {
    return String.valueOf(check.handleRequest(Map.of("email", email, "preferences",
        Map.of("categories", categories, "cities", cities)), null).get("status"));
  }

  /** Starts the announcement of a new event as the backend does on EventPublished; answers the event id. */
  private String announce(String title, String category, String city) {
    String eventId = UUID.randomUUID().toString();
    String input = Json.write(Map.of("eventId", eventId, "title", title, "category", category, "city", city,
        "startsAt", "2031-06-21T18:00:00Z", "timeZone", "Europe/Paris"));
    aws.admin().sfn().startExecution(start -> start.stateMachineArn(aws.resources()
        .stateMachineArn("EventAnnouncementStateMachine")).name(eventId).input(input));
    return eventId;
  }

  private DescribeExecutionResponse awaitSucceeded(String eventId) throws InterruptedException {
    String arn = aws.resources().stateMachineArn("EventAnnouncementStateMachine")
        .replace(":stateMachine:", ":execution:") + ":" + eventId;
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      DescribeExecutionResponse execution = aws.admin().sfn().describeExecution(describe -> describe.executionArn(arn));
      if (execution.status() != ExecutionStatus.RUNNING) {
        assertThat(execution.status()).as("%s: %s", execution.error(), execution.cause())
            .isEqualTo(ExecutionStatus.SUCCEEDED);
        return execution;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the announcement did not end within " + PATIENCE);
  }

  private static String tokenOf(JsonNode mail, String marker) {
    for (JsonNode link : mail.path("links")) {
      String url = link.asText();
      int at = url.indexOf(marker);
      if (at >= 0) {
        return URLDecoder.decode(url.substring(url.indexOf("token=") + "token=".length()), StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("no link with " + marker + " in " + mail);
  }

  private static APIGatewayProxyRequestEvent confirmRequest(String token) {
    return json("POST", "/confirm-subscription", Json.write(Map.of("token", token)));
  }

  /** What a mail provider sends for RFC 8058: a form POST of List-Unsubscribe=One-Click to the header's URL. */
  private static APIGatewayProxyRequestEvent oneClickPost(String url) {
    URI uri = URI.create(url);
    APIGatewayProxyRequestEvent request = ApiRequests.request("POST", uri.getPath(),
        "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click", false);
    String token = URLDecoder.decode(uri.getRawQuery().substring("token=".length()), StandardCharsets.UTF_8);
    return request.withQueryStringParameters(Map.of("token", token));
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
  }
}
