package dev.boxoffice.backend.workflows;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.outbox.OutboxRelayVerticle;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.EventPublished;
import dev.boxoffice.codecs.events.OrderPlaced;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Starts the Step Functions workflows of domain events: {@code OrderPlaced} → ticket issuance (input enriched from
 * PostgreSQL, execution ARN recorded on the order), {@code EventPublished} → the announcement. The execution is named
 * after the domain event's id, so a relayed-again event never starts a second execution. Must be deployed before the
 * outbox relay, which delivers each event at least once to the consumers registered by then.
 *
 * <p>Ticket validity, the window a QR code admits in: from a day before the event starts (early entry, doors of
 * multi-venue events) until six hours after it ends (late leavers re-entering).
 */
public final class WorkflowStarterVerticle extends VerticleBase {

  static final Duration VALID_BEFORE_START = Duration.ofDays(1);
  static final Duration VALID_AFTER_END = Duration.ofHours(6);

  private static final Logger LOG = LoggerFactory.getLogger(WorkflowStarterVerticle.class);
  private static final int MAX_ATTEMPTS = 6;
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final int REMEMBERED_EVENTS = 10_000;
  private static final String ORDER_FOR_ISSUANCE = "SELECT o.status, o.ticket_type_id, o.buyer_email,"
      + " o.issuance_execution_arn, e.title, e.organizer_email, e.starts_at, e.ends_at"
      + " FROM orders o JOIN events e ON e.id = o.event_id WHERE o.id = $1";
  private static final String RECORD_EXECUTION = "UPDATE orders SET issuance_execution_arn = $2,"
      + " issuance_next_check_at = now() + interval '1 second', issuance_checks = 0"
      + " WHERE id = $1 AND issuance_execution_arn IS NULL";

  private final Pool pool;
  private final StepFunctions stepFunctions;
  private final Config.Serverless settings;
  private final List<MessageConsumer<DomainEvent>> consumers = new ArrayList<>();
  /** Events handled lately, so a replay in this process costs no call; replays after a restart the name absorbs. */
  private final Set<UUID> handled = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
      return size() > REMEMBERED_EVENTS;
    }
  });

  public WorkflowStarterVerticle(Pool pool, StepFunctions stepFunctions, Config.Serverless settings) {
    this.pool = pool;
    this.stepFunctions = stepFunctions;
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    List<Future<Void>> registered = new ArrayList<>();
    settings.ticketIssuanceStateMachineArn().ifPresent(machine ->
        registered.add(consume("OrderPlaced", event -> issueTickets((OrderPlaced) event, machine))));
    settings.eventAnnouncementStateMachineArn().ifPresent(machine ->
        registered.add(consume("EventPublished", event -> announce((EventPublished) event, machine))));
    return Future.all(registered);
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  private Future<Void> consume(String type, Function<DomainEvent, Future<Void>> start) {
    MessageConsumer<DomainEvent> consumer = vertx.eventBus().consumer(OutboxRelayVerticle.addressOf(type),
        message -> {
          DomainEvent event = message.body();
          if (handled.add(event.id())) {
            withRetries(() -> start.apply(event), 1)
                .onFailure(failure -> {
                  handled.remove(event.id());
                  LOG.error("gave up starting the workflow of {} {}; it stays unstarted", type, event.id(), failure);
                });
          }
        });
    consumers.add(consumer);
    return consumer.completion();
  }

  private Future<Void> issueTickets(OrderPlaced placed, String machine) {
    return pool.preparedQuery(ORDER_FOR_ISSUANCE).execute(Tuple.of(placed.orderId())).compose(rows -> {
      if (rows.size() == 0) {
        LOG.warn("OrderPlaced {} names order {}, which does not exist; no tickets issued", placed.id(),
            placed.orderId());
        return Future.succeededFuture();
      }
      Row order = rows.iterator().next();
      if (order.getString("issuance_execution_arn") != null || "cancelled".equals(order.getString("status"))) {
        return Future.succeededFuture();
      }
      String input = issuanceInput(placed, order).encode();
      return stepFunctions.start(machine, placed.id().toString(), input)
          .compose(executionArn -> pool.preparedQuery(RECORD_EXECUTION)
              .execute(Tuple.of(placed.orderId(), executionArn)))
          .mapEmpty();
    });
  }

  /** Exactly the input the ticket-issuance state machine documents, built only from the event and stored rows. */
  private static JsonObject issuanceInput(OrderPlaced placed, Row order) {
    Instant startsAt = order.getOffsetDateTime("starts_at").toInstant();
    Instant endsAt = order.getOffsetDateTime("ends_at").toInstant();
    JsonArray ticketIds = new JsonArray();
    placed.ticketIds().forEach(id -> ticketIds.add(id.toString()));
    return new JsonObject()
        .put("orderId", placed.orderId().toString())
        .put("eventId", placed.eventId().toString())
        .put("eventTitle", order.getString("title"))
        .put("ticketTypeId", placed.ticketTypeId().toString())
        .put("buyerEmail", order.getString("buyer_email"))
        .put("organizerEmail", order.getString("organizer_email"))
        .put("validFrom", startsAt.minus(VALID_BEFORE_START).toString())
        .put("validUntil", endsAt.plus(VALID_AFTER_END).toString())
        .put("ticketIds", ticketIds);
  }

  private Future<Void> announce(EventPublished published, String machine) {
    JsonObject input = new JsonObject()
        .put("eventId", published.eventId().toString())
        .put("title", published.title())
        .put("category", published.category())
        .put("city", published.city())
        .put("startsAt", published.startsAt().toString())
        .put("timeZone", published.timeZone());
    return stepFunctions.start(machine, published.id().toString(), input.encode()).mapEmpty();
  }

  /** Retries with exponential back-off whatever may pass later: all but a request Step Functions refused as such. */
  private Future<Void> withRetries(Supplier<Future<Void>> call, int attempt) {
    return call.get().recover(failure -> {
      if (attempt >= MAX_ATTEMPTS || refusedForGood(failure)) {
        return Future.failedFuture(failure);
      }
      long delay = FIRST_RETRY.toMillis() << (attempt - 1);
      LOG.debug("workflow start failed (attempt {}), retrying in {} ms: {}", attempt, delay, failure.toString());
      return vertx.timer(delay).compose(ignored -> withRetries(call, attempt + 1));
    });
  }

  private static boolean refusedForGood(Throwable failure) {
    return failure instanceof SdkServiceException service && !service.isThrottlingException()
        && service.statusCode() < 500;
  }
}
