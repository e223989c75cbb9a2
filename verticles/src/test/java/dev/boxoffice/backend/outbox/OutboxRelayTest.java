package dev.boxoffice.backend.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.db.Databases;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.OrderPlaced;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue item 9e: the relay stopped or cut off mid-stream and restarted delivers every event, in order per order. */
class OutboxRelayTest {

  private static final Config.OutboxRelay SMALL_BATCHES = new Config.OutboxRelay(Duration.ofMillis(20), 50);
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static Config.Database database;
  private static Vertx writerVertx;
  private static Pool writer;

  private Vertx relayVertx;

  @BeforeAll
  static void startDatabase() {
    database = OwnDatabase.create("outbox_relay_test");
    writerVertx = Vertx.vertx();
    writer = Databases.pool(writerVertx, database);
  }

  @AfterAll
  static void stopDatabase() {
    writerVertx.close().await();
  }

  @BeforeEach
  void startRelayVertx() {
    relayVertx = Vertx.vertx();
  }

  @AfterEach
  void stopRelayVertx() {
    undeployAll(relayVertx);
    relayVertx.close().await();
  }

  /** Stops relays before their pools close, as a backend shutting down does. */
  private static void undeployAll(Vertx vertx) {
    for (String deployment : Set.copyOf(vertx.deploymentIDs())) {
      vertx.undeploy(deployment).await();
    }
  }

  @Test
  @DisplayName("a relay undeployed mid-stream and deployed again delivers every event, in order within each order")
  void undeployedMidStream() throws Exception {
    List<DomainEvent> events = TestEvents.interleavedHistories(100, 18);
    Set<UUID> written = idsOf(events);
    write(events);
    Pool pool = Databases.pool(relayVertx, database);
    Queue delivered = new Queue(written);
    AtomicReference<String> deployment = new AtomicReference<>();
    Promise<Void> killed = Promise.promise();
    relayVertx.eventBus().<DomainEvent>consumer(OutboxRelayVerticle.ADDRESS, message -> {
      delivered.add(message.body());
      if (delivered.size() >= 500 && deployment.get() != null && !killed.future().isComplete()) {
        relayVertx.undeploy(deployment.getAndSet(null)).onComplete(killed);
      }
    }).completion().await();

    deployment.set(relayVertx.deployVerticle(relay(pool)).await());
    killed.future().await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    int deliveredWhenKilled = delivered.size();
    Thread.sleep(SMALL_BATCHES.pollInterval().multipliedBy(10).toMillis());

    assertThat(delivered.size()).as("nothing is relayed once undeployed").isEqualTo(deliveredWhenKilled);
    assertThat(deliveredWhenKilled).as("killed mid-stream").isLessThan(events.size());
    assertThat(unsent(written)).isEqualTo(events.size() - deliveredWhenKilled);

    relayVertx.deployVerticle(relay(pool)).await();
    awaitUntil(() -> delivered.distinctIds().size() == events.size());

    assertThat(delivered.distinctIds()).isEqualTo(written);
    assertThat(firstDeliveriesPerOrder(delivered.all())).isEqualTo(perOrder(events));
    assertThat(unsent(written)).isZero();
  }

  @Test
  @DisplayName("a relay whose database connections die mid-batch loses nothing, and a consumer deduplicating by event id"
      + " applies every event exactly once although some arrive twice")
  void connectionLostMidBatch() throws Exception {
    List<DomainEvent> events = TestEvents.interleavedHistories(100, 18);
    Set<UUID> written = idsOf(events);
    write(events);
    Pool doomed = Databases.pool(relayVertx, database);
    DeduplicatingConsumer consumer = new DeduplicatingConsumer(written);
    Promise<Void> cutOff = Promise.promise();
    MessageConsumer<DomainEvent> registration = relayVertx.eventBus().consumer(OutboxRelayVerticle.ADDRESS,
        message -> {
          consumer.handle(message.body());
          if (consumer.deliveries() >= 300 && !cutOff.future().isComplete()) {
            doomed.close().onComplete(cutOff);
          }
        });
    registration.completion().await();

    String first = relayVertx.deployVerticle(relay(doomed)).await();
    cutOff.future().await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    relayVertx.undeploy(first).await();
    assertThat(unsent(written)).as("cut off mid-stream").isPositive();

    relayVertx.deployVerticle(relay(Databases.pool(relayVertx, database))).await();
    awaitUntil(() -> consumer.applied().size() == events.size() && unsent(written) == 0);

    // What a crash between publishing a batch and committing its sent_at leaves behind: the batch unsent again.
    List<UUID> replayed = events.subList(0, 100).stream().map(DomainEvent::id).toList();
    int deliveriesBefore = consumer.deliveries();
    writer.preparedQuery("UPDATE outbox SET sent_at = NULL WHERE event_id = ANY($1)")
        .execute(Tuple.of(replayed.toArray(UUID[]::new))).await();
    awaitUntil(() -> consumer.deliveries() >= deliveriesBefore + replayed.size() && unsent(written) == 0);

    assertThat(consumer.deliveries()).isGreaterThanOrEqualTo(events.size() + replayed.size());
    assertThat(consumer.applied()).hasSize(events.size()).isEqualTo(written);
    assertThat(consumer.ticketsCounted()).isEqualTo(100 * 18);
    assertThat(firstDeliveriesPerOrder(consumer.firstDeliveries())).isEqualTo(perOrder(events));
  }

  @Test
  @DisplayName("two relays on one database take turns: every event is published once, by one of them")
  void oneActiveRelay() throws Exception {
    List<DomainEvent> events = TestEvents.interleavedHistories(40, 18);
    Set<UUID> written = idsOf(events);
    Vertx otherBackend = Vertx.vertx();
    try {
      Queue here = new Queue(written);
      Queue there = new Queue(written);
      relayVertx.eventBus().<DomainEvent>consumer(OutboxRelayVerticle.ADDRESS, message -> here.add(message.body()))
          .completion().await();
      otherBackend.eventBus().<DomainEvent>consumer(OutboxRelayVerticle.ADDRESS,
          message -> there.add(message.body())).completion().await();
      relayVertx.deployVerticle(relay(Databases.pool(relayVertx, database))).await();
      otherBackend.deployVerticle(relay(Databases.pool(otherBackend, database)))
          .await();

      write(events);
      awaitUntil(() -> here.size() + there.size() >= events.size() && unsent(written) == 0);
      Thread.sleep(SMALL_BATCHES.pollInterval().multipliedBy(5).toMillis());

      List<UUID> all = new ArrayList<>(here.all().stream().map(DomainEvent::id).toList());
      all.addAll(there.all().stream().map(DomainEvent::id).toList());
      assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(written);
    } finally {
      undeployAll(otherBackend);
      otherBackend.close().await();
    }
  }

  @Test
  @DisplayName("each event is also published on its per-type address")
  void perTypeAddress() throws Exception {
    List<DomainEvent> events = TestEvents.interleavedHistories(5, 2);
    Set<UUID> placedIds = events.stream().filter(OrderPlaced.class::isInstance).map(DomainEvent::id)
        .collect(Collectors.toSet());
    Queue placed = new Queue(idsOf(events));
    relayVertx.eventBus().<DomainEvent>consumer(OutboxRelayVerticle.addressOf("OrderPlaced"),
        message -> placed.add(message.body())).completion().await();
    relayVertx.deployVerticle(relay(Databases.pool(relayVertx, database))).await();

    write(events);
    awaitUntil(() -> unsent(idsOf(events)) == 0 && placed.size() >= placedIds.size());

    assertThat(placed.distinctIds()).isEqualTo(placedIds);
  }

  @Test
  @DisplayName("a row this relay cannot read holds the outbox there, unsent, while the rows before it are relayed")
  void unreadableRowHoldsTheOutbox() throws Exception {
    List<DomainEvent> before = TestEvents.orderHistory(1);
    List<DomainEvent> after = TestEvents.orderHistory(1);
    UUID unreadable = UUID.randomUUID();
    Queue delivered = new Queue(idsOf(List.of(before.get(0), before.get(1), before.get(2), after.get(0))));
    try {
      write(before);
      writer.preparedQuery("INSERT INTO outbox (event_id, type, aggregate_id, payload, occurred_at) "
              + "VALUES ($1, 'SeatUpgraded', $1, jsonb_build_object('type', 'SeatUpgraded', 'id', $1::text), now())")
          .execute(Tuple.of(unreadable)).await();
      write(after);
      relayVertx.eventBus().<DomainEvent>consumer(OutboxRelayVerticle.ADDRESS, message -> delivered.add(message.body()))
          .completion().await();
      relayVertx.deployVerticle(relay(Databases.pool(relayVertx, database))).await();

      awaitUntil(() -> unsent(idsOf(before)) == 0);
      Thread.sleep(SMALL_BATCHES.pollInterval().multipliedBy(10).toMillis());

      assertThat(delivered.distinctIds()).isEqualTo(idsOf(before));
      assertThat(unsent(Set.of(unreadable))).isEqualTo(1);
      assertThat(unsent(idsOf(after))).isEqualTo(after.size());
    } finally {
      writer.preparedQuery("DELETE FROM outbox WHERE event_id = $1").execute(Tuple.of(unreadable)).await();
    }
    awaitUntil(() -> unsent(idsOf(after)) == 0);
  }

  /** Idempotent the way every consumer must be: it applies an event only the first time its id arrives. */
  private static final class DeduplicatingConsumer {

    private final Set<UUID> relevant;
    private final Set<UUID> applied = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<DomainEvent> firstDeliveries = new ConcurrentLinkedQueue<>();
    private final Map<UUID, Integer> ticketsPerOrder = new ConcurrentHashMap<>();
    private volatile int deliveries;

    DeduplicatingConsumer(Set<UUID> relevant) {
      this.relevant = relevant;
    }

    void handle(DomainEvent event) {
      if (!relevant.contains(event.id())) {
        return;
      }
      deliveries++;
      if (!applied.add(event.id())) {
        return;
      }
      firstDeliveries.add(event);
      if (event instanceof dev.boxoffice.codecs.events.TicketIssued ticket) {
        ticketsPerOrder.merge(ticket.orderId(), 1, Integer::sum);
      }
    }

    int deliveries() {
      return deliveries;
    }

    Set<UUID> applied() {
      return Set.copyOf(applied);
    }

    List<DomainEvent> firstDeliveries() {
      return List.copyOf(firstDeliveries);
    }

    int ticketsCounted() {
      return ticketsPerOrder.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /** Deliveries of this test's events only: earlier tests' rows may be relayed too. */
  private static final class Queue {

    private final Set<UUID> relevant;
    private final ConcurrentLinkedQueue<DomainEvent> events = new ConcurrentLinkedQueue<>();

    Queue(Set<UUID> relevant) {
      this.relevant = relevant;
    }

    void add(DomainEvent event) {
      if (relevant.contains(event.id())) {
        events.add(event);
      }
    }

    int size() {
      return events.size();
    }

    List<DomainEvent> all() {
      return List.copyOf(events);
    }

    Set<UUID> distinctIds() {
      return events.stream().map(DomainEvent::id).collect(Collectors.toSet());
    }
  }

  private static void write(List<DomainEvent> events) {
    int chunk = 97;
    for (int from = 0; from < events.size(); from += chunk) {
      List<DomainEvent> slice = events.subList(from, Math.min(events.size(), from + chunk));
      writer.withTransaction(tx -> Outbox.appendAll(tx, slice)).await();
    }
  }

  private static long unsent(Set<UUID> ids) {
    return writer.preparedQuery("SELECT count(*) AS unsent FROM outbox WHERE event_id = ANY($1) AND sent_at IS NULL")
        .execute(Tuple.of(ids.toArray(UUID[]::new))).await().iterator().next().getLong("unsent");
  }

  private static Set<UUID> idsOf(Collection<DomainEvent> events) {
    return events.stream().map(DomainEvent::id).collect(Collectors.toSet());
  }

  /** Each order's events, first delivery only, in delivery order. */
  private static Map<UUID, List<UUID>> firstDeliveriesPerOrder(List<DomainEvent> deliveries) {
    Map<UUID, LinkedHashSet<UUID>> seen = new LinkedHashMap<>();
    for (DomainEvent event : deliveries) {
      seen.computeIfAbsent(event.aggregateId(), order -> new LinkedHashSet<>()).add(event.id());
    }
    Map<UUID, List<UUID>> ordered = new LinkedHashMap<>();
    seen.forEach((order, ids) -> ordered.put(order, List.copyOf(ids)));
    return ordered;
  }

  private static Map<UUID, List<UUID>> perOrder(List<DomainEvent> written) {
    return firstDeliveriesPerOrder(written);
  }

  private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + PATIENCE);
      }
      Thread.sleep(20);
    }
  }

  private static OutboxRelayVerticle relay(Pool pool) {
    return new OutboxRelayVerticle(pool, SMALL_BATCHES, new SimpleMeterRegistry());
  }
}
