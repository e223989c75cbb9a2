package dev.boxoffice.backend.workflows;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.outbox.OutboxRelayVerticle;
import dev.boxoffice.backend.store.IssuanceStore;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.EventPublished;
import dev.boxoffice.codecs.events.OrderCancelled;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the Step Functions workflows of domain events: {@code EventPublished} → the announcement,
 * {@code OrderCancelled} → the ticket cancellation ({@link TicketCancellation}: the order's tickets refused by
 * /get-qr-code). (Tickets are issued in batches by {@link TicketIssuerVerticle}, which {@code OrderPlaced} wakes.)
 * The execution is named after the domain event's id, so a relayed-again event never starts a second execution, and
 * continues the trace of the request that wrote the event (its outbox row's trace header). Must
 * be deployed before the outbox relay, which delivers each event at least once to the consumers registered by then.
 * A workflow this could not start, {@link WorkflowCatchUpVerticle} starts later.
 */
public final class WorkflowStarterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WorkflowStarterVerticle.class);
  private static final int MAX_ATTEMPTS = 6;
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final int REMEMBERED_EVENTS = 10_000;

  private final IssuanceStore orders;
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

  public WorkflowStarterVerticle(IssuanceStore orders, StepFunctions stepFunctions, Config.Serverless settings) {
    this.orders = orders;
    this.stepFunctions = stepFunctions;
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    List<Future<Void>> registered = new ArrayList<>();
    settings.ticketCancellationStateMachineArn().ifPresent(machine -> {
      TicketCancellation cancellation = new TicketCancellation(orders, stepFunctions, machine);
      registered.add(consume("OrderCancelled",
          (event, traceHeader) -> cancellation.start(((OrderCancelled) event).orderId(), event.id(), traceHeader)));
    });
    settings.eventAnnouncementStateMachineArn().ifPresent(machine -> {
      EventAnnouncement announcement = new EventAnnouncement(stepFunctions, machine);
      registered.add(consume("EventPublished",
          (event, traceHeader) -> announcement.start((EventPublished) event, traceHeader)));
    });
    return Future.all(registered);
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  /** {@code start} gets the event and the trace header of the request that wrote it (null: none). */
  private Future<Void> consume(String type, BiFunction<DomainEvent, String, Future<Void>> start) {
    MessageConsumer<DomainEvent> consumer = vertx.eventBus().consumer(OutboxRelayVerticle.addressOf(type),
        message -> {
          DomainEvent event = message.body();
          String traceHeader = message.headers().get(OutboxRelayVerticle.TRACE_HEADER);
          if (handled.add(event.id())) {
            withRetries(() -> start.apply(event, traceHeader), 1)
                .onFailure(failure -> {
                  handled.remove(event.id());
                  LOG.error("gave up starting the workflow of {} {}; it stays unstarted", type, event.id(), failure);
                });
          }
        });
    consumers.add(consumer);
    return consumer.completion();
  }

  /** Retries with exponential back-off whatever may pass later: all but a request Step Functions refused as such. */
  private Future<Void> withRetries(Supplier<Future<Void>> call, int attempt) {
    return call.get().recover(failure -> {
      if (attempt >= MAX_ATTEMPTS || StepFunctions.refusedForGood(failure)) {
        return Future.failedFuture(failure);
      }
      long delay = FIRST_RETRY.toMillis() << (attempt - 1);
      LOG.debug("workflow start failed (attempt {}), retrying in {} ms: {}", attempt, delay, failure.toString());
      return vertx.timer(delay).compose(ignored -> withRetries(call, attempt + 1));
    });
  }
}
