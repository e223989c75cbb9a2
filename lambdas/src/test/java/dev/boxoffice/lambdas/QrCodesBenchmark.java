package dev.boxoffice.lambdas;

import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.codecs.tickets.TicketClaims;
import dev.boxoffice.codecs.tickets.TicketTokens;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one ticket costs create-ticket before its S3 upload: its token signed and its QR code rendered as a PNG,
 * read back the way a door scanner reads it. Not a test; run from {@code lambdas/} after {@code mvn test-compile}:
 * {@code mvn -q exec:exec -Dexec.executable=java -Dexec.classpathScope=test
 * "-Dexec.args=-cp %classpath org.openjdk.jmh.Main QrCodes -prof gc"}. docs/performance.md has the figures, before
 * and after the rendering was rewritten.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(1)
public class QrCodesBenchmark {

  private static final Instant VALID_FROM = Instant.parse("2026-12-01T18:00:00Z");
  private static final Instant VALID_UNTIL = Instant.parse("2026-12-02T02:00:00Z");

  private PrivateKey key;
  private UUID eventId;
  private UUID ticketTypeId;

  @Setup
  public void setUp() {
    key = SessionTokens.generateKeyPair().getPrivate();
    eventId = UUID.randomUUID();
    ticketTypeId = UUID.randomUUID();
  }

  /** A new ticket each time, so that the codes (and the masks they need) vary as a sale's do. */
  @Benchmark
  public byte[] signAndRender() {
    return QrCodes.png(TicketTokens.sign(new TicketClaims(UUID.randomUUID(), eventId, ticketTypeId, VALID_FROM,
        VALID_UNTIL), key));
  }
}
