package dev.boxoffice.local.stack;

import static dev.boxoffice.local.stack.StackApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Ticket issuance on the one-command stack (quotas and IAM on, the real create-ticket Lambda, S3, SNS, SQS, SES)
 * under faults: Step Functions gone for a minute in the middle of a sale (the backend reaches its endpoint through a
 * link the test cuts), and, throughout, a create-ticket whose first attempts fail half the time after doing their
 * work (the local Lambda runtime's fault injection, as AWS FIS's aws:lambda:invocation-error).
 */
class IssuanceFaultsTest {

  private static final String ORGANIZER = "organizer@boxoffice.test";
  private static final Duration OUTAGE = Duration.ofSeconds(60);
  private static final int ORDERS = 120;
  private static final String CREATE_TICKET = "CreateTicketFunction";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static LocalStack stack;
  private static CuttableLink toStepFunctions;
  private static StackApi api;
  private static String inbox;

  @BeforeAll
  static void startStack() throws Exception {
    Path dataDir = Files.createTempDirectory("boxoffice-issuance-faults");
    int stepFunctionsPort = LoopbackPorts.free();
    toStepFunctions = new CuttableLink(stepFunctionsPort);
    Map<String, String> env = TestStackEnvironment.in(dataDir, ORGANIZER);
    env.put("BOXOFFICE_LOCAL_SES_MAX_SEND_RATE", "500");
    env.put("BOXOFFICE_LOCAL_LAMBDA_FAULTS", CREATE_TICKET + "=50");
    env.put("BOXOFFICE_LOCAL_SFN_PORT", Integer.toString(stepFunctionsPort));
    env.put("BOXOFFICE_SFN_ENDPOINT", "http://127.0.0.1:" + toStepFunctions.port());
    stack = new LocalStack();
    stack.start(LocalStackSettings.fromEnvironment(env), env);
    api = new StackApi("http://127.0.0.1:" + stack.backendConfig().httpPort());
    inbox = stack.cloud().inboxUrl().toString().replaceAll("/$", "");
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
    if (toStepFunctions != null) {
      toStepFunctions.close();
    }
  }

  @Test
  @DisplayName("Step Functions down for a minute in the middle of a sale: every ticket is issued once afterwards (one"
      + " QR code object each, one email per order), none left pending")
  void stepFunctionsDownMidSale() throws Exception {
    String title = "Outage night " + UUID.randomUUID().toString().substring(0, 6);
    String ticketTypeId = api.ticketTypeOnSale(api.token(ORGANIZER), title, ORDERS * 4);
    Map<String, Order> orders = new ConcurrentHashMap<>();

    buy(ticketTypeId, 0, ORDERS / 2, orders);
    toStepFunctions.cut();
    long cutAt = System.nanoTime();
    buy(ticketTypeId, ORDERS / 2, ORDERS, orders);
    Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - cutAt) / 1_000_000));
    toStepFunctions.restore();

    assertIssuedExactlyOnce(title, orders);
  }

  @Test
  @DisplayName("create-ticket reported failed after its work on half of its first attempts: every ticket is issued"
      + " once (one QR code object each, one email per order), none left pending")
  void createTicketFailsHalfItsFirstAttempts() throws Exception {
    String title = "Flaky printer night " + UUID.randomUUID().toString().substring(0, 6);
    String ticketTypeId = api.ticketTypeOnSale(api.token(ORGANIZER), title, ORDERS * 4);
    Map<String, Order> orders = new ConcurrentHashMap<>();
    String createTicket = stack.cloud().lambdas().functions().values().stream()
        .filter(function -> function.logicalId().equals(CREATE_TICKET)).findFirst().orElseThrow().functionName();
    long injectedBefore = stack.cloud().lambdas().faults().injected(createTicket);

    buy(ticketTypeId, 0, ORDERS, orders);

    assertIssuedExactlyOnce(title, orders);
    assertThat(stack.cloud().lambdas().faults().injected(createTicket) - injectedBefore)
        .as("first attempts of this sale's chunks reported failed").isPositive();
  }

  private static void assertIssuedExactlyOnce(String title, Map<String, Order> orders) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    List<String> notReady = List.copyOf(orders.keySet());
    while (!notReady.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      notReady = notReady.stream().filter(buyer -> !allReady(buyer, orders.get(buyer))).toList();
    }
    assertThat(notReady).as("buyers whose tickets are not all ready").isEmpty();

    List<String> ticketIds = orders.values().stream().flatMap(order -> order.ticketIds().stream()).toList();
    List<String> qrObjects = stack.cloud().objectKeys("MediaBucket", "tickets/");
    assertThat(ticketIds).allSatisfy(ticketId -> assertThat(qrObjects).containsOnlyOnce("tickets/" + ticketId + ".png"));
    List<JsonObject> mails = awaitMails("Your tickets for " + title, orders.size());
    assertThat(mails).hasSize(orders.size());
    assertThat(mails.stream().map(mail -> mail.getJsonArray("to").getString(0)).distinct())
        .as("one email per buyer").containsExactlyInAnyOrderElementsOf(orders.keySet());
  }

  private record Order(String orderId, List<String> ticketIds) {
  }

  private static void buy(String ticketTypeId, int from, int to, Map<String, Order> orders) throws Exception {
    try (ExecutorService buyers = Executors.newFixedThreadPool(8)) {
      List<Future<?>> purchases = new ArrayList<>();
      for (int index = from; index < to; index++) {
        String buyer = "outage-" + index + "-" + UUID.randomUUID().toString().substring(0, 6) + "@boxoffice.test";
        int quantity = 1 + index % 3;
        purchases.add(buyers.submit(() -> {
          JsonObject order = body(api.purchase(api.token(buyer), ticketTypeId, UUID.randomUUID().toString(),
              quantity), 201);
          orders.put(buyer, new Order(order.getString("id"), order.getJsonArray("tickets").stream()
              .map(ticket -> ((JsonObject) ticket).getString("id")).toList()));
          return null;
        }));
      }
      for (Future<?> purchase : purchases) {
        purchase.get();
      }
    }
  }

  private static boolean allReady(String buyer, Order order) {
    try {
      JsonArray items = body(api.send("GET", "/api/me/tickets?limit=100", api.token(buyer), null), 200)
          .getJsonArray("items");
      return items.stream().map(JsonObject.class::cast)
          .filter(ticket -> order.orderId().equals(ticket.getString("orderId")))
          .allMatch(ticket -> "ready".equals(ticket.getString("qrStatus")));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<JsonObject> awaitMails(String subject, int expected) throws Exception {
    List<JsonObject> mails = List.of();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      mails = new JsonArray(HTTP.send(HttpRequest.newBuilder(URI.create(inbox + "/api/messages")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).stream().map(JsonObject.class::cast)
          .filter(mail -> subject.equals(mail.getString("subject"))).toList();
      if (mails.size() >= expected) {
        // Anything sent twice would arrive right behind: a few more seconds show it.
        Thread.sleep(3000);
        return new JsonArray(HTTP.send(HttpRequest.newBuilder(URI.create(inbox + "/api/messages")).build(),
            HttpResponse.BodyHandlers.ofString()).body()).stream().map(JsonObject.class::cast)
            .filter(mail -> subject.equals(mail.getString("subject"))).toList();
      }
      Thread.sleep(1000);
    }
    return mails;
  }
}
