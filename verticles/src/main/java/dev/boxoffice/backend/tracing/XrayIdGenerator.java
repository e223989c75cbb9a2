package dev.boxoffice.backend.tracing;

import io.opentelemetry.sdk.trace.IdGenerator;
import java.time.Clock;

/**
 * Trace ids X-Ray accepts: X-Ray reads the first 32 bits as the trace's start in epoch seconds and refuses a trace
 * that started more than 30 days ago, so those bits are the current second and the other 96 are random (what the
 * AWS X-Ray id generator of opentelemetry-java-contrib does; that artifact is not served to this build).
 */
final class XrayIdGenerator implements IdGenerator {

  private static final IdGenerator RANDOM = IdGenerator.random();

  private final Clock clock;

  XrayIdGenerator(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String generateSpanId() {
    return RANDOM.generateSpanId();
  }

  @Override
  public String generateTraceId() {
    long epochSecond = clock.instant().getEpochSecond();
    return String.format("%08x", epochSecond & 0xffffffffL) + RANDOM.generateTraceId().substring(8);
  }
}
