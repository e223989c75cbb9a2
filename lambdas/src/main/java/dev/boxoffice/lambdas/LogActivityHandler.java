package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.boxoffice.codecs.ErrorBody;
import dev.boxoffice.codecs.api.ActivityAccepted;
import dev.boxoffice.codecs.api.ActivityBatch;
import dev.boxoffice.codecs.api.ActivityEvent;
import dev.boxoffice.codecs.session.SessionClaims;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * POST /log-activity {@code {events: [{type, at, path?, eventId?, orderId?, ticketId?}]}}: 1 to 25 events of the
 * {@link ActivityEvent#TYPES known types}, body at most 16 KiB, {@code at} within the last 7 days, written to the
 * activity table with a TTL, unprocessed items retried; answers 202 {@code {accepted}}. Anonymous callers are allowed;
 * every caller is limited per source IP, and a signed-in one also per session, to
 * {@code BOXOFFICE_ACTIVITY_BATCHES_PER_MINUTE} batches a minute (counter items in the same table, conditional
 * updates, expiring after two minutes).
 *
 * <p>Rows: {@code pk} = {@code user#<email>} or {@code anon#<sha256(ip)>}, {@code sk} = {@code <at>#<uuid>},
 * {@code gsi1pk} = {@code type#<type>}, {@code gsi1sk} = {@code <at>#<uuid>}, the event's fields, {@code receivedAt},
 * {@code expiresAt} (epoch seconds). Rate counters: {@code pk} = {@code ratelimit#ip#<sha256>} or
 * {@code ratelimit#user#<sha256>}, {@code sk} = {@code minute#<epoch minute>}.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_ACTIVITY_TABLE}; {@code BOXOFFICE_SESSION_PUBLIC_KEY};
 * {@code BOXOFFICE_REVOKED_SESSIONS_TABLE}; optional {@code BOXOFFICE_ACTIVITY_RETENTION_DAYS} (default 90), {@code BOXOFFICE_ACTIVITY_BATCHES_PER_MINUTE}
 * (default 30), {@code BOXOFFICE_SESSION_ISSUER}, {@code BOXOFFICE_SESSION_AUDIENCE},
 * {@code BOXOFFICE_DYNAMODB_ENDPOINT}, {@code BOXOFFICE_ALLOWED_ORIGIN}.
 */
public final class LogActivityHandler extends ApiFunction {

  public static final String TABLE = "BOXOFFICE_ACTIVITY_TABLE";
  public static final String RETENTION_DAYS = "BOXOFFICE_ACTIVITY_RETENTION_DAYS";
  public static final String BATCHES_PER_MINUTE = "BOXOFFICE_ACTIVITY_BATCHES_PER_MINUTE";
  public static final int MAX_BODY_BYTES = 16 * 1024;

  private static final int MAX_PATH_LENGTH = 512;
  private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7e]*");
  private static final Duration OLDEST_EVENT = Duration.ofDays(7);
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final int WRITE_ATTEMPTS = 5;

  private final DynamoDbClient dynamoDb;
  private final String tableName;
  private final Duration retention;
  private final int batchesPerMinute;
  private final SessionVerifier sessions;
  private final Clock clock;

  public LogActivityHandler() {
    this(System.getenv());
  }

  public LogActivityHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment), Clock.systemUTC());
  }

  LogActivityHandler(HandlerEnvironment environment, Clock clock) {
    super(environment);
    this.dynamoDb = AwsClients.dynamoDb(environment);
    this.tableName = environment.required(TABLE);
    this.retention = Duration.ofDays(environment.integer(RETENTION_DAYS, 90));
    this.batchesPerMinute = environment.integer(BATCHES_PER_MINUTE, 30);
    this.sessions = new SessionVerifier(environment, clock);
    this.clock = clock;
  }

  @Override
  protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request) {
    Optional<SessionClaims> session = sessions.optionalSession(request);
    ActivityBatch batch = Requests.jsonBody(request, ActivityBatch.class, MAX_BODY_BYTES);
    Instant now = clock.instant();
    List<ActivityEvent> events = validated(batch, now);
    String ipHash = Hashing.sha256Hex(Requests.sourceIp(request));
    try {
      admit("ratelimit#ip#" + ipHash, now);
      if (session.isPresent()) {
        admit("ratelimit#user#" + Hashing.sha256Hex(session.get().subject()), now);
      }
      String partition = session.map(claims -> "user#" + claims.subject()).orElse("anon#" + ipHash);
      write(events.stream().map(event -> row(partition, event, now)).toList());
    } catch (SdkException e) {
      Log.error("could not write to DynamoDB", e);
      throw ApiException.upstream("The activity could not be stored; try again");
    }
    return json(202, new ActivityAccepted(events.size()));
  }

  private List<ActivityEvent> validated(ActivityBatch batch, Instant now) {
    List<ActivityEvent> events = batch.events();
    if (events == null || events.isEmpty() || events.size() > ActivityBatch.MAX_EVENTS) {
      throw ApiException.invalidField("events", "'events' must hold 1 to " + ActivityBatch.MAX_EVENTS + " events");
    }
    for (int index = 0; index < events.size(); index++) {
      ActivityEvent event = events.get(index);
      String field = "events[" + index + "]";
      if (event == null) {
        throw ApiException.invalidField(field, "'" + field + "' must be an object");
      }
      if (event.type() == null || !ActivityEvent.TYPES.contains(event.type())) {
        throw ApiException.invalidField(field + ".type", "Unknown activity type; known: " + ActivityEvent.TYPES);
      }
      if (event.at() == null || event.at().isBefore(now.minus(OLDEST_EVENT))
          || event.at().isAfter(now.plus(CLOCK_SKEW))) {
        throw ApiException.invalidField(field + ".at", "'at' must be a time within the last 7 days");
      }
      if (event.path() != null && (event.path().length() > MAX_PATH_LENGTH || !PATH.matcher(event.path()).matches())) {
        throw ApiException.invalidField(field + ".path",
            "'path' must start with / and hold at most " + MAX_PATH_LENGTH + " printable characters");
      }
    }
    return events;
  }

  /** Counts one batch against a caller's minute; 429 once the minute holds {@code batchesPerMinute}. */
  private void admit(String counter, Instant now) {
    long minute = now.getEpochSecond() / 60;
    try {
      dynamoDb.updateItem(update -> update.tableName(tableName)
          .key(Map.of("pk", AttributeValue.fromS(counter), "sk", AttributeValue.fromS("minute#" + minute)))
          .updateExpression("ADD requests :one SET expiresAt = :ttl")
          .conditionExpression("attribute_not_exists(requests) OR requests < :limit")
          .expressionAttributeValues(Map.of(
              ":one", AttributeValue.fromN("1"),
              ":ttl", AttributeValue.fromN(Long.toString((minute + 2) * 60)),
              ":limit", AttributeValue.fromN(Integer.toString(batchesPerMinute)))));
    } catch (ConditionalCheckFailedException e) {
      throw ApiException.tooManyRequests("rate_limited", "Too many activity batches; slow down");
    }
  }

  private Map<String, AttributeValue> row(String partition, ActivityEvent event, Instant now) {
    String sortKey = event.at() + "#" + UUID.randomUUID();
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS(partition));
    item.put("sk", AttributeValue.fromS(sortKey));
    item.put("gsi1pk", AttributeValue.fromS("type#" + event.type()));
    item.put("gsi1sk", AttributeValue.fromS(sortKey));
    item.put("type", AttributeValue.fromS(event.type()));
    item.put("at", AttributeValue.fromS(event.at().toString()));
    item.put("receivedAt", AttributeValue.fromS(now.toString()));
    item.put("expiresAt", AttributeValue.fromN(Long.toString(now.plus(retention).getEpochSecond())));
    if (event.path() != null) {
      item.put("path", AttributeValue.fromS(event.path()));
    }
    if (event.eventId() != null) {
      item.put("eventId", AttributeValue.fromS(event.eventId().toString()));
    }
    if (event.orderId() != null) {
      item.put("orderId", AttributeValue.fromS(event.orderId().toString()));
    }
    if (event.ticketId() != null) {
      item.put("ticketId", AttributeValue.fromS(event.ticketId().toString()));
    }
    return item;
  }

  private void write(List<Map<String, AttributeValue>> items) {
    List<WriteRequest> pending = new ArrayList<>(items.stream()
        .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
        .toList());
    for (int attempt = 0; attempt < WRITE_ATTEMPTS && !pending.isEmpty(); attempt++) {
      if (attempt > 0) {
        backOff(attempt);
      }
      List<WriteRequest> batch = List.copyOf(pending);
      pending = new ArrayList<>(dynamoDb.batchWriteItem(write -> write.requestItems(Map.of(tableName, batch)))
          .unprocessedItems().getOrDefault(tableName, List.of()));
    }
    if (!pending.isEmpty()) {
      throw new ApiException(503, ErrorBody.of("try_again",
          pending.size() + " of " + items.size() + " events could not be stored; try again later"));
    }
  }

  private static void backOff(int attempt) {
    try {
      Thread.sleep(25L << attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying unprocessed activity items", e);
    }
  }
}
