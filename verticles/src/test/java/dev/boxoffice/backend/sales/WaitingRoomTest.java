package dev.boxoffice.backend.sales;

import static dev.boxoffice.backend.web.TestApi.ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.boxoffice.backend.Boxoffice;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.web.TestApi;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The waiting room of an on-sale as buyers and scripts meet it, on real PostgreSQL and Redis and across two backends:
 * nobody buys without their turn, the pre-queue is shuffled, later arrivals queue in order, and a line Redis lost is
 * rebuilt in the same order before anyone else is let in.
 */
class WaitingRoomTest {

  private static TestApi api;
  private static String organizer;

  @BeforeAll
  static void start() {
    api = TestApi.shared();
    organizer = api.organizerToken(ORGANIZER);
  }

  @Test
  @DisplayName("with the waiting room on, a purchase without an admission (or with another buyer's, or another"
      + " event's) answers 403 and sells nothing; with the buyer's own admission it sells")
  void purchasesNeedTheirAdmission() {
    String eventId = api.publishedEvent("Queued gig");
    String ticketTypeId = api.ticketTypeOnSale(eventId, 100, 4);
    String otherEvent = api.publishedEvent("Other queued gig");
    openRoom(eventId, Instant.now().minusSeconds(1), 60_000);
    openRoom(otherEvent, Instant.now().minusSeconds(1), 60_000);
    String fan = api.buyerToken("queued-fan@example.org");
    String friend = api.buyerToken("queued-friend@example.org");

    HttpResponse<Buffer> without = await(api.purchase(ticketTypeId, fan, TestApi.newKey(), 2));
    String admission = admitted(eventId, fan).getString("admission");
    String elsewhere = admitted(otherEvent, fan).getString("admission");
    HttpResponse<Buffer> borrowed = purchase(ticketTypeId, friend, admission);
    HttpResponse<Buffer> wrongEvent = purchase(ticketTypeId, fan, elsewhere);
    HttpResponse<Buffer> forged = purchase(ticketTypeId, fan, admission.substring(0, admission.length() - 4) + "AAAA");
    HttpResponse<Buffer> bought = purchase(ticketTypeId, fan, admission);

    for (HttpResponse<Buffer> refused : List.of(without, borrowed, wrongEvent, forged)) {
      assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(403);
      assertThat(refused.bodyAsJsonObject().getString("code")).isEqualTo("admission_required");
    }
    assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(201);
    assertThat(api.send(HttpMethod.GET, "/api/events/" + eventId, null, null).bodyAsJsonObject()
        .getJsonArray("ticketTypes").getJsonObject(0).getInteger("remaining")).isEqualTo(98);
  }

  @Test
  @DisplayName("who came before the opening stands in a shuffled order, not their arrival's; who came after stands"
      + " behind them, first come first served; two backends see one line")
  void preQueueShuffledThenFifo() throws Exception {
    String eventId = api.publishedEvent("Shuffled on-sale");
    openRoom(eventId, Instant.now().plusSeconds(4), 1);
    List<String> early = buyers("early", 20);
    List<String> late = buyers("late", 5);
    for (String buyer : early) {
      JsonObject before = visit(eventId, buyer).bodyAsJsonObject();
      assertThat(before.getString("state")).isEqualTo("waiting");
      assertThat(before.getLong("estimatedWaitSeconds")).isPositive();
    }
    Thread.sleep(4_500);
    TestApi twin = api.anotherBackend();
    try {
      for (String buyer : late) {
        visit(twin, eventId, buyer);
      }
      List<Long> earlyAhead = new ArrayList<>();
      for (String buyer : early) {
        earlyAhead.add(ahead(visit(twin, eventId, buyer)));
      }
      List<Long> lateAhead = new ArrayList<>();
      for (String buyer : late) {
        lateAhead.add(ahead(visit(eventId, buyer)));
      }

      assertThat(earlyAhead).containsExactlyInAnyOrderElementsOf(range(0, 20));
      assertThat(earlyAhead).as("not arrival order").isNotEqualTo(range(0, 20))
          .isNotEqualTo(range(0, 20).reversed());
      assertThat(lateAhead).as("behind the pre-queue, in arrival order").isEqualTo(range(20, 25));
    } finally {
      twin.close();
    }
  }

  @Test
  @DisplayName("Redis loses the line: the next visit rebuilds it from PostgreSQL, every place in the same order, and"
      + " nobody got in meanwhile")
  void lostLineIsRebuiltInOrder() throws Exception {
    String eventId = api.publishedEvent("Forgetful Redis");
    String ticketTypeId = api.ticketTypeOnSale(eventId, 100, 4);
    openRoom(eventId, Instant.now().plusSeconds(2), 1);
    List<String> buyers = buyers("kept", 10);
    buyers.forEach(buyer -> visit(eventId, buyer));
    Thread.sleep(2_500);
    List<Long> before = new ArrayList<>();
    buyers.forEach(buyer -> before.add(ahead(visit(eventId, buyer))));

    Request forget = Request.cmd(Command.DEL);
    for (String part : List.of("line", "cursor", "tick", "admitted-at", "built")) {
      forget.arg("bo:queue:{" + eventId + "}:" + part);
    }
    await(api.app().redis().send(forget));
    JsonObject rebuilt = visit(eventId, buyers.get(9)).bodyAsJsonObject();
    HttpResponse<Buffer> meanwhile = await(api.purchase(ticketTypeId, api.buyerToken(buyers.get(0)),
        TestApi.newKey(), 1));
    List<Long> after = new ArrayList<>();
    buyers.forEach(buyer -> after.add(ahead(visit(eventId, buyer))));

    assertThat(rebuilt.getString("state")).isEqualTo("waiting");
    assertThat(rebuilt.containsKey("admission")).isFalse();
    assertThat(meanwhile.statusCode()).isEqualTo(403);
    assertThat(after).as("every place kept, in the same order").isEqualTo(before);
  }

  @Test
  @DisplayName("re-opening a room after its opening starts a fresh line: who got in at the first on-sale queues again,"
      + " nobody gets in before the new opening, and after it the new line is let in")
  void reopenedRoomStartsAFreshLine() {
    String eventId = api.publishedEvent("Second on-sale");
    openRoom(eventId, Instant.now().minusSeconds(1), 60_000);
    List<String> buyers = buyers("second-sale", 2);
    String firstSale = buyers.get(0);
    String newcomer = buyers.get(1);
    admitted(eventId, api.buyerToken(firstSale));

    openRoom(eventId, Instant.now().plusSeconds(3), 60_000);
    List<JsonObject> joined = List.of(visit(eventId, newcomer).bodyAsJsonObject(),
        visit(eventId, firstSale).bodyAsJsonObject());
    List<Long> ahead = List.of(ahead(visit(eventId, newcomer)), ahead(visit(eventId, firstSale)));

    assertThat(joined).as("nobody let in before the new opening").allSatisfy(status ->
        assertThat(status.getString("state")).as(status.encode()).isEqualTo("waiting"));
    assertThat(ahead).as("both wait in the new pre-queue, drawn").containsExactlyInAnyOrder(0L, 1L);
    assertThat(admitted(eventId, api.buyerToken(firstSale)).getString("admission")).isNotBlank();
    assertThat(admitted(eventId, api.buyerToken(newcomer)).getString("admission")).isNotBlank();
  }

  @Test
  @DisplayName("moving an opening that has not come yet keeps the pre-queue: everyone keeps their place")
  void movedOpeningKeepsThePreQueue() {
    String eventId = api.publishedEvent("Moved on-sale");
    openRoom(eventId, Instant.now().plusSeconds(60), 1);
    List<String> early = buyers("moved", 5);
    early.forEach(buyer -> visit(eventId, buyer));
    List<Long> before = early.stream().map(buyer -> ahead(visit(eventId, buyer))).toList();

    openRoom(eventId, Instant.now().plusSeconds(120), 1);
    List<Long> after = early.stream().map(buyer -> ahead(visit(eventId, buyer))).toList();

    assertThat(before).containsExactlyInAnyOrderElementsOf(range(0, 5));
    assertThat(after).as("the same places").isEqualTo(before);
  }

  @Test
  @DisplayName("a waiting buyer is told to ask again halfway to their estimated turn, 2-30 s, and within 4 s of it at"
      + " the turn itself: asked twice 300 ms apart, the same instant, so when they hear of their turn does not follow"
      + " when they came")
  void pollHalfwayThenAtTheTurn() {
    String far = api.publishedEvent("Far off on-sale");
    openRoom(far, Instant.now().plusSeconds(600), 1);
    String near = api.publishedEvent("Near on-sale");
    openRoom(near, Instant.now().plusSeconds(40), 60_000);
    String soon = api.publishedEvent("Imminent on-sale");
    Instant soonOpens = Instant.now().plusSeconds(3);
    openRoom(soon, soonOpens, 60);
    String buyer = buyers("poller", 1).get(0);

    JsonObject farOff = visit(far, buyer).bodyAsJsonObject();
    JsonObject nearer = visit(near, buyer).bodyAsJsonObject();
    assertThat(farOff.getLong("pollAfterMillis")).as(farOff.encode()).isEqualTo(30_000);
    assertThat(nearer.getLong("pollAfterMillis")).as(nearer.encode()).isBetween(15_000L, 20_001L);

    // One let in a second: the buyer, first in line, is let in a second after the opening.
    long asked = System.currentTimeMillis();
    JsonObject first = visit(soon, buyer).bodyAsJsonObject();
    pause(300);
    long askedAgain = System.currentTimeMillis();
    JsonObject again = visit(soon, buyer).bodyAsJsonObject();
    long turn = soonOpens.toEpochMilli() + 1_000;
    assertThat(asked + first.getLong("pollAfterMillis")).as(first.encode()).isCloseTo(turn + 50, within(250L));
    assertThat(askedAgain + again.getLong("pollAfterMillis")).as(again.encode()).isCloseTo(turn + 50, within(250L));
    for (JsonObject status : List.of(farOff, nearer, first, again)) {
      assertThat(status.getLong("pollAfterSeconds")).as(status.encode())
          .isEqualTo((status.getLong("pollAfterMillis") + 999) / 1000);
    }
  }

  @Test
  @DisplayName("at a sold-out sale the line says so and who waits asks again in 30 s, keeping their place; when"
      + " capacity comes back it says so too")
  void soldOutSaleIsToldInLine() throws InterruptedException {
    String eventId = api.publishedEvent("Gone in a flash");
    String ticketTypeId = api.ticketTypeOnSale(eventId, 2, 2);
    HttpResponse<Buffer> all = await(api.purchase(ticketTypeId, api.buyerToken(buyers("first", 1).get(0)),
        TestApi.newKey(), 2));
    assertThat(all.statusCode()).as(all.bodyAsString()).isEqualTo(201);
    // Half the wait is under 30 s: a 30 s poll is the sold-out answer's.
    openRoom(eventId, Instant.now().plusSeconds(30), 60_000);
    List<String> waiting = buyers("late", 2);
    waiting.forEach(buyer -> visit(eventId, buyer));

    JsonObject told = visit(eventId, waiting.get(1)).bodyAsJsonObject();

    assertThat(told.getString("state")).as(told.encode()).isEqualTo("waiting");
    assertThat(told.getBoolean("soldOut")).as(told.encode()).isTrue();
    assertThat(told.getInteger("pollAfterSeconds")).isEqualTo(30);
    assertThat(told.getLong("place")).as("the place is kept").isEqualTo(ahead(visit(eventId, waiting.get(1))) + 1);

    HttpResponse<Buffer> raised = api.send(HttpMethod.PATCH, "/api/ticket-types/" + ticketTypeId, organizer,
        new JsonObject().put("capacity", 3));
    assertThat(raised.statusCode()).as(raised.bodyAsString()).isEqualTo(200);
    // Each backend asks again every 2 s at most.
    Instant deadline = Instant.now().plusSeconds(10);
    JsonObject later = visit(eventId, waiting.get(1)).bodyAsJsonObject();
    while (later.getBoolean("soldOut") && Instant.now().isBefore(deadline)) {
      Thread.sleep(250);
      later = visit(eventId, waiting.get(1)).bodyAsJsonObject();
    }
    assertThat(later.getBoolean("soldOut")).as(later.encode()).isFalse();
    assertThat(later.getLong("place")).isEqualTo(told.getLong("place"));
    assertThat(later.getInteger("pollAfterSeconds")).isLessThan(30);
  }

  @Test
  @DisplayName("a backend that cannot reach Redis answers 503 waiting_room_paused and lets nobody in")
  void unreachableRedisPausesTheRoom() throws Exception {
    String eventId = api.publishedEvent("No Redis");
    String ticketTypeId = api.ticketTypeOnSale(eventId, 100, 4);
    openRoom(eventId, Instant.now().minusSeconds(1), 60_000);
    Config config = api.app().config().toBuilder().http("127.0.0.1", LoopbackPorts.free())
        .redis(new Config.Redis("redis://127.0.0.1:" + LoopbackPorts.free(), Optional.empty(), 2)).build();
    TestApi cutOff = TestApi.start(config);
    try {
      String buyer = cutOff.buyerToken("cut-off@example.org");
      HttpResponse<Buffer> queued = cutOff.send(HttpMethod.POST, "/api/events/" + eventId + "/queue", buyer, null);
      HttpResponse<Buffer> bought = await(cutOff.purchase(ticketTypeId, buyer, TestApi.newKey(), 1));

      assertThat(queued.statusCode()).as(queued.bodyAsString()).isEqualTo(503);
      assertThat(queued.bodyAsJsonObject().getString("code")).isEqualTo("waiting_room_paused");
      assertThat(queued.getHeader("Retry-After")).isEqualTo("5");
      assertThat(bought.statusCode()).as("no floodgates").isEqualTo(403);
    } finally {
      cutOff.close();
    }
  }

  @Test
  @DisplayName("a rush beyond what a backend takes in at once is shed with 503 waiting_room_busy and a spread"
      + " Retry-After, not mistaken for a lost Redis: the room stays open, and who comes back gets a place")
  void rushIsShedNotPaused() throws Exception {
    String eventId = api.publishedEvent("Rush at the door");
    openRoom(eventId, Instant.now().plusSeconds(120), 1);
    int maxInFlight = 4;
    Config config = api.app().config().toBuilder().http("127.0.0.1", LoopbackPorts.free()).build();
    TestApi small = TestApi.start(config, Boxoffice.Tuning.defaults().withWaitingRoomVisitsInFlight(maxInFlight));
    try {
      List<String> buyers = buyers("rush", 10);
      List<String> tokens = buyers.stream().map(small::buyerToken).toList();
      // Redis holds every command for two seconds: the first visits stay in flight meanwhile, and what a slow
      // Redis under a rush looks like to the backend.
      await(api.app().redis().send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(2_000).arg("ALL")));
      List<Future<HttpResponse<Buffer>>> rush = new ArrayList<>();
      for (String token : tokens) {
        rush.add(small.request(HttpMethod.POST, "/api/events/" + eventId + "/queue", token).send());
      }
      List<HttpResponse<Buffer>> answers = rush.stream().map(TestApi::await).toList();

      List<HttpResponse<Buffer>> shed = answers.stream().filter(answer -> answer.statusCode() == 503).toList();
      assertThat(answers).as("in line or shed, nothing else").allSatisfy(answer -> assertThat(answer.statusCode())
          .as(answer.bodyAsString()).isIn(200, 503));
      assertThat(answers.size() - shed.size()).as("visits made").isEqualTo(maxInFlight);
      assertThat(shed).allSatisfy(busy -> {
        assertThat(busy.bodyAsJsonObject().getString("code")).isEqualTo("waiting_room_busy");
        assertThat(Integer.parseInt(busy.getHeader("Retry-After"))).isBetween(1, 5);
      });
      String metrics = small.send(HttpMethod.GET, "/metrics", null, null).bodyAsString();
      assertThat(metrics).as("the shed visits counted").containsPattern(
          "(?m)^boxoffice_waiting_room_shed_visits_total(\\{[^}]*\\})? " + shed.size() + "\\.0$");

      for (String token : tokens) {
        HttpResponse<Buffer> again = small.send(HttpMethod.POST, "/api/events/" + eventId + "/queue", token, null);
        assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(200);
      }
      List<Long> ahead = new ArrayList<>();
      for (String token : tokens) {
        ahead.add(ahead(small.send(HttpMethod.POST, "/api/events/" + eventId + "/queue", token, null)));
      }
      assertThat(ahead).as("everyone in line once, the shed too").containsExactlyInAnyOrderElementsOf(range(0, 10));
    } finally {
      small.close();
    }
  }

  @Test
  @DisplayName("a visitor shed before the opening who comes back after it keeps the pre-queue's draw with the arrival"
      + " ticket the busy answer gave them (before, they joined at the back); another buyer's ticket counts for"
      + " nothing")
  void shedBeforeTheOpeningKeepsThePreQueueDraw() throws Exception {
    String eventId = api.publishedEvent("Shed at the opening");
    Instant opensAt = Instant.now().plusSeconds(4);
    openRoom(eventId, opensAt, 60);
    Config config = api.app().config().toBuilder().http("127.0.0.1", LoopbackPorts.free()).build();
    TestApi small = TestApi.start(config, Boxoffice.Tuning.defaults().withWaitingRoomVisitsInFlight(1));
    try {
      List<String> buyers = buyers("shed", 4);
      String first = small.buyerToken(buyers.get(0));
      String shed = small.buyerToken(buyers.get(1));
      String late = small.buyerToken(buyers.get(2));
      String borrower = small.buyerToken(buyers.get(3));
      // Redis holds every command for two seconds: the first visit stays in flight, the next is shed.
      await(api.app().redis().send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(2_000).arg("ALL")));
      Future<HttpResponse<Buffer>> inFlight = small.request(HttpMethod.POST, queuePath(eventId), first).send();
      pause(300);
      HttpResponse<Buffer> busy = small.send(HttpMethod.POST, queuePath(eventId), shed, null);
      assertThat(busy.statusCode()).as(busy.bodyAsString()).isEqualTo(503);
      assertThat(busy.bodyAsJsonObject().getString("code")).isEqualTo("waiting_room_busy");
      String ticket = busy.getHeader(Admissions.ARRIVAL_HEADER);
      assertThat(ticket).as("the arrival ticket").isNotBlank();
      assertThat(await(inFlight).statusCode()).isEqualTo(200);
      pause(Math.max(0, opensAt.toEpochMilli() - System.currentTimeMillis()) + 300);

      // After the opening: one comes late (starting the admissions' clock), a second later the first one's turn
      // comes, then the shed one joins with their ticket and another buyer tries it.
      place(small.send(HttpMethod.POST, queuePath(eventId), late, null));
      pause(1_200);
      assertThat(small.send(HttpMethod.POST, queuePath(eventId), first, null).bodyAsJsonObject().getString("state"))
          .isEqualTo("admitted");
      place(small.request(HttpMethod.POST, queuePath(eventId), shed)
          .putHeader(Admissions.ARRIVAL_HEADER, ticket).send().await());
      place(small.request(HttpMethod.POST, queuePath(eventId), borrower)
          .putHeader(Admissions.ARRIVAL_HEADER, ticket).send().await());
      // Where each stands once all have joined (a place counts who is ahead now).
      HttpResponse<Buffer> firstAgain = small.send(HttpMethod.POST, queuePath(eventId), first, null);
      long shedOne = place(small.send(HttpMethod.POST, queuePath(eventId), shed, null));
      long lateOne = place(small.send(HttpMethod.POST, queuePath(eventId), late, null));
      long borrowed = place(small.send(HttpMethod.POST, queuePath(eventId), borrower, null));

      assertThat(shedOne).as("shed before the opening: in the pre-queue, ahead of who came after it")
          .isLessThan(lateOne);
      assertThat(borrowed).as("another buyer's ticket: at the back").isGreaterThan(lateOne);
      assertThat(firstAgain.bodyAsJsonObject().getString("state")).as("nobody let in is pushed back into the line")
          .isEqualTo("admitted");
      // Second when the shed one drew before them: a turn that has passed, let in at once.
      assertThat(place(firstAgain)).isBetween(1L, 2L);
    } finally {
      small.close();
    }
  }

  @Test
  @DisplayName("an admission verified once is remembered, for its buyer only and only until it expires")
  void rememberedAdmissionsStillExpire() {
    Instant start = Instant.parse("2026-12-07T00:00:00Z");
    Instant[] now = {start};
    Admissions admissions = new Admissions(SessionTokens.generateKeyPair(), new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    });
    UUID event = UUID.randomUUID();
    String token = admissions.issue(event, "fan@example.org", start, start.plusSeconds(60));

    assertThat(admissions.eventOf(token, "fan@example.org")).contains(event);
    assertThat(admissions.eventOf(token, "other@example.org")).as("remembered, still the fan's only").isEmpty();
    now[0] = start.plusSeconds(64);
    assertThat(admissions.eventOf(token, "fan@example.org")).as("within the clock skew").contains(event);
    now[0] = start.plusSeconds(66);
    assertThat(admissions.eventOf(token, "fan@example.org")).as("expired").isEmpty();
    String forged = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
    now[0] = start.plusSeconds(1);
    assertThat(admissions.eventOf(forged, "fan@example.org")).as("another signature").isEmpty();
  }

  @Test
  @DisplayName("a hostile arrival header: over 100 characters is 400 naming it, joins nobody; junk within bounds is"
      + " ignored and the buyer joins as anyone would")
  void hostileArrivalHeaders() {
    String eventId = api.publishedEvent("Hostile arrivals");
    openRoom(eventId, Instant.now().plusSeconds(120), 60);
    String token = api.buyerToken(buyers("hostile", 1).get(0));

    HttpResponse<Buffer> oversized = api.request(HttpMethod.POST, queuePath(eventId), token)
        .putHeader(Admissions.ARRIVAL_HEADER, "1".repeat(101)).send().await();
    assertThat(oversized.statusCode()).as(oversized.bodyAsString()).isEqualTo(400);
    assertThat(oversized.bodyAsJsonObject().getString("code")).isEqualTo("invalid_request");
    assertThat(oversized.bodyAsJsonObject().getString("field")).containsIgnoringCase("Boxoffice-Arrival");
    assertThat(oversized.bodyAsString()).doesNotContain("Exception").doesNotContain("\tat ");

    for (String junk : new String[] {"0.AAAA", "-99999999999999.x", "<script>", "1.%00%ff", "9999999999999.Zm9v"}) {
      HttpResponse<Buffer> visited = api.request(HttpMethod.POST, queuePath(eventId), token)
          .putHeader(Admissions.ARRIVAL_HEADER, junk).send().await();
      assertThat(visited.statusCode()).as(junk + ": " + visited.bodyAsString()).isEqualTo(200);
    }
    assertThat(ahead(api.send(HttpMethod.POST, queuePath(eventId), token, null))).as("one place, joined once")
        .isZero();
  }

  @Test
  @DisplayName("an arrival ticket holds for its buyer and event, untampered, for ten minutes")
  void arrivalTicketsAreBound() {
    Admissions admissions = new Admissions(SessionTokens.generateKeyPair());
    UUID event = UUID.randomUUID();
    Instant arrived = Instant.parse("2026-12-07T00:00:00Z");
    String ticket = admissions.arrivalTicket(event, "fan@example.org", arrived);

    assertThat(admissions.arrivedAt(ticket, event, "fan@example.org", arrived.plusSeconds(5))).contains(arrived);
    assertThat(admissions.arrivedAt(ticket, event, "other@example.org", arrived.plusSeconds(5))).isEmpty();
    assertThat(admissions.arrivedAt(ticket, UUID.randomUUID(), "fan@example.org", arrived.plusSeconds(5))).isEmpty();
    assertThat(admissions.arrivedAt(ticket, event, "fan@example.org", arrived.plusSeconds(601))).as("stale")
        .isEmpty();
    String earlier = (arrived.toEpochMilli() - 60_000) + ticket.substring(ticket.indexOf('.'));
    assertThat(admissions.arrivedAt(earlier, event, "fan@example.org", arrived.plusSeconds(5))).as("backdated")
        .isEmpty();
    assertThat(new Admissions(SessionTokens.generateKeyPair()).arrivedAt(ticket, event, "fan@example.org",
        arrived.plusSeconds(5))).as("another key").isEmpty();
    for (String junk : new String[] {null, "", ".", "x.y", "123", "-1.AAAA", "9".repeat(200)}) {
      assertThat(admissions.arrivedAt(junk, event, "fan@example.org", arrived.plusSeconds(5))).as(junk).isEmpty();
    }
  }

  @Test
  @DisplayName("a client whose queue is full is saturation (busy), a refused or closed connection is a lost Redis"
      + " (paused)")
  void saturationIsToldFromLoss() {
    assertThat(WaitingRoomService.saturated(new ConnectionPoolTooBusyException(
        "Connection pool reached max wait queue size of 4096"))).isTrue();
    assertThat(WaitingRoomService.saturated(new IllegalStateException("Redis waiting queue is full"))).isTrue();
    assertThat(WaitingRoomService.saturated(new IllegalStateException("wrapped",
        new ConnectionPoolTooBusyException("busy")))).isTrue();
    assertThat(WaitingRoomService.saturated(new java.net.ConnectException("Connection refused"))).isFalse();
    assertThat(WaitingRoomService.saturated(new IllegalStateException("Connection is closed"))).isFalse();
  }

  @Test
  @DisplayName("only the event's organizer turns its room on; bad settings answer 400; an event without one 404")
  void organizerTurnsTheRoomOn() {
    String eventId = api.publishedEvent("Settings");
    JsonObject settings = new JsonObject().put("opensAt", Instant.now().plusSeconds(60).toString())
        .put("admitPerMinute", 100);

    HttpResponse<Buffer> none = api.send(HttpMethod.GET, "/api/events/" + eventId + "/waiting-room", null, null);
    HttpResponse<Buffer> byBuyer = api.send(HttpMethod.PUT, "/api/events/" + eventId + "/waiting-room",
        api.buyerToken("not-organizer@example.org"), settings);
    HttpResponse<Buffer> byRival = api.send(HttpMethod.PUT, "/api/events/" + eventId + "/waiting-room",
        api.organizerToken(TestApi.OTHER_ORGANIZER), settings);
    HttpResponse<Buffer> zero = api.send(HttpMethod.PUT, "/api/events/" + eventId + "/waiting-room", organizer,
        settings.copy().put("admitPerMinute", 0));
    HttpResponse<Buffer> opened = api.send(HttpMethod.PUT, "/api/events/" + eventId + "/waiting-room", organizer,
        settings);
    HttpResponse<Buffer> read = api.send(HttpMethod.GET, "/api/events/" + eventId + "/waiting-room", null, null);

    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(byBuyer.statusCode()).isEqualTo(403);
    assertThat(byRival.statusCode()).isEqualTo(404);
    assertThat(zero.statusCode()).isEqualTo(400);
    assertThat(opened.statusCode()).as(opened.bodyAsString()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject().getInteger("admitPerMinute")).isEqualTo(100);
    assertThat(read.bodyAsJsonObject().getInteger("admissionMinutes")).isEqualTo(10);
  }

  private static void openRoom(String eventId, Instant opensAt, int admitPerMinute) {
    HttpResponse<Buffer> opened = api.send(HttpMethod.PUT, "/api/events/" + eventId + "/waiting-room", organizer,
        new JsonObject().put("opensAt", opensAt.toString()).put("admitPerMinute", admitPerMinute));
    assertThat(opened.statusCode()).as(opened.bodyAsString()).isEqualTo(200);
  }

  /** Polls as the queue page does (faster) until the buyer's turn comes. */
  private static JsonObject admitted(String eventId, String buyerToken) {
    for (int attempt = 0; attempt < 100; attempt++) {
      HttpResponse<Buffer> visited = api.send(HttpMethod.POST, "/api/events/" + eventId + "/queue", buyerToken, null);
      assertThat(visited.statusCode()).as(visited.bodyAsString()).isEqualTo(200);
      if ("admitted".equals(visited.bodyAsJsonObject().getString("state"))) {
        return visited.bodyAsJsonObject();
      }
      pause(100);
    }
    throw new AssertionError("never admitted");
  }

  private static HttpResponse<Buffer> purchase(String ticketTypeId, String buyerToken, String admission) {
    return await(api.request(HttpMethod.POST, "/api/ticket-types/" + ticketTypeId + "/purchases", buyerToken)
        .putHeader("Idempotency-Key", TestApi.newKey())
        .putHeader("Boxoffice-Admission", admission)
        .sendJsonObject(new JsonObject().put("quantity", 2)));
  }

  private static HttpResponse<Buffer> visit(String eventId, String buyer) {
    return visit(api, eventId, buyer);
  }

  private static HttpResponse<Buffer> visit(TestApi backend, String eventId, String buyer) {
    HttpResponse<Buffer> visited = backend.send(HttpMethod.POST, "/api/events/" + eventId + "/queue",
        backend.buyerToken(buyer), null);
    assertThat(visited.statusCode()).as(visited.bodyAsString()).isEqualTo(200);
    return visited;
  }

  private static String queuePath(String eventId) {
    return "/api/events/" + eventId + "/queue";
  }

  private static long place(HttpResponse<Buffer> visited) {
    assertThat(visited.statusCode()).as(visited.bodyAsString()).isEqualTo(200);
    return visited.bodyAsJsonObject().getLong("place");
  }

  private static long ahead(HttpResponse<Buffer> visited) {
    JsonObject status = visited.bodyAsJsonObject();
    assertThat(status.getString("state")).as(status.encode()).isEqualTo("waiting");
    return status.getLong("ahead");
  }

  private static List<String> buyers(String prefix, int count) {
    List<String> buyers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      buyers.add(prefix + i + "-" + System.nanoTime() + "@example.org");
    }
    return buyers;
  }

  private static List<Long> range(long from, long to) {
    List<Long> range = new ArrayList<>();
    for (long i = from; i < to; i++) {
      range.add(i);
    }
    return range;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
