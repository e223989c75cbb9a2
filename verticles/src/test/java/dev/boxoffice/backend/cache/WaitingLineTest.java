package dev.boxoffice.backend.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.TestServers;
import dev.boxoffice.backend.cache.WaitingLine.Visit;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** One room's line in a real Redis, driven the way the waiting room drives it. */
class WaitingLineTest {

  /** One admission a minute: no visit in this test moves the cursor by itself. */
  private static final int STILL = 1;
  /** One a millisecond: a visit a few milliseconds after the last lets everyone in line in. */
  private static final int EVERYONE = 60_000;
  private static final int EVERY_TWO_SECONDS = 30;
  private static final long ADMISSION_MILLIS = 600_000;

  private Vertx vertx;
  private Redis redis;
  private WaitingLine line;
  private long opening;

  @BeforeEach
  void connect() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, TestServers.redis().url());
    line = new WaitingLine(redis);
  }

  @AfterEach
  void close() {
    redis.close();
    vertx.close().await();
  }

  @Test
  @DisplayName("a place put in among those already let in (a join scored next in line just before the cursor moved"
      + " on) lets one more in: nobody already admitted is pushed back into the line")
  void aLatePlaceAmongTheAdmittedPushesNobodyBack() throws InterruptedException {
    UUID event = UUID.randomUUID();
    opening = System.currentTimeMillis() - 1_000;
    line.rebuild(event, opening, Map.of("ann@example.org", 10.0, "bob@example.org", 20.0)).await();
    visit(event, "ann@example.org", EVERYONE);
    Thread.sleep(5);
    assertThat(visit(event, "ann@example.org", EVERYONE).state()).isEqualTo(Visit.State.ADMITTED_NOW);
    assertThat(visit(event, "bob@example.org", STILL).state()).isEqualTo(Visit.State.ADMITTED_NOW);

    // Dee was scored next in line (just below Bob) when only Ann was in; her place lands after Bob was let in.
    line.add(event, "dee@example.org", 19, STILL).await();

    Visit bob = visit(event, "bob@example.org", STILL);
    assertThat(bob.state()).as("Bob, let in before Dee joined").isEqualTo(Visit.State.ADMITTED);
    assertThat(bob.rank()).isEqualTo(2);
    assertThat(visit(event, "dee@example.org", STILL).state()).isEqualTo(Visit.State.ADMITTED_NOW);
    assertThat(visit(event, "ann@example.org", STILL).state()).isEqualTo(Visit.State.ADMITTED);

    line.add(event, "cy@example.org", 30, STILL).await();
    Visit cy = visit(event, "cy@example.org", STILL);
    assertThat(cy.state()).as("a place at the back waits its turn").isEqualTo(Visit.State.WAITING);
    assertThat(cy.rank()).isEqualTo(3);
    assertThat(cy.admitted()).isEqualTo(3);
  }

  @Test
  @DisplayName("a turn that has passed (a pre-queue draw written after the opening) is let in at once and paid back:"
      + " the next admission comes one interval later, so the line lets in no more than its rate")
  void aPassedTurnIsLetInAndPaidBack() throws InterruptedException {
    UUID event = UUID.randomUUID();
    opening = System.currentTimeMillis() - 1_000;
    line.rebuild(event, opening, Map.of("ann@example.org", 10.0, "bob@example.org", 20.0, "cy@example.org", 30.0))
        .await();
    // One admission every 2 s, counted from this first visit after the opening (made by the time it answers).
    assertThat(visit(event, "ann@example.org", EVERY_TWO_SECONDS).state()).isEqualTo(Visit.State.WAITING);
    long started = System.currentTimeMillis();
    Thread.sleep(2_100);
    assertThat(visit(event, "ann@example.org", EVERY_TWO_SECONDS).state()).isEqualTo(Visit.State.ADMITTED_NOW);

    // Dee drew 5 before the opening and was shed until now: her turn, before Ann's, has passed.
    line.add(event, "dee@example.org", 5, EVERY_TWO_SECONDS).await();
    assertThat(visit(event, "dee@example.org", EVERY_TWO_SECONDS).state()).as("Dee, whose turn has passed")
        .isEqualTo(Visit.State.ADMITTED_NOW);
    assertThat(visit(event, "ann@example.org", EVERY_TWO_SECONDS).state()).isEqualTo(Visit.State.ADMITTED);

    // Bob's turn would have come 4 s after the start; paying Dee's turn back moves it to 6 s.
    Thread.sleep(Math.max(0, started + 4_700 - System.currentTimeMillis()));
    Visit bob = visit(event, "bob@example.org", EVERY_TWO_SECONDS);
    assertThat(bob.state()).as("Bob, 4.7 s after the start").isEqualTo(Visit.State.WAITING);
    assertThat(bob.ahead()).isZero();
    Thread.sleep(Math.max(0, started + 6_800 - System.currentTimeMillis()));
    assertThat(visit(event, "bob@example.org", EVERY_TWO_SECONDS).state()).as("Bob, 6.8 s after the start")
        .isEqualTo(Visit.State.ADMITTED_NOW);
    assertThat(visit(event, "cy@example.org", EVERY_TWO_SECONDS).state()).isEqualTo(Visit.State.WAITING);
  }

  @Test
  @DisplayName("a place added twice keeps the first; a place behind the cursor moves nothing")
  void addKeepsTheFirstPlace() {
    UUID event = UUID.randomUUID();
    opening = System.currentTimeMillis() + 60_000;
    line.rebuild(event, opening, Map.of("ann@example.org", 10.0)).await();

    line.add(event, "bob@example.org", 5, STILL).await();
    line.add(event, "bob@example.org", 50, STILL).await();

    Visit bob = visit(event, "bob@example.org", STILL);
    assertThat(bob.state()).isEqualTo(Visit.State.WAITING);
    assertThat(bob.rank()).isZero();
    assertThat(bob.admitted()).isZero();
  }

  private Visit visit(UUID event, String buyer, int admitPerMinute) {
    return line.visit(event, buyer, opening, admitPerMinute, ADMISSION_MILLIS).await();
  }
}
