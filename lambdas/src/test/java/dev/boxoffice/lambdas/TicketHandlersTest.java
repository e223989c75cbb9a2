package dev.boxoffice.lambdas;

import static dev.boxoffice.lambdas.ApiRequests.assertError;
import static dev.boxoffice.lambdas.ApiRequests.body;
import static dev.boxoffice.lambdas.ApiRequests.session;
import static dev.boxoffice.lambdas.ApiRequests.withBearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.codecs.Json;
import dev.boxoffice.codecs.api.CreateTicketRequest;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.codecs.tickets.TicketClaims;
import dev.boxoffice.codecs.tickets.TicketTokens;
import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudExtension;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
@ExtendWith(LocalCloudExtension.class)
@DisplayName("create-ticket (invoked by the issuance state machine), cancel-tickets (by the cancellation state machine)"
    + " and GET /get-qr-code")
class TicketHandlersTest {

  private static final String BUYER = "buyer@example.test";
  private static final String ORGANIZER = "organizer@example.test";

  private final LocalCloud aws;
  private final String mediaBucket;
  private final CreateTicketHandler createTicket;
  private final CancelTicketsHandler cancelTickets;
  private final GetQrCodeHandler getQrCode;

  TicketHandlersTest(LocalCloud aws) {
    this.aws = aws;
    this.mediaBucket = aws.resources().bucketName("MediaBucket");
    this.createTicket = new CreateTicketHandler(aws.functionEnvironment("CreateTicketFunction"));
    this.cancelTickets = new CancelTicketsHandler(aws.functionEnvironment("CancelTicketsFunction"));
    this.getQrCode = new GetQrCodeHandler(aws.functionEnvironment("GetQrCodeFunction"));
  }

  @Test
  @DisplayName("a ticket becomes a QR code PNG at tickets/<id>.png whose text is a ticket token that verifies offline")
  void createsVerifiableQrCode() throws Exception {
    CreateTicketRequest ticket = ticket();

    Map<String, Object> output = createTicket.handleRequest(input(ticket), null);

    String key = "tickets/" + ticket.ticketId() + ".png";
    assertThat(output).isEqualTo(Map.of("ticketId", ticket.ticketId().toString(), "qrKey", key));
    byte[] png = aws.admin().s3().getObjectAsBytes(get -> get.bucket(mediaBucket).key(key)).asByteArray();
    TicketClaims claims = TicketTokens.verify(QrCodeReader.decode(png), aws.secrets().ticketKeys().getPublic());
    assertThat(claims).isEqualTo(new TicketClaims(ticket.ticketId(), ticket.eventId(), ticket.ticketTypeId(),
        ticket.validFrom(), ticket.validUntil()));
    HeadObjectResponse head = aws.admin().s3().headObject(get -> get.bucket(mediaBucket).key(key));
    assertThat(head.contentType()).isEqualTo("image/png");
    assertThat(head.metadata()).containsEntry("buyer-email", BUYER).containsEntry("organizer-email", ORGANIZER);
  }

  @Test
  @DisplayName("a rotated ticket key (a new AWSCURRENT of the keys secret) signs the next ticket once the warm"
      + " environment's cache has expired, without a new deployment; the keys are never in its environment")
  void rotatedKeyIsPickedUp() throws Exception {
    Map<String, String> environment = aws.functionEnvironment("CreateTicketFunction",
        Map.of("BOXOFFICE_SECRETS_TTL_SECONDS", "0"));
    assertThat(environment.values()).noneMatch(value -> value.contains("PRIVATE KEY"));
    CreateTicketHandler warm = new CreateTicketHandler(environment);
    String original = aws.secretStore().getSecretValue("boxoffice/keys", null, null).secretString();
    KeyPair rotated = SessionTokens.generateKeyPair();
    JsonObject rotatedSecret = new JsonObject(original)
        .put("ticketPrivateKey", SessionTokens.privateKeyPem(rotated.getPrivate()));
    try {
      aws.secretStore().putSecretValue("boxoffice/keys", null, rotatedSecret.encode(), List.of());
      Thread.sleep(5);
      CreateTicketRequest ticket = ticket();

      warm.handleRequest(input(ticket), null);

      byte[] png = aws.admin().s3().getObjectAsBytes(get -> get.bucket(mediaBucket)
          .key("tickets/" + ticket.ticketId() + ".png")).asByteArray();
      assertThat(TicketTokens.verify(QrCodeReader.decode(png), rotated.getPublic()).ticketId())
          .isEqualTo(ticket.ticketId());
    } finally {
      aws.secretStore().putSecretValue("boxoffice/keys", null, original, List.of());
    }
  }

  @Test
  @DisplayName("the same ticket twice uploads nothing the second time; a changed ticket replaces its QR code")
  void idempotent() throws Exception {
    CreateTicketRequest ticket = ticket();
    String key = "tickets/" + ticket.ticketId() + ".png";
    createTicket.handleRequest(input(ticket), null);
    HeadObjectResponse first = aws.admin().s3().headObject(get -> get.bucket(mediaBucket).key(key));
    Thread.sleep(1100);

    assertThat(createTicket.handleRequest(input(ticket), null)).containsEntry("qrKey", key);
    HeadObjectResponse second = aws.admin().s3().headObject(get -> get.bucket(mediaBucket).key(key));
    assertThat(second.lastModified()).isEqualTo(first.lastModified());
    assertThat(second.eTag()).isEqualTo(first.eTag());

    CreateTicketRequest rescheduled = new CreateTicketRequest(ticket.ticketId(), ticket.orderId(), ticket.eventId(),
        ticket.ticketTypeId(), ticket.buyerEmail(), ticket.organizerEmail(), ticket.validFrom().plusSeconds(86_400),
        ticket.validUntil().plusSeconds(86_400));
    createTicket.handleRequest(input(rescheduled), null);
    byte[] png = aws.admin().s3().getObjectAsBytes(get -> get.bucket(mediaBucket).key(key)).asByteArray();
    assertThat(TicketTokens.verify(QrCodeReader.decode(png), aws.secrets().ticketKeys().getPublic()).validFrom())
        .isEqualTo(rescheduled.validFrom());
  }

  @Test
  @DisplayName("input that can never become a ticket fails with InvalidInputException and stores nothing")
  void invalidTicketInput() {
    CreateTicketRequest valid = ticket();
    Map<String, Object> missingId = input(valid);
    missingId.remove("ticketId");
    Map<String, Object> badEmail = input(valid);
    badEmail.put("buyerEmail", "not an address");
    Map<String, Object> inverted = input(valid);
    inverted.put("validUntil", "2020-01-01T00:00:00Z");
    Map<String, Object> badUuid = input(valid);
    badUuid.put("eventId", "../../etc/passwd");
    Map<String, Object> unknownField = input(valid);
    unknownField.put("price", 10);

    for (Map<String, Object> input : new Map[] {missingId, badEmail, inverted, badUuid, unknownField}) {
      assertThatThrownBy(() -> createTicket.handleRequest(input, null)).isInstanceOf(InvalidInputException.class);
    }
    assertThat(aws.objectKeys("MediaBucket", "tickets/" + valid.ticketId())).isEmpty();
  }

  @Test
  @DisplayName("the buyer and the organizer get a pre-signed URL valid 5 minutes that serves the PNG")
  void ownerAndOrganizerGetUrl() throws Exception {
    CreateTicketRequest ticket = ticket();
    createTicket.handleRequest(input(ticket), null);

    for (String who : new String[] {BUYER, ORGANIZER}) {
      APIGatewayProxyResponseEvent response = getQr(ticket.ticketId().toString(),
          session(aws.secrets().sessionKeys().getPrivate(), who, Role.BUYER));

      assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
      JsonNode body = body(response);
      assertThat(Instant.parse(body.path("expiresAt").asText()))
          .isBetween(Instant.now().plusSeconds(290), Instant.now().plusSeconds(301));
      assertThat(body.path("url").asText()).contains("X-Amz-Expires=300");
      HttpResponse<byte[]> png = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(body.path("url").asText())).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(png.statusCode()).isEqualTo(200);
      assertThat(TicketTokens.verify(QrCodeReader.decode(png.body()), aws.secrets().ticketKeys().getPublic()).ticketId())
          .isEqualTo(ticket.ticketId());
    }
  }

  @Test
  @DisplayName("someone else's ticket and an unknown ticket both answer the same 404")
  void othersTicketLooksUnknown() {
    CreateTicketRequest ticket = ticket();
    createTicket.handleRequest(input(ticket), null);
    String stranger = session(aws.secrets().sessionKeys().getPrivate(), "stranger@example.test", Role.BUYER, Role.ORGANIZER);

    JsonNode others = assertError(getQr(ticket.ticketId().toString(), stranger), 404, "ticket_not_found");
    JsonNode unknown = assertError(getQr(UUID.randomUUID().toString(), stranger), 404, "ticket_not_found");
    assertThat(others).isEqualTo(unknown);
  }

  @Test
  @DisplayName("missing, expired or forged tokens answer 401 and malformed ticket ids 400")
  void badRequests() {
    CreateTicketRequest ticket = ticket();
    createTicket.handleRequest(input(ticket), null);
    String id = ticket.ticketId().toString();
    Instant now = Instant.now();

    assertError(getQrCode.handleRequest(request(id), null), 401, "unauthorized");
    assertError(getQr(id, session(aws.secrets().sessionKeys().getPrivate(), BUYER, now.minusSeconds(7200),
        now.minusSeconds(3600), Role.BUYER)), 401, "unauthorized");
    assertError(getQr(id, session(SessionTokens.generateKeyPair().getPrivate(), BUYER, Role.BUYER)), 401,
        "unauthorized");
    String valid = session(aws.secrets().sessionKeys().getPrivate(), BUYER, Role.BUYER);
    assertError(getQr("../../secret", valid), 400, "invalid_field");
    assertError(getQrCode.handleRequest(withBearer(request(null), valid), null), 400, "invalid_field");
  }

  @Test
  @DisplayName("attack: a ticket cancelled after it was issued keeps no QR code: its buyer and organizer are told"
      + " 410 ticket_cancelled, anyone else gets the unknown ticket's 404")
  void cancelledTicketIsRefused() {
    CreateTicketRequest ticket = ticket();
    createTicket.handleRequest(input(ticket), null);
    String buyer = session(aws.secrets().sessionKeys().getPrivate(), BUYER, Role.BUYER);
    assertThat(getQr(ticket.ticketId().toString(), buyer).getStatusCode()).isEqualTo(200);

    Map<String, Object> cancelled = cancelTickets.handleRequest(cancellation(ticket), null);

    assertThat(cancelled).isEqualTo(Map.of("orderId", ticket.orderId().toString(),
        "ticketIds", List.of(ticket.ticketId().toString())));
    for (String who : new String[] {BUYER, ORGANIZER}) {
      assertError(getQr(ticket.ticketId().toString(), session(aws.secrets().sessionKeys().getPrivate(), who,
          Role.BUYER)), 410, "ticket_cancelled");
    }
    String stranger = session(aws.secrets().sessionKeys().getPrivate(), "stranger@example.test", Role.BUYER,
        Role.ORGANIZER);
    JsonNode others = assertError(getQr(ticket.ticketId().toString(), stranger), 404, "ticket_not_found");
    assertThat(others).isEqualTo(assertError(getQr(UUID.randomUUID().toString(), stranger), 404,
        "ticket_not_found"));
  }

  @Test
  @DisplayName("an issuance still running when the ticket is cancelled stores its PNG afterwards, and the QR code"
      + " stays refused; a cancellation repeated changes nothing")
  void lateIssuanceDoesNotResurrect() {
    CreateTicketRequest ticket = ticket();
    String buyer = session(aws.secrets().sessionKeys().getPrivate(), BUYER, Role.BUYER);
    cancelTickets.handleRequest(cancellation(ticket), null);
    assertError(getQr(ticket.ticketId().toString(), buyer), 410, "ticket_cancelled");

    createTicket.handleRequest(input(ticket), null);
    cancelTickets.handleRequest(cancellation(ticket), null);

    assertThat(aws.objectKeys("MediaBucket", "tickets/" + ticket.ticketId())).hasSize(1);
    assertError(getQr(ticket.ticketId().toString(), buyer), 410, "ticket_cancelled");
  }

  @Test
  @DisplayName("the ticket-cancellation state machine, started as the backend starts it, makes /get-qr-code refuse"
      + " every ticket of the order and logs the cancellation")
  void cancellationWorkflow() throws Exception {
    CreateTicketRequest first = ticket();
    CreateTicketRequest second = new CreateTicketRequest(UUID.randomUUID(), first.orderId(), first.eventId(),
        first.ticketTypeId(), BUYER, ORGANIZER, first.validFrom(), first.validUntil());
    createTicket.handleRequest(input(first), null);
    createTicket.handleRequest(input(second), null);
    String machine = aws.resources().stateMachineArn("TicketCancellationStateMachine");
    String workflowInput = Json.write(Map.of("orderId", first.orderId(), "eventId", first.eventId(),
        "buyerEmail", BUYER, "organizerEmail", ORGANIZER, "ticketIds", List.of(first.ticketId(), second.ticketId())));

    String executionArn = aws.admin().sfn().startExecution(start -> start.stateMachineArn(machine)
        .name(UUID.randomUUID().toString()).input(workflowInput)).executionArn();

    DescribeExecutionResponse execution = awaitEnd(executionArn);
    assertThat(execution.status()).as("%s: %s", execution.error(), execution.cause())
        .isEqualTo(ExecutionStatus.SUCCEEDED);
    String buyer = session(aws.secrets().sessionKeys().getPrivate(), BUYER, Role.BUYER);
    for (CreateTicketRequest ticket : List.of(first, second)) {
      assertError(getQr(ticket.ticketId().toString(), buyer), 410, "ticket_cancelled");
    }
    String table = aws.resources().tableName("ActivityLogTable");
    assertThat(aws.admin().dynamoDb().query(query -> query.tableName(table)
        .keyConditionExpression("pk = :pk")
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("order#" + first.orderId())))).items())
        .extracting(item -> item.get("type").s()).containsExactly("tickets_cancelled");
  }

  @Test
  @DisplayName("the ticket-cancellation state machine does not retry input that can never succeed: it fails at once"
      + " and logs the failure")
  void cancellationWorkflowFailsOnBadInput() throws Exception {
    UUID orderId = UUID.randomUUID();
    String workflowInput = Json.write(Map.of("orderId", orderId, "eventId", UUID.randomUUID(),
        "buyerEmail", BUYER, "organizerEmail", ORGANIZER, "ticketIds", List.of()));

    String executionArn = aws.admin().sfn().startExecution(start -> start
        .stateMachineArn(aws.resources().stateMachineArn("TicketCancellationStateMachine"))
        .name(UUID.randomUUID().toString()).input(workflowInput)).executionArn();

    DescribeExecutionResponse execution = awaitEnd(executionArn);
    assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(execution.error()).isEqualTo("TicketCancellationFailed");
    assertThat(aws.admin().sfn().getExecutionHistory(history -> history.executionArn(executionArn)).events())
        .filteredOn(event -> event.typeAsString().equals("TaskScheduled")
            && event.taskScheduledEventDetails().resourceType().equals("lambda"))
        .as("cancel-tickets invoked once, not retried").hasSize(1);
    String table = aws.resources().tableName("ActivityLogTable");
    assertThat(aws.admin().dynamoDb().query(query -> query.tableName(table)
        .keyConditionExpression("pk = :pk")
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("order#" + orderId)))).items())
        .extracting(item -> item.get("type").s()).containsExactly("ticket_cancellation_failed");
  }

  @Test
  @DisplayName("input that can never cancel a ticket fails with InvalidInputException and marks nothing")
  void invalidCancellationInput() {
    CreateTicketRequest ticket = ticket();
    Map<String, Object> noTickets = cancellation(ticket);
    noTickets.put("ticketIds", List.of());
    Map<String, Object> badEmail = cancellation(ticket);
    badEmail.put("organizerEmail", "not an address");
    Map<String, Object> missingOrder = cancellation(ticket);
    missingOrder.remove("orderId");
    Map<String, Object> badId = cancellation(ticket);
    badId.put("ticketIds", List.of("../../tickets/x"));

    for (Map<String, Object> input : List.of(noTickets, badEmail, missingOrder, badId)) {
      assertThatThrownBy(() -> cancelTickets.handleRequest(input, null)).isInstanceOf(InvalidInputException.class);
    }
    assertThat(aws.objectKeys("MediaBucket", "cancelled-tickets/" + ticket.ticketId())).isEmpty();
  }

  @Test
  @DisplayName("least privilege: create-ticket's role can neither write nor remove a cancellation marker, and"
      + " cancel-tickets' role can touch no QR code")
  void rolesKeepToTheirPrefixes() {
    CreateTicketRequest ticket = ticket();
    cancelTickets.handleRequest(cancellation(ticket), null);
    String marker = CancelTicketsHandler.cancelledKeyOf(ticket.ticketId());
    S3Client asCreateTicket = AwsClients.s3(new HandlerEnvironment(aws.functionEnvironment("CreateTicketFunction")));
    S3Client asCancelTickets = AwsClients.s3(new HandlerEnvironment(
        aws.functionEnvironment("CancelTicketsFunction")));

    assertAccessDenied(() -> asCreateTicket.deleteObject(delete -> delete.bucket(mediaBucket).key(marker)));
    assertAccessDenied(() -> asCreateTicket.putObject(put -> put.bucket(mediaBucket).key(marker),
        RequestBody.empty()));
    assertAccessDenied(() -> asCancelTickets.putObject(put -> put.bucket(mediaBucket)
        .key(CreateTicketHandler.qrKeyOf(ticket.ticketId())), RequestBody.fromString("not a QR code")));
    assertAccessDenied(() -> asCancelTickets.deleteObject(delete -> delete.bucket(mediaBucket).key(marker)));
    assertThat(aws.objectKeys("MediaBucket", marker)).containsExactly(marker);
  }

  private static void assertAccessDenied(Runnable call) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(S3Exception.class,
        denied -> assertThat(denied.statusCode()).isEqualTo(403));
  }

  private DescribeExecutionResponse awaitEnd(String executionArn) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      DescribeExecutionResponse execution = aws.admin().sfn()
          .describeExecution(describe -> describe.executionArn(executionArn));
      if (execution.status() != ExecutionStatus.RUNNING) {
        return execution;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the cancellation did not end within 30 s");
  }

  /** The order of {@code ticket} as the cancellation state machine passes it to cancel-tickets. */
  private static Map<String, Object> cancellation(CreateTicketRequest ticket) {
    Map<String, Object> input = new HashMap<>();
    input.put("orderId", ticket.orderId().toString());
    input.put("eventId", ticket.eventId().toString());
    input.put("buyerEmail", ticket.buyerEmail());
    input.put("organizerEmail", ticket.organizerEmail());
    input.put("ticketIds", List.of(ticket.ticketId().toString()));
    return input;
  }

  private APIGatewayProxyResponseEvent getQr(String ticketId, String token) {
    return getQrCode.handleRequest(withBearer(request(ticketId), token), null);
  }

  private static APIGatewayProxyRequestEvent request(String ticketId) {
    APIGatewayProxyRequestEvent request = ApiRequests.request("GET", "/get-qr-code", null, null, false);
    if (ticketId != null) {
      request.setQueryStringParameters(Map.of("ticketId", ticketId));
    }
    return request;
  }

  private static CreateTicketRequest ticket() {
    return new CreateTicketRequest(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
        BUYER, ORGANIZER, Instant.parse("2026-12-01T18:00:00Z"), Instant.parse("2026-12-02T02:00:00Z"));
  }

  /** The ticket as Step Functions passes it: a JSON object deserialised into a map. */
  private static Map<String, Object> input(CreateTicketRequest ticket) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = Json.mapper().readValue(Json.write(ticket), HashMap.class);
      return map;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
