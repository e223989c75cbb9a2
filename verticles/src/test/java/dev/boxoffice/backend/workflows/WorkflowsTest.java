package dev.boxoffice.backend.workflows;

import static dev.boxoffice.backend.web.TestApi.ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.boxoffice.backend.Boxoffice;
import dev.boxoffice.backend.TestServers;
import dev.boxoffice.backend.web.TestApi;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.outbox.DomainEventCodec;
import dev.boxoffice.backend.outbox.OutboxRelayVerticle;
import dev.boxoffice.backend.outbox.OwnDatabase;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.DomainEvents;
import dev.boxoffice.codecs.events.EventPublished;
import dev.boxoffice.codecs.events.OrderCancelled;
import dev.boxoffice.codecs.events.OrderPlaced;
import dev.boxoffice.local.cloud.LocalPrincipal;
import dev.boxoffice.local.stepfunctions.Execution;
import dev.boxoffice.local.stepfunctions.ExecutionStatus;
import dev.boxoffice.local.stepfunctions.LambdaInvoker;
import dev.boxoffice.local.stepfunctions.StateMachine;
import dev.boxoffice.local.stepfunctions.StepFunctionsApiVerticle;
import dev.boxoffice.local.stepfunctions.StepFunctionsConfig;
import dev.boxoffice.local.stepfunctions.StepFunctionsEngine;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The backend starting real state machines on the real local Step Functions engine through the AWS SDK: the
 * repository's ticket-issuance, ticket-cancellation and event-announcement definitions, stand-in create-ticket,
 * cancel-tickets and announce-event functions
 * (the Lambdas themselves are tested in lambdas/), and SNS and DynamoDB as a recording neighbour
 * ({@link FakeAwsNeighbours}). The
 * backend runs on a database of its own, so no other test class's relay takes its events.
 */
class WorkflowsTest {

  private static final String CREATE_TICKET_ARN = "arn:aws:lambda:us-east-1:000000000000:function:create-ticket";
  private static final String ANNOUNCE_EVENT_ARN = "arn:aws:lambda:us-east-1:000000000000:function:announce-event";
  private static final String CANCEL_TICKETS_ARN = "arn:aws:lambda:us-east-1:000000000000:function:cancel-tickets";
  private static final String TOPIC_ARN = "arn:aws:sns:us-east-1:000000000000:boxoffice-notifications";
  private static final String ACTIVITY_TABLE = "boxoffice-activity";
  /** Buyers whose QR codes the stand-in create-ticket cannot render. */
  private static final String BROKEN_PREFIX = "broken";
  /** Buyers whose QR codes the stand-in create-ticket holds back until the test releases them. */
  private static final String SLOW_PREFIX = "slow";
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Duration CATCH_UP_SETTLE_TIME = Duration.ofSeconds(1);

  private static Vertx awsVertx;
  private static FakeAwsNeighbours neighbours;
  private static StepFunctionsEngine engine;
  private static String issuanceMachine;
  private static String announcementMachine;
  private static String cancellationMachine;
  private static TestApi api;
  private static final List<JsonObject> createTicketCalls = new CopyOnWriteArrayList<>();
  private static final List<JsonObject> cancelTicketsCalls = new CopyOnWriteArrayList<>();
  private static final List<Runnable> heldRenderings = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    awsVertx = Vertx.vertx();
    neighbours = FakeAwsNeighbours.start(awsVertx);
    engine = new StepFunctionsEngine(awsVertx,
        StepFunctionsConfig.local().withServiceEndpoints(neighbours.endpoint(), neighbours.endpoint()),
        WorkflowsTest::invoke);
    StepFunctionsApiVerticle sfnApi = new StepFunctionsApiVerticle(engine);
    awsVertx.deployVerticle(sfnApi).await();
    issuanceMachine = createMachine("ticket-issuance");
    announcementMachine = createMachine("event-announcement");
    cancellationMachine = createMachine("ticket-cancellation");

    Config base = TestServers.config(Files.createTempDirectory("static"), TestServers.redis());
    Config config = base.toBuilder()
        .database(OwnDatabase.create("workflows_test"))
        .auth(new Config.Auth(Optional.empty(), Optional.empty(), Set.of(ORGANIZER), base.auth().issuer(),
            base.auth().audience(), base.auth().tokenLifetime(), base.auth().clockSkew(), Map.of()))
        .serverless(new Config.Serverless(Optional.empty(), Optional.empty(),
            Optional.of(URI.create("http://127.0.0.1:" + sfnApi.actualPort())), "us-east-1",
            Optional.of(issuanceMachine), Optional.of(announcementMachine), Optional.empty(),
            Optional.of(cancellationMachine)))
        .build();
    Boxoffice.Tuning defaults = Boxoffice.Tuning.defaults();
    api = TestApi.start(config, new Boxoffice.Tuning(defaults.purchaseLimit(), defaults.purchaseLanes(),
        CATCH_UP_SETTLE_TIME, defaults.noticeCatchUpSettleTime(), defaults.reconciliationInterval(),
        defaults.refundInterval(), defaults.waitingRoomVisitsInFlight()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (api != null) {
      api.close();
    }
    if (engine != null) {
      engine.close();
    }
    if (awsVertx != null) {
      awsVertx.close().await();
    }
  }

  @Test
  @DisplayName("a purchase starts ticket issuance named after its OrderPlaced event, with the enriched input, and its"
      + " tickets' QR codes become ready")
  void purchaseIssuesTickets() {
    String eventId = api.publishedEvent("Workflow night");
    String ticketTypeId = api.ticketTypeOnSale(eventId, 10, 5);
    JsonObject order = placed(api.purchase(ticketTypeId, api.buyerToken("Fan@Example.org"), TestApi.newKey(), 2));
    String orderId = order.getString("id");
    String placedEventId = outboxEventId("OrderPlaced", orderId);

    Execution execution = eventually(() -> executionNamed(issuanceMachine, placedEventId));
    List<String> ticketIds = order.getJsonArray("tickets").stream()
        .map(ticket -> ((JsonObject) ticket).getString("id")).toList();

    assertThat(new JsonObject(execution.input())).isEqualTo(new JsonObject()
        .put("orderId", orderId)
        .put("eventId", eventId)
        .put("eventTitle", "Workflow night")
        .put("ticketTypeId", ticketTypeId)
        .put("buyerEmail", "fan@example.org")
        .put("organizerEmail", ORGANIZER)
        .put("validFrom", "2030-05-31T18:00:00Z")
        .put("validUntil", "2030-06-02T05:00:00Z")
        .put("venue", "Hall 1")
        .put("city", "Lyon")
        .put("startsAt", "2030-06-01T18:00:00Z")
        .put("endsAt", "2030-06-01T23:00:00Z")
        .put("timeZone", "Europe/Paris")
        .put("ticketIds", new JsonArray(ticketIds)));
    List<JsonObject> tickets = eventually(() -> {
      List<JsonObject> mine = myTickets("fan@example.org", orderId);
      return mine.stream().allMatch(ticket -> "ready".equals(ticket.getString("qrStatus"))) ? mine : null;
    });
    assertThat(tickets).hasSize(2);
    assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    Row recorded = await(api.app().pool().preparedQuery("SELECT issuance_execution_arn, issuance_next_check_at"
        + " FROM orders WHERE id = $1::uuid").execute(Tuple.of(orderId))).iterator().next();
    assertThat(recorded.getString("issuance_execution_arn")).isEqualTo(execution.arn());
    assertThat(recorded.getValue("issuance_next_check_at")).isNull();
    List<String> qrKeys = await(api.app().pool().preparedQuery("SELECT qr_key FROM tickets WHERE order_id = $1::uuid"
        + " ORDER BY id").execute(Tuple.of(orderId))).stream().map(row -> row.getString("qr_key")).toList();
    assertThat(qrKeys).containsExactlyElementsOf(ticketIds.stream().sorted().map(id -> "tickets/" + id + ".png")
        .toList());
    assertThat(createTicketCalls).filteredOn(call -> orderId.equals(call.getString("orderId"))).hasSize(2);
    assertThat(neighbours.snsPublishes).anySatisfy(publish -> {
      assertThat(publish.get("TopicArn")).isEqualTo(TOPIC_ARN);
      JsonObject notification = new JsonObject(publish.get("Message"));
      assertThat(notification.getString("type")).isEqualTo("tickets-ready");
      assertThat(notification.getString("id")).isEqualTo("tickets-ready:" + orderId);
      assertThat(notification.getString("to")).isEqualTo("fan@example.org");
      assertThat(notification.getJsonObject("event").getString("venue")).isEqualTo("Hall 1");
      assertThat(notification.getJsonArray("tickets")).hasSize(2);
    });
  }

  @Test
  @DisplayName("a purchase starts its ticket issuance within the request's trace: the ALB's Root, the backend's span"
      + " as Parent, kept through the outbox row; an upstream decision not to sample is kept, and a request without a"
      + " trace header gets a trace of its own with an X-Ray trace id")
  void purchaseTraceReachesTheExecution() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Traced night"), 10, 5);
    String albRoot = "1-%08x-abcdef0123456789abcdef01".formatted(Instant.now().getEpochSecond());

    String orderId = tracedPurchase(ticketTypeId, "traced@example.org", "Root=" + albRoot);

    String header = eventually(() -> executionNamed(issuanceMachine, outboxEventId("OrderPlaced", orderId)))
        .traceHeader();
    assertThat(header).matches("Root=" + albRoot + ";Parent=[0-9a-f]{16};Sampled=1");
    assertThat(await(api.app().pool().preparedQuery("SELECT trace_header FROM outbox WHERE type = 'OrderPlaced'"
        + " AND aggregate_id = $1::uuid").execute(Tuple.of(orderId))).iterator().next().getString("trace_header"))
        .isEqualTo(header);

    String upstreamRoot = "1-%08x-0123456789abcdef01234567".formatted(Instant.now().getEpochSecond());
    String unsampled = tracedPurchase(ticketTypeId, "unsampled@example.org",
        "Root=" + upstreamRoot + ";Parent=53995c3f42cd8ad8;Sampled=0");
    assertThat(eventually(() -> executionNamed(issuanceMachine, outboxEventId("OrderPlaced", unsampled)))
        .traceHeader()).matches("Root=" + upstreamRoot + ";Parent=[0-9a-f]{16};Sampled=0");

    long before = Instant.now().getEpochSecond();
    String untraced = placed(api.purchase(ticketTypeId, api.buyerToken("untraced@example.org"), TestApi.newKey(), 1))
        .getString("id");
    Matcher own = Pattern.compile("Root=1-([0-9a-f]{8})-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1")
        .matcher(eventually(() -> executionNamed(issuanceMachine, outboxEventId("OrderPlaced", untraced)))
            .traceHeader());
    assertThat(own.matches()).isTrue();
    assertThat(Long.parseLong(own.group(1), 16)).as("X-Ray reads the trace's start from its id")
        .isBetween(before - 1, Instant.now().getEpochSecond());
  }

  private static String tracedPurchase(String ticketTypeId, String buyer, String traceHeader) {
    return placed(api.request(HttpMethod.POST, "/api/ticket-types/" + ticketTypeId + "/purchases",
            api.buyerToken(buyer))
        .putHeader("Idempotency-Key", TestApi.newKey())
        .putHeader("X-Amzn-Trace-Id", traceHeader)
        .sendJsonObject(new JsonObject().put("quantity", 1))).getString("id");
  }

  @Test
  @DisplayName("an OrderPlaced relayed again, or started again by name, never starts a second execution")
  void replayStartsNothing() throws Exception {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Replayed"), 10, 5);
    String orderId = placed(api.purchase(ticketTypeId, api.buyerToken("again@example.org"), TestApi.newKey(), 1))
        .getString("id");
    String placedEventId = outboxEventId("OrderPlaced", orderId);
    Execution first = eventually(() -> executionNamed(issuanceMachine, placedEventId));
    eventually(() -> "ready".equals(myTickets("again@example.org", orderId).get(0).getString("qrStatus")) ? 1 : null);

    api.app().vertx().eventBus().publish(OutboxRelayVerticle.addressOf("OrderPlaced"), outboxEvent(placedEventId),
        new DeliveryOptions().setCodecName(DomainEventCodec.NAME));
    try (StepFunctions sameClient = StepFunctions.create(awsVertx, api.app().config().serverless(),
        LocalPrincipal.admin().credentialsProvider())) {
      String sameInput = await(sameClient.start(issuanceMachine, placedEventId, first.input(), null));
      String otherInput = await(sameClient.start(issuanceMachine, placedEventId, "{\"changed\":true}", null));

      assertThat(sameInput).isEqualTo(first.arn());
      assertThat(otherInput).isEqualTo(first.arn());
    }
    // A second start would be a local event bus delivery and one loopback call: a second is plenty to see one.
    await(awsVertx.timer(1000));
    assertThat(engine.listExecutions(issuanceMachine, null))
        .filteredOn(execution -> execution.name().equals(placedEventId)).hasSize(1);
    assertThat(createTicketCalls).filteredOn(call -> orderId.equals(call.getString("orderId"))).hasSize(1);
  }

  @Test
  @DisplayName("when create-ticket fails the execution fails and the buyer sees the QR status failed")
  void failingCreateTicket() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Broken printer"), 10, 5);
    String buyer = BROKEN_PREFIX + "@example.org";
    String orderId = placed(api.purchase(ticketTypeId, api.buyerToken(buyer), TestApi.newKey(), 2)).getString("id");

    List<JsonObject> tickets = eventually(() -> {
      List<JsonObject> mine = myTickets(buyer, orderId);
      return mine.stream().allMatch(ticket -> "failed".equals(ticket.getString("qrStatus"))) ? mine : null;
    });

    assertThat(tickets).hasSize(2);
    Execution execution = executionNamed(issuanceMachine, outboxEventId("OrderPlaced", orderId));
    assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(execution.error()).isEqualTo("TicketIssuanceFailed");
    assertThat(neighbours.dynamoDbPuts).anySatisfy(put -> assertThat(put.encode())
        .contains("ticket_issuance_failed").contains(orderId));
  }

  @Test
  @DisplayName("an execution still running is looked at again, later each time, until its QR codes are ready")
  void slowIssuanceBacksOff() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Slow printer"), 10, 5);
    String buyer = SLOW_PREFIX + "@example.org";
    String orderId = placed(api.purchase(ticketTypeId, api.buyerToken(buyer), TestApi.newKey(), 1)).getString("id");

    Row running = eventually(() -> {
      Row order = issuanceOf(orderId);
      return order.getInteger("issuance_checks") >= 1 ? order : null;
    });
    assertThat(myTickets(buyer, orderId).get(0).getString("qrStatus")).isEqualTo("pending");
    assertThat(Duration.between(Instant.now(), running.getOffsetDateTime("issuance_next_check_at").toInstant()))
        .isPositive();
    heldRenderings.forEach(Runnable::run);
    eventually(() -> "ready".equals(myTickets(buyer, orderId).get(0).getString("qrStatus")) ? 1 : null);

    assertThat(issuanceOf(orderId).getValue("issuance_next_check_at")).isNull();
  }

  @Test
  @DisplayName("an OrderPlaced relayed when nothing started its issuance is started by the catch-up")
  void catchUpStartsLostIssuance() throws Exception {
    String eventId = api.publishedEvent("Lost and found");
    String ticketTypeId = api.ticketTypeOnSale(eventId, 10, 5);
    UUID orderId = UUID.randomUUID();
    UUID ticketId = UUID.randomUUID();
    UUID placedEventId = UUID.randomUUID();
    Instant placedAt = Instant.now().minusSeconds(3600);
    String buyer = "lost@example.org";
    OrderPlaced placed = new OrderPlaced(placedEventId, placedAt, orderId, UUID.fromString(eventId),
        UUID.fromString(ticketTypeId), buyer, List.of(ticketId), 1, 2500, "EUR", placedAt);
    OffsetDateTime at = placedAt.atOffset(ZoneOffset.UTC);
    await(api.app().pool().withTransaction(conn -> conn.preparedQuery("INSERT INTO orders (id, ticket_type_id,"
            + " event_id, buyer_email, quantity, unit_price_minor, total_minor, currency, placed_at)"
            + " VALUES ($1, $2, $3, $4, 1, 2500, 2500, 'EUR', $5)")
        .execute(Tuple.of(orderId, placed.ticketTypeId(), placed.eventId(), buyer, at))
        .compose(order -> conn.preparedQuery("INSERT INTO tickets (id, order_id, ticket_type_id, event_id,"
                + " buyer_email, issued_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .execute(Tuple.of(ticketId, orderId, placed.ticketTypeId(), placed.eventId(), buyer, at)))
        .compose(ticket -> conn.preparedQuery("INSERT INTO outbox (event_id, type, aggregate_id, payload,"
                + " occurred_at, sent_at) VALUES ($1, 'OrderPlaced', $2, $3::jsonb, $4, $4)")
            .execute(Tuple.of(placedEventId, orderId, DomainEvents.toJson(placed), at)))));

    Execution execution = eventually(() -> executionNamed(issuanceMachine, placedEventId.toString()));
    eventually(() -> "ready".equals(myTickets(buyer, orderId.toString()).get(0).getString("qrStatus")) ? 1 : null);

    assertThat(new JsonObject(execution.input()).getJsonArray("ticketIds"))
        .isEqualTo(new JsonArray().add(ticketId.toString()));
    assertThat(engine.listExecutions(issuanceMachine, null))
        .filteredOn(started -> started.name().equals(placedEventId.toString())).hasSize(1);
  }

  @Test
  @DisplayName("cancelling an order starts its ticket cancellation, named after its OrderCancelled event, with the"
      + " documented input; cancelling the event starts one for each order still standing")
  void cancellationRefusesTickets() {
    String eventId = api.publishedEvent("Cancelled later");
    String ticketTypeId = api.ticketTypeOnSale(eventId, 10, 5);
    JsonObject order = placed(api.purchase(ticketTypeId, api.buyerToken("Void@Example.org"), TestApi.newKey(), 2));
    String orderId = order.getString("id");
    String otherOrderId = placed(api.purchase(ticketTypeId, api.buyerToken("late@example.org"), TestApi.newKey(), 1))
        .getString("id");

    assertThat(api.send(HttpMethod.POST, "/api/orders/" + orderId + "/cancel", api.organizerToken(ORGANIZER), null)
        .statusCode()).isEqualTo(200);

    Execution execution = eventually(() -> {
      Execution started = executionNamed(cancellationMachine, outboxEventId("OrderCancelled", orderId));
      return started != null && started.status() == ExecutionStatus.SUCCEEDED ? started : null;
    });
    assertThat(new JsonObject(execution.input())).isEqualTo(new JsonObject()
        .put("orderId", orderId)
        .put("eventId", eventId)
        .put("buyerEmail", "void@example.org")
        .put("organizerEmail", ORGANIZER)
        .put("ticketIds", new JsonArray(order.getJsonArray("tickets").stream()
            .map(ticket -> ((JsonObject) ticket).getString("id")).sorted().toList())));
    assertThat(cancelTicketsCalls).filteredOn(call -> orderId.equals(call.getString("orderId"))).hasSize(1);

    assertThat(api.send(HttpMethod.POST, "/api/events/" + eventId + "/cancel", api.organizerToken(ORGANIZER), null)
        .statusCode()).isEqualTo(200);

    eventually(() -> executionNamed(cancellationMachine, outboxEventId("OrderCancelled", otherOrderId)));
    assertThat(engine.listExecutions(cancellationMachine, null).stream()
        .filter(started -> new JsonObject(started.input()).getString("eventId").equals(eventId)))
        .as("the order cancelled before its event is not cancelled twice").hasSize(2);
  }

  @Test
  @DisplayName("an OrderCancelled relayed when nothing started its ticket cancellation is started by the catch-up")
  void catchUpStartsLostCancellation() throws Exception {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Cancelled while down"), 10, 5);
    JsonObject order = placed(api.purchase(ticketTypeId, api.buyerToken("down@example.org"), TestApi.newKey(), 1));
    String orderId = order.getString("id");
    String ticketId = order.getJsonArray("tickets").getJsonObject(0).getString("id");
    UUID cancelledEventId = UUID.randomUUID();
    Instant at = Instant.now().minusSeconds(3600);
    OrderCancelled cancelled = new OrderCancelled(cancelledEventId, at, UUID.fromString(orderId),
        UUID.fromString(order.getString("eventId")), UUID.fromString(ticketTypeId), "down@example.org",
        List.of(UUID.fromString(ticketId)), ORGANIZER);
    // As a cancellation whose backend stopped between relaying it and starting its workflow leaves it.
    await(api.app().pool().withTransaction(conn -> conn.preparedQuery("UPDATE orders SET status = 'cancelled',"
            + " cancelled_at = now() WHERE id = $1::uuid").execute(Tuple.of(orderId))
        .compose(updated -> conn.preparedQuery("INSERT INTO outbox (event_id, type, aggregate_id, payload,"
                + " occurred_at, sent_at) VALUES ($1, 'OrderCancelled', $2, $3::text::jsonb, $4, $4)")
            .execute(Tuple.of(cancelledEventId, cancelled.orderId(), DomainEvents.toJson(cancelled),
                at.atOffset(ZoneOffset.UTC))))));

    Execution execution = eventually(() -> executionNamed(cancellationMachine, cancelledEventId.toString()));

    assertThat(new JsonObject(execution.input()).getJsonArray("ticketIds")).isEqualTo(new JsonArray().add(ticketId));
    assertThat(new JsonObject(execution.input()).getString("buyerEmail")).isEqualTo("down@example.org");
  }

  @Test
  @DisplayName("an EventPublished relayed when nothing started its announcement is announced by the catch-up, unless"
      + " the event has been cancelled since")
  void catchUpAnnouncesLostPublication() {
    String cancelledId = api.publishedEvent("Cancelled before its catch-up");
    assertThat(api.send(HttpMethod.POST, "/api/events/" + cancelledId + "/cancel", api.organizerToken(ORGANIZER), null)
        .statusCode()).isEqualTo(200);
    String liveId = api.publishedEvent("Announced late");
    UUID lostOfCancelled = lostPublication(cancelledId, "Cancelled before its catch-up");
    UUID lostOfLive = lostPublication(liveId, "Announced late");

    Execution execution = eventually(() -> executionNamed(announcementMachine, lostOfLive.toString()));

    assertThat(new JsonObject(execution.input()).getString("title")).isEqualTo("Announced late");
    assertThat(new JsonObject(execution.input()).getString("eventId")).isEqualTo(liveId);
    // The outbox is caught up in order: the cancelled event's row came first and was passed over.
    assertThat(executionNamed(announcementMachine, lostOfCancelled.toString())).isNull();
  }

  /** An EventPublished row marked relayed an hour ago whose announcement nothing started. */
  private static UUID lostPublication(String eventId, String title) {
    UUID id = UUID.randomUUID();
    Instant at = Instant.now().minusSeconds(3600);
    EventPublished published = new EventPublished(id, at, UUID.fromString(eventId), ORGANIZER, title, "concert",
        "Lyon", Instant.parse("2030-06-01T18:00:00Z"), Instant.parse("2030-06-01T23:00:00Z"), "Europe/Paris");
    await(api.app().pool().preparedQuery("INSERT INTO outbox (event_id, type, aggregate_id, payload, occurred_at,"
            + " sent_at) VALUES ($1, 'EventPublished', $2, $3::text::jsonb, $4, $4)")
        .execute(Tuple.of(id, published.eventId(), DomainEvents.toJson(published), at.atOffset(ZoneOffset.UTC))));
    return id;
  }

  @Test
  @DisplayName("publishing an event starts its announcement, named after EventPublished, with the documented input")
  void publishingAnnounces() {
    String eventId = api.publishedEvent("Announced");
    String publishedEventId = outboxEventId("EventPublished", eventId);

    Execution execution = eventually(() -> executionNamed(announcementMachine, publishedEventId));

    assertThat(new JsonObject(execution.input())).isEqualTo(new JsonObject()
        .put("eventId", eventId)
        .put("title", "Announced")
        .put("category", "concert")
        .put("city", "Lyon")
        .put("startsAt", "2030-06-01T18:00:00Z")
        .put("timeZone", "Europe/Paris"));
  }

  @Test
  @DisplayName("without a ticket public key check-in answers 503 checkin_unavailable, and client-config has no URL")
  void withoutServerlessSettings() {
    HttpResponse<Buffer> checkIn = api.send(HttpMethod.POST, "/api/checkin", api.organizerToken(ORGANIZER),
        new JsonObject().put("token", "anything"));
    HttpResponse<Buffer> clientConfig = api.send(HttpMethod.GET, "/api/client-config", null, null);

    assertThat(checkIn.statusCode()).isEqualTo(503);
    assertThat(checkIn.bodyAsJsonObject().getString("code")).isEqualTo("checkin_unavailable");
    assertThat(clientConfig.bodyAsJsonObject()).isEqualTo(new JsonObject().putNull("serverlessApiUrl")
        .putNull("imageBaseUrl").put("mode", "local"));
  }

  /**
   * The stand-in functions: announce-event finds no subscriber, cancel-tickets answers as the real one does,
   * create-ticket is {@link #createTicket}.
   */
  private static Future<String> invoke(String function, String payloadJson) {
    if (ANNOUNCE_EVENT_ARN.equals(function)) {
      return Future.succeededFuture(new JsonObject().put("published", 0).putNull("cursor").encode());
    }
    if (CANCEL_TICKETS_ARN.equals(function)) {
      JsonObject payload = new JsonObject(payloadJson);
      cancelTicketsCalls.add(payload);
      return Future.succeededFuture(new JsonObject().put("orderId", payload.getString("orderId"))
          .put("ticketIds", payload.getJsonArray("ticketIds")).encode());
    }
    if (!CREATE_TICKET_ARN.equals(function)) {
      return Future.failedFuture(LambdaInvoker.functionError("ResourceNotFoundException", "no function " + function));
    }
    return createTicket(new JsonObject(payloadJson));
  }

  /** The stand-in create-ticket function: answers {ticketId, qrKey} as the real one does, or fails for some buyers. */
  private static Future<String> createTicket(JsonObject payload) {
    createTicketCalls.add(payload);
    if (payload.getString("buyerEmail").startsWith(BROKEN_PREFIX)) {
      return Future.failedFuture(LambdaInvoker.functionError("IllegalStateException", "the QR code cannot be drawn"));
    }
    String ticketId = payload.getString("ticketId");
    String answer = new JsonObject().put("ticketId", ticketId).put("qrKey", "tickets/" + ticketId + ".png").encode();
    if (payload.getString("buyerEmail").startsWith(SLOW_PREFIX)) {
      Promise<String> rendered = Promise.promise();
      heldRenderings.add(() -> rendered.complete(answer));
      return rendered.future();
    }
    return Future.succeededFuture(answer);
  }

  private static String createMachine(String name) throws IOException {
    String definition = Files.readString(stateMachinesDir().resolve(name + ".asl.json"))
        .replace("${CreateTicketFunctionArn}", CREATE_TICKET_ARN)
        .replace("${AnnounceEventFunctionArn}", ANNOUNCE_EVENT_ARN)
        .replace("${CancelTicketsFunctionArn}", CANCEL_TICKETS_ARN)
        .replace("${NotificationTopicArn}", TOPIC_ARN)
        .replace("${ActivityTableName}", ACTIVITY_TABLE);
    Matcher leftOver = Pattern.compile("\\$\\{\\w+}").matcher(definition);
    assertThat(leftOver.find()).as("a placeholder this test does not fill in " + name).isFalse();
    StateMachine machine = engine.createStateMachine("boxoffice-" + name, definition,
        "arn:aws:iam::000000000000:role/" + name);
    return machine.arn();
  }

  /** {@code $BOXOFFICE_STATE_MACHINES_DIR}, else {@code state-machines/} of the repository root above us. */
  private static Path stateMachinesDir() {
    String override = System.getenv("BOXOFFICE_STATE_MACHINES_DIR");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("state-machines"))) {
        return dir.resolve("state-machines");
      }
    }
    throw new IllegalStateException("no state-machines/ beside a pom.xml above " + Path.of("").toAbsolutePath());
  }

  private static JsonObject placed(Future<HttpResponse<Buffer>> purchase) {
    HttpResponse<Buffer> response = await(purchase);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  private static String outboxEventId(String type, String aggregateId) {
    return await(api.app().pool().preparedQuery("SELECT event_id FROM outbox WHERE type = $1"
        + " AND aggregate_id = $2::uuid").execute(Tuple.of(type, aggregateId))).iterator().next()
        .getUUID("event_id").toString();
  }

  private static Row issuanceOf(String orderId) {
    return await(api.app().pool().preparedQuery("SELECT issuance_checks, issuance_next_check_at FROM orders"
        + " WHERE id = $1::uuid").execute(Tuple.of(orderId))).iterator().next();
  }

  private static DomainEvent outboxEvent(String eventId) throws JsonProcessingException {
    return DomainEvents.fromJson(await(api.app().pool().preparedQuery("SELECT payload::text AS payload FROM outbox"
        + " WHERE event_id = $1::uuid").execute(Tuple.of(eventId))).iterator().next().getString("payload"));
  }

  private static Execution executionNamed(String machine, String name) {
    return engine.listExecutions(machine, null).stream().filter(execution -> execution.name().equals(name))
        .findFirst().orElse(null);
  }

  private static List<JsonObject> myTickets(String buyer, String orderId) {
    JsonArray items = api.send(HttpMethod.GET, "/api/me/tickets?limit=100", api.buyerToken(buyer), null)
        .bodyAsJsonObject().getJsonArray("items");
    return items.stream().map(JsonObject.class::cast)
        .filter(ticket -> orderId.equals(ticket.getString("orderId"))).toList();
  }

  /** Asks again every 100 ms until {@code probe} gives something, for at most {@link #PATIENCE}. */
  private static <T> T eventually(Supplier<T> probe) {
    Instant deadline = Instant.now().plus(PATIENCE);
    while (true) {
      T found = probe.get();
      if (found != null) {
        return found;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("nothing after " + PATIENCE.toSeconds() + " s");
      }
      await(awsVertx.timer(100));
    }
  }
}
