package dev.boxoffice.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import dev.boxoffice.codecs.notifications.Notifications;
import dev.boxoffice.codecs.notifications.SignInCode;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.codecs.tickets.TicketClaims;
import dev.boxoffice.codecs.tickets.TicketTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

/**
 * The serverless half end to end on the one-command stack, as a buyer meets it: sign in with an emailed one-time code
 * at an address never seen before, subscribe and confirm by the emailed link, hold two tickets and pay for them on the
 * local Stripe server's hosted page, get them by email (QR codes inline, calendar attached) and on the site, and have
 * them checked in at the door exactly once.
 */
class ServerlessJourneyTest {

  private static final String ORGANIZER = "organizer@boxoffice.test";
  private static final String BUYER = "buyer-" + UUID.randomUUID().toString().substring(0, 8) + "@boxoffice.test";
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  /**
   * The sale's size in {@code ./boxoffice test}, which must stay within its time budget on a busy two-core machine;
   * the 2,000 orders run with {@code -Dboxoffice.sale.orders=2000} (docs/performance.md has the figures).
   */
  private static final int DEFAULT_SALE_ORDERS = 300;
  private static final int SALE_ORDERS_AHEAD = 100;
  private static final int DEFAULT_THROUGHPUT_MAILS = 200;

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static LocalStack stack;
  private static Path dataDir;
  private static String backend;
  private static String apiGateway;
  private static String inbox;

  @BeforeAll
  static void startStack() throws Exception {
    dataDir = Files.createTempDirectory("boxoffice-journey");
    Map<String, String> env = TestStackEnvironment.in(dataDir, ORGANIZER);
    // SES at a rate a test need not wait for: the sale below measures the pipeline, not the account's quota.
    env.put("BOXOFFICE_LOCAL_SES_MAX_SEND_RATE", "500");
    stack = new LocalStack();
    stack.start(LocalStackSettings.fromEnvironment(env), env);
    backend = "http://127.0.0.1:" + stack.backendConfig().httpPort();
    apiGateway = stack.cloud().apiGatewayEndpoint().toString().replaceAll("/$", "");
    inbox = stack.cloud().inboxUrl().toString().replaceAll("/$", "");
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @DisplayName("subscribe, confirm, sign in by email code, buy two tickets, get QR codes, check in once")
  void buyerJourney() throws Exception {
    String organizerToken = body(send("POST", backend + "/api/dev/login", null,
        new JsonObject().put("email", ORGANIZER)), 200).getString("token");

    String challenge = body(send("POST", apiGateway + "/send-otp", null, new JsonObject().put("email", BUYER)), 202)
        .getString("challenge");
    JsonObject otpMail = awaitMail(mail -> sixDigits(mail.getString("text")).isPresent());
    assertThat(otpMail.getString("from")).isEqualTo("tickets@boxoffice.localhost");
    String code = sixDigits(otpMail.getString("text")).orElseThrow();
    JsonObject verification = new JsonObject().put("email", BUYER).put("code", code).put("challenge", challenge);
    String buyerToken = body(send("POST", apiGateway + "/verify-otp", null, verification), 200).getString("token");
    assertThat(send("POST", apiGateway + "/verify-otp", null, verification).statusCode())
        .as("a one-time code works once").isBetween(400, 499);

    JsonObject subscribed = body(send("POST", apiGateway + "/subscribe", null, new JsonObject()
        .put("email", BUYER)
        .put("preferences", new JsonObject()
            .put("categories", new JsonArray().add("music"))
            .put("cities", new JsonArray().add("berlin")))), 202);
    assertThat(subscribed.getString("executionArn")).startsWith("arn:aws:states:");
    JsonObject confirmation = awaitMail(mail -> mail.getString("subject").equals("Confirm your Boxoffice announcements"));
    String confirmUrl = confirmation.getJsonArray("links").stream().map(String::valueOf)
        .filter(link -> link.contains("/subscription/confirm?token=")).findFirst().orElseThrow();
    assertThat(confirmUrl).startsWith(backend + "/subscription/confirm?token=");
    String token = URLDecoder.decode(confirmUrl.substring(confirmUrl.indexOf("token=") + 6), StandardCharsets.UTF_8);
    body(send("POST", apiGateway + "/confirm-subscription", null, new JsonObject().put("token", token)), 200);

    String eventId = publishedEventWithTickets(organizerToken);
    String imageBase = body(send("GET", backend + "/api/client-config", null, null), 200).getString("imageBaseUrl");
    JsonObject image = body(HTTP.send(HttpRequest.newBuilder(URI.create(apiGateway + "/create-event"))
        .header("Authorization", "Bearer " + organizerToken)
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(png(640, 360))).build(),
        HttpResponse.BodyHandlers.ofString()), 201);
    HttpResponse<byte[]> thumbnail = HTTP.send(HttpRequest.newBuilder(URI.create(
        imageBase + "/" + image.getString("thumbnailKey"))).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(thumbnail.statusCode()).as("the event thumbnail through the image base URL").isEqualTo(200);
    assertThat(ImageIO.read(new ByteArrayInputStream(thumbnail.body())).getWidth()).isPositive();
    JsonObject announcement = awaitMail(mail -> mail.getString("subject").startsWith("New on Boxoffice"));
    assertThat(announcement.getString("text")).contains("Journey Night");

    String ticketTypeId = firstTicketTypeOf(eventId);
    JsonObject hold = body(sendWith("POST", backend + "/api/ticket-types/" + ticketTypeId + "/holds",
        buyerToken, new JsonObject().put("quantity", 2), Map.of("Idempotency-Key", UUID.randomUUID().toString())),
        201);
    String checkoutUrl = body(send("POST", backend + "/api/holds/" + hold.getString("id") + "/checkout", buyerToken,
        null), 200).getString("checkoutUrl");
    HttpResponse<String> paid = HTTP.send(HttpRequest.newBuilder(URI.create(checkoutUrl))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("cardNumber=4242424242424242&expiry=12%2F34&cvc=123")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(paid.statusCode()).as("paid on the local Stripe server's hosted page: %s", paid.body())
        .isEqualTo(303);
    JsonObject order = awaitOrder(buyerToken, hold.getString("id"));
    List<String> ticketIds = order.getJsonArray("tickets").stream()
        .map(ticket -> ((JsonObject) ticket).getString("id")).toList();
    assertThat(ticketIds).hasSize(2);

    JsonArray tickets = awaitTickets(buyerToken, ticketIds);
    tickets.forEach(ticket -> assertThat(((JsonObject) ticket).getString("qrStatus")).isEqualTo("ready"));
    JsonObject ticketMail = awaitMail(mail -> mail.getString("subject").equals("Your tickets for Journey Night"));
    assertThat(ticketMail.getJsonArray("parts").stream().map(JsonObject.class::cast)
        .filter(part -> part.getString("contentType").equals("image/png")).count()).isEqualTo(2);
    assertThat(ticketMail.getJsonArray("parts").stream().map(JsonObject.class::cast)
        .anyMatch(part -> "event.ics".equals(part.getString("filename")))).isTrue();

    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(imageBase + "/tickets/" + ticketIds.getFirst() + ".png"))
        .build(), HttpResponse.BodyHandlers.discarding()).statusCode())
        .as("ticket QR codes are not public like event images").isEqualTo(404);
    String bucket = stack.cloud().resources().bucketName("MediaBucket");
    S3Client s3 = stack.cloud().admin().s3();
    for (String ticketId : ticketIds) {
      assertThat(s3.headObject(request -> request.bucket(bucket).key("tickets/" + ticketId + ".png"))
          .contentType()).isEqualTo("image/png");
    }

    PublicKey ticketKey = SessionTokens.parsePublicKey(Files.readString(dataDir.resolve("keys/ticket-public.pem")));
    String firstTicket = ticketIds.getFirst();
    JsonObject qrLink = body(send("GET", apiGateway + "/get-qr-code?ticketId=" + firstTicket, buyerToken, null), 200);
    HttpResponse<byte[]> png = HTTP.send(HttpRequest.newBuilder(URI.create(qrLink.getString("url"))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(png.statusCode()).isEqualTo(200);
    String scanned = decodeQr(png.body());
    TicketClaims claims = TicketTokens.verify(scanned, ticketKey);
    assertThat(claims.ticketId()).hasToString(firstTicket);
    assertThat(send("GET", apiGateway + "/get-qr-code?ticketId=" + firstTicket, organizerTokenOfStranger(), null)
        .statusCode()).as("someone else's ticket").isEqualTo(404);

    JsonObject checkedIn = body(send("POST", backend + "/api/checkin", organizerToken,
        new JsonObject().put("token", scanned)), 200);
    assertThat(checkedIn.getString("ticketId")).isEqualTo(firstTicket);
    HttpResponse<String> again = send("POST", backend + "/api/checkin", organizerToken,
        new JsonObject().put("token", scanned));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(new JsonObject(again.body()).getString("checkedInAt")).isEqualTo(checkedIn.getString("checkedInAt"));

    body(send("POST", apiGateway + "/log-activity", buyerToken, new JsonObject().put("events", new JsonArray()
        .add(new JsonObject().put("type", "page_view").put("at", Instant.now().toString()).put("path", "/tickets")))),
        202);
    DynamoDbClient dynamoDb = stack.cloud().admin().dynamoDb();
    String table = stack.cloud().resources().tableName("ActivityLogTable");
    List<String> activityTypes = dynamoDb.scan(request -> request.tableName(table)).items().stream()
        .map(row -> row.get("type")).filter(java.util.Objects::nonNull).map(AttributeValue::s).toList();
    assertThat(activityTypes).contains("page_view");
  }

  @Test
  @DisplayName("attack: tickets cancelled after issuance, with their order or with their event, lose their QR code:"
      + " 410 ticket_cancelled to the buyer and the organizer, the unknown ticket's 404 to anyone else")
  void cancelledTicketsLoseTheirQrCodes() throws Exception {
    String organizerToken = devLogin(ORGANIZER);
    String buyerToken = devLogin("qr-" + UUID.randomUUID().toString().substring(0, 8) + "@boxoffice.test");
    String eventId = publishedEvent(organizerToken, "Cancelled Night", 0);
    String ticketTypeId = firstTicketTypeOf(eventId);
    JsonObject cancelledOrder = purchase(buyerToken, ticketTypeId, 2);
    JsonObject keptOrder = purchase(buyerToken, ticketTypeId, 1);
    List<String> cancelledTickets = ticketIdsOf(cancelledOrder);
    String keptTicket = ticketIdsOf(keptOrder).getFirst();
    List<String> all = new ArrayList<>(cancelledTickets);
    all.add(keptTicket);
    awaitTickets(buyerToken, all).forEach(ticket ->
        assertThat(((JsonObject) ticket).getString("qrStatus")).isEqualTo("ready"));
    for (String ticketId : all) {
      body(send("GET", apiGateway + "/get-qr-code?ticketId=" + ticketId, buyerToken, null), 200);
    }

    body(send("POST", backend + "/api/orders/" + cancelledOrder.getString("id") + "/cancel", organizerToken, null),
        200);

    for (String ticketId : cancelledTickets) {
      awaitRefused(buyerToken, ticketId);
      assertRefused(organizerToken, ticketId);
      String stranger = organizerTokenOfStranger();
      HttpResponse<String> others = send("GET", apiGateway + "/get-qr-code?ticketId=" + ticketId, stranger, null);
      HttpResponse<String> unknown = send("GET", apiGateway + "/get-qr-code?ticketId=" + UUID.randomUUID(),
          stranger, null);
      assertThat(others.statusCode()).as("someone else's cancelled ticket").isEqualTo(404);
      assertThat(others.body()).as("told apart from an unknown ticket").isEqualTo(unknown.body());
    }
    body(send("GET", apiGateway + "/get-qr-code?ticketId=" + keptTicket, buyerToken, null), 200);

    body(send("POST", backend + "/api/events/" + eventId + "/cancel", organizerToken, null), 200);

    awaitRefused(buyerToken, keptTicket);
    assertRefused(organizerToken, keptTicket);
  }

  @Test
  @DisplayName("one purchase is one trace: the ALB's trace id reaches the ticket-issuance execution the outbox relay"
      + " starts, and the create-ticket function's log lines")
  void purchaseIsOneTrace() throws Exception {
    String organizerToken = devLogin(ORGANIZER);
    String buyerToken = devLogin("traced-" + UUID.randomUUID().toString().substring(0, 8) + "@boxoffice.test");
    String eventId = publishedEvent(organizerToken, "Traced Night", 0);
    String ticketTypeId = firstTicketTypeOf(eventId);
    String root = "1-%08x-%s".formatted(Instant.now().getEpochSecond(),
        UUID.randomUUID().toString().replace("-", "").substring(0, 24));
    ByteArrayOutputStream functionOutput = new ByteArrayOutputStream();
    PrintStream console = System.out;
    System.setOut(new PrintStream(new TeeOutputStream(console, functionOutput), true, StandardCharsets.UTF_8));
    String orderId;
    try {
      // The ALB's header when it is the first hop: a Root, no Parent.
      JsonObject order = body(sendWith("POST", backend + "/api/ticket-types/" + ticketTypeId + "/purchases",
          buyerToken, new JsonObject().put("quantity", 1),
          Map.of("Idempotency-Key", UUID.randomUUID().toString(), "X-Amzn-Trace-Id", "Root=" + root)), 201);
      orderId = order.getString("id");
      awaitTickets(buyerToken, ticketIdsOf(order));
    } finally {
      System.setOut(console);
    }

    SfnClient sfn = stack.cloud().admin().sfn();
    String machine = stack.backendConfig().serverless().ticketIssuanceStateMachineArn().orElseThrow();
    DescribeExecutionResponse issuance = sfn.listExecutions(list -> list.stateMachineArn(machine)).executions()
        .stream()
        .map(execution -> sfn.describeExecution(describe -> describe.executionArn(execution.executionArn())))
        // The order's batch: its input lists the order in one of its chunks.
        .filter(execution -> execution.input().contains(orderId))
        .findFirst().orElseThrow();
    assertThat(issuance.traceHeader()).matches("Root=" + root + ";Parent=[0-9a-f]{16};Sampled=1");
    List<JsonObject> functionLines = functionOutput.toString(StandardCharsets.UTF_8).lines()
        .filter(line -> line.startsWith("{")).map(JsonObject::new)
        .filter(line -> line.containsKey("QrCodesIssued")).toList();
    // QrCodesIssued is create-ticket's line (each business metric is counted by one function only).
    assertThat(functionLines).as("create-ticket's line of the order's ticket")
        .anySatisfy(line -> assertThat(line.getString("traceId")).isEqualTo(root));
  }

  /** Writes to both streams: the console keeps its output while a test reads what the functions print. */
  private static final class TeeOutputStream extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    TeeOutputStream(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      first.write(b);
      synchronized (second) {
        second.write(b);
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      first.write(bytes, offset, length);
      synchronized (second) {
        second.write(bytes, offset, length);
      }
    }

    @Override
    public void flush() throws IOException {
      first.flush();
    }
  }

  /**
   * The sale: 2,000 orders, each bought by its own buyer through the backend, issued in batches by the
   * ticket-issuance state machine, mailed by the mailer through SES. Buyers wait while {@value #SALE_ORDERS_AHEAD}
   * orders are not mailed yet, so that the test measures the mail path rather than SES's backlog.
   */
  @Test
  @DisplayName("a sale of 2,000 orders ends with 2,000 ticket emails, one per buyer, each QR code scannable into that "
      + "buyer's ticket and each .ics a valid calendar of the event")
  void saleOfTwoThousandOrders() throws Exception {
    int orders = Integer.getInteger("boxoffice.sale.orders", DEFAULT_SALE_ORDERS);
    String organizerToken = body(send("POST", backend + "/api/dev/login", null,
        new JsonObject().put("email", ORGANIZER)), 200).getString("token");
    String run = UUID.randomUUID().toString().substring(0, 6);
    Instant start = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
    String eventId = body(send("POST", backend + "/api/events", organizerToken, new JsonObject()
        .put("title", "Sale night " + run).put("description", "Two thousand orders").put("category", "music")
        .put("venue", "Arena").put("city", "Lyon").put("startsAt", start.toString())
        .put("endsAt", start.plus(Duration.ofHours(4)).toString()).put("timeZone", "Europe/Paris")), 201)
        .getString("id");
    String ticketTypeId = body(send("POST", backend + "/api/events/" + eventId + "/ticket-types", organizerToken,
        new JsonObject().put("name", "Floor").put("priceMinor", 0).put("currency", "EUR").put("capacity", orders)
            .put("salesStart", Instant.now().minus(Duration.ofMinutes(1)).toString())
            .put("salesEnd", start.toString()).put("maxPerOrder", 1)), 201).getString("id");
    body(send("POST", backend + "/api/events/" + eventId + "/publish", organizerToken, null), 200);

    Map<String, String> ticketOfBuyer = new ConcurrentHashMap<>();
    SesV2Client ses = stack.cloud().admin().ses();
    double sentBefore = ses.getAccount(account -> { }).sendQuota().sentLast24Hours();
    long saleStarted = System.nanoTime();
    try (ExecutorService buyers = Executors.newFixedThreadPool(8)) {
      List<Future<?>> purchases = new ArrayList<>();
      for (int index = 0; index < orders; index++) {
        String buyer = "sale-" + run + "-" + index + "@boxoffice.test";
        while (index - (ses.getAccount(account -> { }).sendQuota().sentLast24Hours() - sentBefore)
            > SALE_ORDERS_AHEAD) {
          Thread.sleep(100);
        }
        purchases.add(buyers.submit(() -> {
          String token = body(send("POST", backend + "/api/dev/login", null, new JsonObject().put("email", buyer)),
              200).getString("token");
          JsonObject order = body(sendWith("POST", backend + "/api/ticket-types/" + ticketTypeId + "/purchases", token,
              new JsonObject().put("quantity", 1), Map.of("Idempotency-Key", UUID.randomUUID().toString())), 201);
          ticketOfBuyer.put(buyer, order.getJsonArray("tickets").getJsonObject(0).getString("id"));
          return null;
        }));
      }
      for (Future<?> purchase : purchases) {
        purchase.get();
      }
    }
    double saleSeconds = (System.nanoTime() - saleStarted) / 1e9;

    String subject = "Your tickets for Sale night " + run;
    List<JsonObject> mails = List.of();
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      mails = new JsonArray(HTTP.send(HttpRequest.newBuilder(URI.create(inbox + "/api/messages")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).stream().map(JsonObject.class::cast)
          .filter(mail -> subject.equals(mail.getString("subject"))).toList();
      if (mails.size() >= orders) {
        break;
      }
      Thread.sleep(1000);
    }
    double allMailedSeconds = (System.nanoTime() - saleStarted) / 1e9;
    System.out.printf("sale: %d orders placed in %.1f s, %d ticket emails in the inbox %.1f s after the first "
        + "order (%.1f emails/s overall)%n", orders, saleSeconds, mails.size(), allMailedSeconds,
        mails.size() / allMailedSeconds);
    assertThat(mails).hasSize(orders);
    assertThat(mails.stream().map(mail -> mail.getJsonArray("to").getString(0)).distinct().count())
        .as("one email per buyer").isEqualTo(orders);

    PublicKey ticketKey = SessionTokens.parsePublicKey(
        Files.readString(dataDir.resolve("keys/ticket-public.pem")));
    for (JsonObject mail : mails) {
      String buyer = mail.getJsonArray("to").getString(0);
      MimeMessage raw = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(HTTP.send(
              HttpRequest.newBuilder(URI.create(inbox + "/api/messages/" + mail.getString("id") + "/raw")).build(),
              HttpResponse.BodyHandlers.ofByteArray()).body()));
      MailParts parts = MailParts.of(raw);
      assertThat(parts.images()).as(buyer).hasSize(1);
      TicketClaims claims = TicketTokens.verify(decodeQr(parts.images().getFirst()), ticketKey);
      assertThat(claims.ticketId()).as(buyer).hasToString(ticketOfBuyer.get(buyer));
      VEvent event = new CalendarBuilder().build(new ByteArrayInputStream(parts.calendar()))
          .<VEvent>getComponent("VEVENT").orElseThrow();
      assertThat(event.getSummary().getValue()).isEqualTo("Sale night " + run);
      assertThat(Instant.from(event.getDateTimeStart().getDate())).isEqualTo(start);
    }
  }

  /**
   * The mail path alone, as docs/performance.md reports it: notifications published to the topic as fast as
   * PublishBatch takes them, fanned out by SNS to the transactional queue, polled by the event source mapping, sent by
   * the mailers through SES into the inbox. The local SES allows {@code BOXOFFICE_LOCAL_SES_MAX_SEND_RATE} (500/s
   * here), so the figure is what this machine's pipeline does, not AWS's quota. {@code ./boxoffice test} sends
   * {@value #DEFAULT_THROUGHPUT_MAILS}; docs/performance.md's figure is {@code -Dboxoffice.mail.throughput.count=1000}.
   */
  @Test
  @DisplayName("notifications published to the topic all reach the inbox once each through SQS, the mailer and SES")
  void mailPipelineThroughput() throws Exception {
    int mails = Integer.getInteger("boxoffice.mail.throughput.count", DEFAULT_THROUGHPUT_MAILS);
    String topicArn = stack.cloud().functionEnvironment("SendOtpFunction").get("BOXOFFICE_NOTIFICATION_TOPIC_ARN");
    SnsClient sns = stack.cloud().admin().sns();
    SesV2Client ses = stack.cloud().admin().ses();
    String run = UUID.randomUUID().toString().substring(0, 6);
    double sentBefore = ses.getAccount(account -> { }).sendQuota().sentLast24Hours();
    long started = System.nanoTime();
    for (int from = 0; from < mails; from += 10) {
      List<PublishBatchRequestEntry> entries = new ArrayList<>();
      for (int index = from; index < Math.min(mails, from + 10); index++) {
        SignInCode code = SignInCode.of(run + "-" + index, "throughput-" + run + "-" + index + "@boxoffice.test",
            "%06d".formatted(index), Instant.now().plus(Duration.ofHours(1)));
        entries.add(PublishBatchRequestEntry.builder().id("n" + index).message(Notifications.toJson(code))
            .messageAttributes(Map.of(Notifications.TYPE_ATTRIBUTE, MessageAttributeValue.builder()
                .dataType("String").stringValue(code.type()).build())).build());
      }
      assertThat(sns.publishBatch(batch -> batch.topicArn(topicArn).publishBatchRequestEntries(entries)).failed())
          .isEmpty();
    }
    double publishedSeconds = (System.nanoTime() - started) / 1e9;
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    double sent = 0;
    while (sent < mails && System.nanoTime() < deadline) {
      Thread.sleep(100);
      sent = ses.getAccount(account -> { }).sendQuota().sentLast24Hours() - sentBefore;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("mail pipeline: %d notifications published in %.1f s, %d sent by SES %.1f s after the first "
        + "(%.1f emails/s)%n", mails, publishedSeconds, (long) sent, seconds, sent / seconds);
    // SES's counter is the account's: an email another test of this stack caused may land in the same window, so it
    // says when this run's emails are out; that each went out once is checked per address in the inbox below.
    assertThat((long) sent).as("SES sent every notification of this run").isGreaterThanOrEqualTo(mails);
    List<JsonObject> caught = List.of();
    for (long inboxDeadline = System.nanoTime() + PATIENCE.toNanos(); System.nanoTime() < inboxDeadline; ) {
      caught = new JsonArray(HTTP.send(HttpRequest.newBuilder(URI.create(inbox + "/api/messages")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).stream().map(JsonObject.class::cast)
          .filter(mail -> mail.getJsonArray("to").getString(0).startsWith("throughput-" + run + "-")).toList();
      if (caught.size() >= mails) {
        break;
      }
      Thread.sleep(250);
    }
    assertThat(caught.stream().map(mail -> mail.getJsonArray("to").getString(0)).distinct().count())
        .as("every address got its code, and only once").isEqualTo(mails).isEqualTo(caught.size());
  }

  /** The id of the event's first ticket type, as anyone reads it from the event's page. */
  private static String firstTicketTypeOf(String eventId) throws Exception {
    return body(send("GET", backend + "/api/events/" + eventId, null, null), 200)
        .getJsonArray("ticketTypes").getJsonObject(0).getString("id");
  }

  private static String publishedEventWithTickets(String organizerToken) throws Exception {
    return publishedEvent(organizerToken, "Journey Night", 2500);
  }

  private static String publishedEvent(String organizerToken, String title, long priceMinor) throws Exception {
    Instant start = Instant.now().plus(Duration.ofHours(2));
    String eventId = body(send("POST", backend + "/api/events", organizerToken, new JsonObject()
        .put("title", title)
        .put("description", "The end-to-end test's concert")
        .put("category", "music")
        .put("venue", "Testhalle")
        .put("city", "Berlin")
        .put("startsAt", start.toString())
        .put("endsAt", start.plus(Duration.ofHours(3)).toString())
        .put("timeZone", "Europe/Berlin")), 201).getString("id");
    body(send("POST", backend + "/api/events/" + eventId + "/ticket-types", organizerToken, new JsonObject()
        .put("name", "Standing")
        .put("priceMinor", priceMinor)
        .put("currency", "EUR")
        .put("capacity", 100)
        .put("salesStart", Instant.now().minus(Duration.ofMinutes(1)).toString())
        .put("salesEnd", start.toString())
        .put("maxPerOrder", 4)), 201);
    body(send("POST", backend + "/api/events/" + eventId + "/publish", organizerToken, null), 200);
    return eventId;
  }

  private static String devLogin(String email) throws Exception {
    return body(send("POST", backend + "/api/dev/login", null, new JsonObject().put("email", email)), 200)
        .getString("token");
  }

  /** A free order of {@code quantity} tickets. */
  private static JsonObject purchase(String token, String ticketTypeId, int quantity) throws Exception {
    return body(sendWith("POST", backend + "/api/ticket-types/" + ticketTypeId + "/purchases", token,
        new JsonObject().put("quantity", quantity), Map.of("Idempotency-Key", UUID.randomUUID().toString())), 201);
  }

  private static List<String> ticketIdsOf(JsonObject order) {
    return order.getJsonArray("tickets").stream().map(ticket -> ((JsonObject) ticket).getString("id")).toList();
  }

  /** Waits for the cancellation to reach the serverless half: /get-qr-code refuses the ticket to {@code token}. */
  private static void awaitRefused(String token, String ticketId) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (send("GET", apiGateway + "/get-qr-code?ticketId=" + ticketId, token, null).statusCode() == 200) {
      assertThat(System.nanoTime()).as("the QR code of cancelled ticket %s refused within %s", ticketId, PATIENCE)
          .isLessThan(deadline);
      Thread.sleep(250);
    }
    assertRefused(token, ticketId);
  }

  private static void assertRefused(String token, String ticketId) throws Exception {
    JsonObject refusal = body(send("GET", apiGateway + "/get-qr-code?ticketId=" + ticketId, token, null), 410);
    assertThat(refusal.getString("code")).isEqualTo("ticket_cancelled");
    assertThat(refusal.getString("message")).isNotBlank();
  }

  private static String organizerTokenOfStranger() throws Exception {
    return body(send("POST", backend + "/api/dev/login", null,
        new JsonObject().put("email", "stranger@boxoffice.test")), 200).getString("token");
  }

  /** The order a paid hold becomes, once Stripe's webhook has reached the backend. */
  private static JsonObject awaitOrder(String token, String holdId) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      HttpResponse<String> order = send("GET", backend + "/api/orders/" + holdId, token, null);
      if (order.statusCode() == 200) {
        return new JsonObject(order.body());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("hold " + holdId + " was not confirmed into its order: " + order.body());
      }
      Thread.sleep(200);
    }
  }

  private static JsonArray awaitTickets(String token, List<String> ticketIds) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      JsonArray items = body(send("GET", backend + "/api/me/tickets", token, null), 200).getJsonArray("items");
      List<JsonObject> ours = items.stream().map(JsonObject.class::cast)
          .filter(ticket -> ticketIds.contains(ticket.getString("id"))).toList();
      if (ours.size() == ticketIds.size() && ours.stream().noneMatch(t -> "pending".equals(t.getString("qrStatus")))) {
        return new JsonArray(ours);
      }
      assertThat(System.nanoTime()).as("QR codes issued within %s: %s", PATIENCE, ours).isLessThan(deadline);
      Thread.sleep(250);
    }
  }

  private static JsonObject awaitMail(Predicate<JsonObject> wanted) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
          inbox + "/api/messages?to=" + BUYER)).build(), HttpResponse.BodyHandlers.ofString());
      Optional<JsonObject> mail = new JsonArray(response.body()).stream().map(JsonObject.class::cast)
          .filter(wanted).findFirst();
      if (mail.isPresent()) {
        return mail.get();
      }
      assertThat(System.nanoTime()).as("the expected mail to %s arrived", BUYER).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static Optional<String> sixDigits(String text) {
    Matcher matcher = Pattern.compile("\\b(\\d{6})\\b").matcher(text == null ? "" : text);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  private static byte[] png(int width, int height) throws Exception {
    var image = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
    var graphics = image.createGraphics();
    graphics.setPaint(new java.awt.GradientPaint(0, 0, java.awt.Color.ORANGE, width, height, java.awt.Color.BLUE));
    graphics.fillRect(0, 0, width, height);
    graphics.dispose();
    var bytes = new java.io.ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    return bytes.toByteArray();
  }

  private static String decodeQr(byte[] png) throws Exception {
    var image = ImageIO.read(new ByteArrayInputStream(png));
    return new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(
        new BufferedImageLuminanceSource(image))), Map.of(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE)))
        .getText();
  }

  private static HttpResponse<String> send(String method, String url, String token, JsonObject json)
      throws Exception {
    return sendWith(method, url, token, json, Map.of());
  }

  private static HttpResponse<String> sendWith(String method, String url, String token, JsonObject json,
                                               Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json.encode()));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject body(HttpResponse<String> response, int expectedStatus) {
    assertThat(response.statusCode()).as("%s %s answered %s", response.request().method(), response.request().uri(),
        response.body()).isEqualTo(expectedStatus);
    return response.body().isBlank() ? new JsonObject() : new JsonObject(response.body());
  }
}
