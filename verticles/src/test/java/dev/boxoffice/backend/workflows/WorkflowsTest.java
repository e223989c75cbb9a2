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
import dev.boxoffice.local.aws.sqs.LocalSqs;
import dev.boxoffice.local.cloud.LocalPrincipal;
import dev.boxoffice.local.servers.LoopbackPorts;
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
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The backend starting real state machines on the real local Step Functions engine through the AWS SDK: the
 * repository's ticket-issuance, ticket-cancellation and event-announcement definitions, stand-in create-ticket,
 * cancel-tickets and announce-event functions (the Lambdas themselves are tested in lambdas/), SNS and DynamoDB as a
 * recording neighbour ({@link FakeAwsNeighbours}) that delivers the issuance outcomes to a real local SQS queue, which
 * the backend reads. The backend runs on a database of its own, so no other test class's relay takes its events.
 */
class WorkflowsTest {

  private static final String CREATE_TICKET_ARN = "arn:aws:lambda:us-east-1:000000000000:function:create-ticket";
  private static final String ANNOUNCE_EVENT_ARN = "arn:aws:lambda:us-east-1:000000000000:function:announce-event";
  private static final String CANCEL_TICKETS_ARN = "arn:aws:lambda:us-east-1:000000000000:function:cancel-tickets";
  private static final String TOPIC_ARN = "arn:aws:sns:us-east-1:000000000000:boxoffice-notifications";
  private static final String ACTIVITY_TABLE = "boxoffice-activity";
  private static final String OUTCOME_TOPIC_ARN = "arn:aws:sns:us-east-1:000000000000:boxoffice-issuance-outcomes";
  /** Buyers whose QR codes the stand-in create-ticket cannot render. */
  private static final String BROKEN_PREFIX = "broken";
  /** Buyers whose QR codes the stand-in create-ticket holds back until the test releases them. */
  private static final String SLOW_PREFIX = "slow";
  /** Buyers whose chunk's first create-ticket attempt fails (as a Lambda whose S3 call failed), the next succeeds. */
  private static final String FLAKY_PREFIX = "flaky";
  /** Buyers whose chunk's outcome the neighbour SNS loses, so that only the execution's output tells it. */
  private static final String LOST_PREFIX = "lost";
  private static final Duration FIRST_LOOK = Duration.ofSeconds(2);
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Duration CATCH_UP_SETTLE_TIME = Duration.ofSeconds(1);

  private static Vertx awsVertx;
  private static FakeAwsNeighbours neighbours;
  private static StepFunctionsEngine engine;
  private static String issuanceMachine;
  private static String announcementMachine;
  private static String cancellationMachine;
  private static LocalSqs sqs;
  private static SqsClient sqsClient;
  private static String outcomeQueue;
  private static final ExecutorService subscriptions = Executors.newSingleThreadExecutor();
  private static TestApi api;
  private static final List<JsonObject> createTicketCalls = new CopyOnWriteArrayList<>();
  private static final List<JsonObject> cancelTicketsCalls = new CopyOnWriteArrayList<>();
  private static final List<Runnable> heldRenderings = new CopyOnWriteArrayList<>();
  /** Orders of a lost buyer's chunks, whose outcome the neighbour SNS does not deliver. */
  private static final Set<String> lostOrders = ConcurrentHashMap.newKeySet();
  /** The chunks (batch and first order) whose first attempt failed. */
  private static final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() throws Exception {
    awsVertx = Vertx.vertx();
    sqs = LocalSqs.start(LoopbackPorts.free());
    sqsClient = SqsClient.builder().endpointOverride(sqs.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(LocalPrincipal.admin().credentialsProvider())
        .httpClient(UrlConnectionHttpClient.create()).build();
    outcomeQueue = sqsClient.createQueue(create -> create.queueName("issuance-outcomes")).queueUrl();
    neighbours = FakeAwsNeighbours.start(awsVertx);
    neighbours.deliveries = WorkflowsTest::deliver;
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
        .issuance(new Config.Issuance(Optional.of(outcomeQueue), Optional.of(sqs.endpoint()),
            Config.Issuance.DEFAULT_BATCHES_IN_FLIGHT))
        .build();
    Boxoffice.Tuning defaults = Boxoffice.Tuning.defaults();
    api = TestApi.start(config, new Boxoffice.Tuning(defaults.purchaseLimit(), defaults.purchaseLanes(),
        CATCH_UP_SETTLE_TIME, defaults.noticeCatchUpSettleTime(), defaults.reconciliationInterval(),
        defaults.refundInterval(), defaults.waitingRoomVisitsInFlight(), FIRST_LOOK));
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
    subscriptions.shutdownNow();
    if (sqsClient != null) {
      sqsClient.close();
    }
    if (sqs != null) {
      sqs.close();
    }
  }

  @Test
  @DisplayName("a purchase is issued in a batch: one execution named <batchId>-1 with the documented input, and the"
      + " chunk's outcome, read from the outcome queue, sets its tickets ready")
  void purchaseIssuesTickets() {
    String eventId = api.publishedEvent("Workflow night");
    String ticketTypeId = api.ticketTypeOnSale(eventId, 10, 5);
    JsonObject order = placed(api.purchase(ticketTypeId, api.buyerToken("Fan@Example.org"), TestApi.newKey(), 2));
    String orderId = order.getString("id");
    List<String> ticketIds = order.getJsonArray("tickets").stream()
        .map(ticket -> ((JsonObject) ticket).getString("id")).sorted().toList();

    List<JsonObject> tickets = eventually(() -> {
      List<JsonObject> mine = myTickets("fan@example.org", orderId);
      return mine.stream().allMatch(ticket -> "ready".equals(ticket.getString("qrStatus"))) ? mine : null;
    });

    assertThat(tickets).hasSize(2);
    Row batch = batchOf(orderId);
    String batchId = batch.getUUID("id").toString();
    Execution execution = executionNamed(issuanceMachine, batchId + "-1");
    assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(batch.getString("execution_arn")).isEqualTo(execution.arn());
    assertThat(batch.getValue("finished_at")).isNotNull();
    JsonObject input = new JsonObject(execution.input());
    assertThat(input.getString("batchId")).isEqualTo(batchId);
    JsonObject chunk = input.getJsonArray("chunks").stream().map(JsonObject.class::cast)
        .filter(candidate -> candidate.getJsonArray("orders").stream()
            .anyMatch(o -> orderId.equals(((JsonObject) o).getString("orderId"))))
        .findFirst().orElseThrow();
    assertThat(chunk.getJsonObject("event")).isEqualTo(new JsonObject()
        .put("eventId", eventId)
        .put("title", "Workflow night")
        .put("organizerEmail", ORGANIZER)
        .put("venue", "Hall 1")
        .put("city", "Lyon")
        .put("startsAt", "2030-06-01T18:00:00Z")
        .put("endsAt", "2030-06-01T23:00:00Z")
        .put("timeZone", "Europe/Paris")
        .put("validFrom", "2030-05-31T18:00:00Z")
        .put("validUntil", "2030-06-02T05:00:00Z"));
    assertThat(chunk.getJsonArray("orders").stream().map(JsonObject.class::cast)
        .filter(o -> orderId.equals(o.getString("orderId"))).findFirst().orElseThrow())
        .isEqualTo(new JsonObject()
            .put("orderId", orderId)
            .put("ticketTypeId", ticketTypeId)
            .put("buyerEmail", "fan@example.org")
            .put("ticketIds", new JsonArray(ticketIds)));
    List<String> qrKeys = await(api.app().pool().preparedQuery("SELECT qr_key FROM tickets WHERE order_id = $1::uuid"
        + " ORDER BY id").execute(Tuple.of(orderId))).stream().map(row -> row.getString("qr_key")).toList();
    assertThat(qrKeys).containsExactlyElementsOf(ticketIds.stream().map(id -> "tickets/" + id + ".png").toList());
    assertThat(createTicketCalls).filteredOn(call -> callIssues(call, orderId)).hasSize(1);
    assertThat(neighbours.snsPublishes).anySatisfy(publish -> {
      assertThat(publish.get("TopicArn")).isEqualTo(OUTCOME_TOPIC_ARN);
      assertThat(publish.get("Message")).contains(orderId);
    });
  }

  @Test
  @DisplayName("orders placed while the batches in flight issue wait, then go together in one batch")
  void ordersWaitingGoTogether() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Rush"), 50, 5);
    List<String> slowOrders = new ArrayList<>();
    for (int index = 0; index < Config.Issuance.DEFAULT_BATCHES_IN_FLIGHT; index++) {
      slowOrders.add(placed(api.purchase(ticketTypeId, api.buyerToken(SLOW_PREFIX + index + "@example.org"),
          TestApi.newKey(), 1)).getString("id"));
      String placedOrder = slowOrders.getLast();
      eventually(() -> batchOf(placedOrder));
    }
    List<String> waiting = new ArrayList<>();
    for (int index = 0; index < 3; index++) {
      waiting.add(placed(api.purchase(ticketTypeId, api.buyerToken("waiting" + index + "@example.org"),
          TestApi.newKey(), 1)).getString("id"));
    }
    await(awsVertx.timer(1500));
    assertThat(waiting).allSatisfy(orderId -> assertThat(batchOf(orderId)).isNull());

    heldRenderings.forEach(Runnable::run);
    heldRenderings.clear();
    eventually(() -> waiting.stream().allMatch(orderId -> "ready".equals(
        myTickets("waiting" + waiting.indexOf(orderId) + "@example.org", orderId).get(0).getString("qrStatus")))
        ? 1 : null);

    assertThat(waiting.stream().map(orderId -> batchOf(orderId).getUUID("id")).distinct()).hasSize(1);
  }

  @Test
  @DisplayName("a purchase's batch starts its ticket issuance within the request's trace: the ALB's Root, the backend's"
      + " span as Parent, kept through the outbox row; an upstream decision not to sample is kept, and a request without a"
      + " trace header gets a trace of its own with an X-Ray trace id")
  void purchaseTraceReachesTheExecution() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Traced night"), 10, 5);
    String albRoot = "1-%08x-abcdef0123456789abcdef01".formatted(Instant.now().getEpochSecond());

    String orderId = tracedPurchase(ticketTypeId, "traced@example.org", "Root=" + albRoot);

    String header = eventually(() -> executionOfBatch(orderId))
        .traceHeader();
    assertThat(header).matches("Root=" + albRoot + ";Parent=[0-9a-f]{16};Sampled=1");
    assertThat(await(api.app().pool().preparedQuery("SELECT trace_header FROM outbox WHERE type = 'OrderPlaced'"
        + " AND aggregate_id = $1::uuid").execute(Tuple.of(orderId))).iterator().next().getString("trace_header"))
        .isEqualTo(header);

    String upstreamRoot = "1-%08x-0123456789abcdef01234567".formatted(Instant.now().getEpochSecond());
    String unsampled = tracedPurchase(ticketTypeId, "unsampled@example.org",
        "Root=" + upstreamRoot + ";Parent=53995c3f42cd8ad8;Sampled=0");
    assertThat(eventually(() -> executionOfBatch(unsampled))
        .traceHeader()).matches("Root=" + upstreamRoot + ";Parent=[0-9a-f]{16};Sampled=0");

    long before = Instant.now().getEpochSecond();
    String untraced = placed(api.purchase(ticketTypeId, api.buyerToken("untraced@example.org"), TestApi.newKey(), 1))
        .getString("id");
    Matcher own = Pattern.compile("Root=1-([0-9a-f]{8})-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1")
        .matcher(eventually(() -> executionOfBatch(untraced))
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
  @DisplayName("an OrderPlaced relayed again, or a batch started again by name, never starts a second execution")
  void replayStartsNothing() throws Exception {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Replayed"), 10, 5);
    String orderId = placed(api.purchase(ticketTypeId, api.buyerToken("again@example.org"), TestApi.newKey(), 1))
        .getString("id");
    eventually(() -> "ready".equals(myTickets("again@example.org", orderId).get(0).getString("qrStatus")) ? 1 : null);
    String name = batchOf(orderId).getUUID("id") + "-1";
    Execution first = executionNamed(issuanceMachine, name);

    api.app().vertx().eventBus().publish(OutboxRelayVerticle.addressOf("OrderPlaced"),
        outboxEvent(outboxEventId("OrderPlaced", orderId)), new DeliveryOptions().setCodecName(DomainEventCodec.NAME));
    try (StepFunctions sameClient = StepFunctions.create(awsVertx, api.app().config().serverless(),
        LocalPrincipal.admin().credentialsProvider())) {
      String sameInput = await(sameClient.start(issuanceMachine, name, first.input(), null));
      String otherInput = await(sameClient.start(issuanceMachine, name, "{\"changed\":true}", null));

      assertThat(sameInput).isEqualTo(first.arn());
      assertThat(otherInput).isEqualTo(first.arn());
    }
    // A second start would take a round (at once on the relayed event) and one loopback call: two seconds show it.
    await(awsVertx.timer(2000));
    assertThat(engine.listExecutions(issuanceMachine, null))
        .filteredOn(execution -> execution.input().contains(orderId)).hasSize(1);
    assertThat(createTicketCalls).filteredOn(call -> callIssues(call, orderId)).hasSize(1);
  }

  @Test
  @DisplayName("when create-ticket fails for good its chunk's outcome says so and the buyer sees the QR status failed")
  void failingCreateTicket() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Broken printer"), 10, 5);
    String buyer = BROKEN_PREFIX + "@example.org";
    String orderId = placed(api.purchase(ticketTypeId, api.buyerToken(buyer), TestApi.newKey(), 2)).getString("id");

    List<JsonObject> tickets = eventually(() -> {
      List<JsonObject> mine = myTickets(buyer, orderId);
      return mine.stream().allMatch(ticket -> "failed".equals(ticket.getString("qrStatus"))) ? mine : null;
    });

    assertThat(tickets).hasSize(2);
    assertThat(neighbours.snsPublishes).anySatisfy(publish -> {
      JsonObject outcome = new JsonObject(publish.get("Message"));
      assertThat(outcome.getJsonArray("failed")).containsExactly(orderId);
      assertThat(outcome.getString("error")).isEqualTo("dev.boxoffice.lambdas.InvalidInputException");
    });
    assertThat(batchOf(orderId).getValue("finished_at")).isNotNull();
  }

  @Test
  @DisplayName("a chunk whose create-ticket fails at its first attempt is retried with back-off and issued once")
  void flakyCreateTicketRetried() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Flaky printer"), 10, 5);
    String buyer = FLAKY_PREFIX + "@example.org";
    String orderId = placed(api.purchase(ticketTypeId, api.buyerToken(buyer), TestApi.newKey(), 2)).getString("id");

    eventually(() -> myTickets(buyer, orderId).stream().allMatch(ticket -> "ready".equals(ticket.getString("qrStatus")))
        ? 1 : null);

    assertThat(createTicketCalls).filteredOn(call -> callIssues(call, orderId)).hasSize(2);
    assertThat(neighbours.snsPublishes).filteredOn(publish -> publish.get("Message").contains(orderId)).hasSize(1);
  }

  @Test
  @DisplayName("a batch still running when its outcomes are due is looked at again, later each time, until they come")
  void slowIssuanceBacksOff() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Slow printer"), 10, 5);
    String buyer = SLOW_PREFIX + "@example.org";
    String orderId = placed(api.purchase(ticketTypeId, api.buyerToken(buyer), TestApi.newKey(), 1)).getString("id");

    Row running = eventually(() -> {
      Row batch = batchOf(orderId);
      return batch != null && batch.getInteger("checks") >= 1 ? batch : null;
    });
    assertThat(myTickets(buyer, orderId).get(0).getString("qrStatus")).isEqualTo("pending");
    assertThat(Duration.between(Instant.now(), running.getOffsetDateTime("next_check_at").toInstant()))
        .isPositive();
    heldRenderings.forEach(Runnable::run);
    heldRenderings.clear();
    eventually(() -> "ready".equals(myTickets(buyer, orderId).get(0).getString("qrStatus")) ? 1 : null);

    assertThat(batchOf(orderId).getValue("finished_at")).isNotNull();
  }

  @Test
  @DisplayName("an outcome that never reaches the queue is read from the succeeded execution's output when due")
  void lostOutcomeReadFromExecution() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Lost in the post"), 10, 5);
    String buyer = LOST_PREFIX + "@example.org";
    String orderId = placed(api.purchase(ticketTypeId, api.buyerToken(buyer), TestApi.newKey(), 2)).getString("id");

    eventually(() -> myTickets(buyer, orderId).stream().allMatch(ticket -> "ready".equals(ticket.getString("qrStatus")))
        ? 1 : null);

    assertThat(batchOf(orderId).getValue("finished_at")).isNotNull();
    assertThat(neighbours.snsPublishes).anySatisfy(publish -> assertThat(publish.get("Message")).contains(orderId));
  }

  @Test
  @DisplayName("an order nobody told the issuer about, and a batch formed whose start was lost, are issued by the"
      + " next rounds, the batch under the name it was formed for")
  void roundsIssueWhatWasMissed() {
    String eventId = api.publishedEvent("Lost and found");
    String ticketTypeId = api.ticketTypeOnSale(eventId, 10, 5);
    UUID unannounced = insertOrder(ticketTypeId, eventId, "unannounced@example.org");
    UUID inLostBatch = insertOrder(ticketTypeId, eventId, "lost-start@example.org");
    UUID lostBatch = UUID.randomUUID();
    await(api.app().pool().withTransaction(conn -> conn.preparedQuery("INSERT INTO issuance_batches (id, attempt)"
            + " VALUES ($1, 2)").execute(Tuple.of(lostBatch))
        .compose(inserted -> conn.preparedQuery("UPDATE orders SET awaiting_issuance = false, issuance_batch_id = $1"
            + " WHERE id = $2").execute(Tuple.of(lostBatch, inLostBatch)))));

    eventually(() -> "ready".equals(myTickets("unannounced@example.org", unannounced.toString()).get(0)
        .getString("qrStatus")) && "ready".equals(myTickets("lost-start@example.org", inLostBatch.toString()).get(0)
        .getString("qrStatus")) ? 1 : null);

    assertThat(executionNamed(issuanceMachine, lostBatch + "-2")).isNotNull();
    assertThat(batchOf(unannounced.toString()).getUUID("id")).isNotEqualTo(lostBatch);
  }

  /** An order with one ticket written as the purchase writes it, without its OrderPlaced reaching anyone. */
  private static UUID insertOrder(String ticketTypeId, String eventId, String buyer) {
    UUID orderId = UUID.randomUUID();
    OffsetDateTime at = Instant.now().atOffset(ZoneOffset.UTC);
    await(api.app().pool().withTransaction(conn -> conn.preparedQuery("INSERT INTO orders (id, ticket_type_id,"
            + " event_id, buyer_email, quantity, unit_price_minor, total_minor, currency, placed_at)"
            + " VALUES ($1, $2::uuid, $3::uuid, $4, 1, 2500, 2500, 'EUR', $5)")
        .execute(Tuple.of(orderId, ticketTypeId, eventId, buyer, at))
        .compose(order -> conn.preparedQuery("INSERT INTO tickets (id, order_id, ticket_type_id, event_id,"
                + " buyer_email, issued_at) VALUES ($1, $2, $3::uuid, $4::uuid, $5, $6)")
            .execute(Tuple.of(UUID.randomUUID(), orderId, ticketTypeId, eventId, buyer, at)))));
    return orderId;
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

  /**
   * The stand-in create-ticket function: answers the chunk's outcome as the real one does, or fails for good (as the
   * real one fails on input it can never issue) when a buyer of the chunk is broken, or holds the answer back while a
   * buyer is slow.
   */
  private static Future<String> createTicket(JsonObject chunk) {
    createTicketCalls.add(chunk);
    List<JsonObject> orders = chunk.getJsonArray("orders").stream().map(JsonObject.class::cast).toList();
    if (orders.stream().anyMatch(order -> order.getString("buyerEmail").startsWith(LOST_PREFIX))) {
      orders.forEach(order -> lostOrders.add(order.getString("orderId")));
    }
    if (orders.stream().anyMatch(order -> order.getString("buyerEmail").startsWith(BROKEN_PREFIX))) {
      return Future.failedFuture(LambdaInvoker.functionError("dev.boxoffice.lambdas.InvalidInputException",
          "the QR code cannot be drawn"));
    }
    String chunkId = chunk.getString("batchId") + "/" + orders.getFirst().getString("orderId");
    if (orders.stream().anyMatch(order -> order.getString("buyerEmail").startsWith(FLAKY_PREFIX))
        && failedOnce.add(chunkId)) {
      return Future.failedFuture(LambdaInvoker.functionError("software.amazon.awssdk.services.s3.model.S3Exception",
          "We encountered an internal error. Please try again."));
    }
    JsonArray issued = new JsonArray();
    for (JsonObject order : orders) {
      JsonArray tickets = new JsonArray();
      order.getJsonArray("ticketIds").forEach(ticketId -> tickets.add(new JsonObject().put("ticketId", ticketId)
          .put("qrKey", "tickets/" + ticketId + ".png")));
      issued.add(new JsonObject().put("orderId", order.getString("orderId")).put("tickets", tickets));
    }
    String answer = new JsonObject().put("batchId", chunk.getString("batchId")).put("issued", issued)
        .put("failed", new JsonArray()).encode();
    if (orders.stream().anyMatch(order -> order.getString("buyerEmail").startsWith(SLOW_PREFIX))) {
      Promise<String> rendered = Promise.promise();
      heldRenderings.add(() -> rendered.complete(answer));
      return rendered.future();
    }
    return Future.succeededFuture(answer);
  }

  /** SNS's delivery to the outcome queue's subscription; a lost buyer's outcome is lost on the way. */
  private static void deliver(String topicArn, String message) {
    if (OUTCOME_TOPIC_ARN.equals(topicArn) && lostOrders.stream().noneMatch(message::contains)) {
      subscriptions.execute(() -> sqsClient.sendMessage(send -> send.queueUrl(outcomeQueue).messageBody(message)));
    }
  }

  private static boolean callIssues(JsonObject chunk, String orderId) {
    return chunk.getJsonArray("orders").stream().anyMatch(order -> orderId.equals(((JsonObject) order)
        .getString("orderId")));
  }

  private static String createMachine(String name) throws IOException {
    String definition = Files.readString(stateMachinesDir().resolve(name + ".asl.json"))
        .replace("${CreateTicketFunctionArn}", CREATE_TICKET_ARN)
        .replace("${AnnounceEventFunctionArn}", ANNOUNCE_EVENT_ARN)
        .replace("${IssuanceOutcomeTopicArn}", OUTCOME_TOPIC_ARN)
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

  /** The batch the order is in, null while it awaits one. */
  /** The first attempt's execution of the order's batch, once there is one. */
  private static Execution executionOfBatch(String orderId) {
    Row batch = batchOf(orderId);
    return batch == null ? null : executionNamed(issuanceMachine, batch.getUUID("id") + "-1");
  }

  private static Row batchOf(String orderId) {
    RowSet<Row> rows = await(api.app().pool().preparedQuery("SELECT b.* FROM issuance_batches b"
        + " JOIN orders o ON o.issuance_batch_id = b.id WHERE o.id = $1::uuid").execute(Tuple.of(orderId)));
    return rows.size() == 0 ? null : rows.iterator().next();
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
