package dev.boxoffice.backend.auth;

import dev.boxoffice.codecs.session.InvalidSessionException;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionClaims;
import dev.boxoffice.codecs.session.SessionTokenVerifier;
import dev.boxoffice.codecs.session.SessionTokens;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the first request of a session costs the backend's event loop: one session token verified by the verifier
 * {@link Sessions#authenticate()} uses, with BouncyCastle's Ed25519 installed as the backend does and with the JDK's
 * own, each in a fork of its own. Not a test; run from {@code verticles/} after {@code mvn test-compile}:
 * {@code mvn -q exec:exec -Dexec.executable=java -Dexec.classpathScope=test
 * "-Dexec.args=-cp %classpath org.openjdk.jmh.Main SessionVerification"}.
 *
 * <p>On the project's 2-core machine, 2026-12-06, JDK 25, shared with other builds (load average 5 to 9, so the
 * wall-clock errors are wide): BouncyCastle 154 ± 44 µs/op, the JDK's Ed25519 1,733 ± 681 µs/op. The same harness on
 * the vertx-auth-jwt verifier this replaced, same machine and hour: 78 ± 8 and 969 ± 407 µs/op. Two runs with both
 * verifiers in one JMH run, so under the same load: 171 ± 121 vs 204 ± 119 and 495 ± 337 vs 488 ± 213 µs/op (this
 * one vs vertx-auth-jwt). CPU time per verification, which the load disturbs far less: 75 µs this one, 66 µs
 * vertx-auth-jwt, 65 µs the bare BouncyCastle signature check; jjwt allocates 51 KB per verification against
 * vertx-auth-jwt's 14 KB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(2)
public class SessionVerificationBenchmark {

  @Param({"bouncycastle", "jdk"})
  public String provider;

  private SessionTokenVerifier verifier;
  private String token;

  @Setup
  public void setUp() {
    if (provider.equals("bouncycastle")) {
      Ed25519Signatures.install();
    }
    KeyPair keys = SessionTokens.generateKeyPair();
    Instant now = Instant.now();
    token = SessionTokens.issue(new SessionClaims("buyer@example.org", Set.of(Role.BUYER), now,
        now.plus(Duration.ofHours(12)), "boxoffice", "boxoffice-api"), keys.getPrivate());
    verifier = SessionTokens.verifier(keys.getPublic(), "boxoffice", "boxoffice-api", Duration.ofSeconds(30),
        Clock.systemUTC());
  }

  @Benchmark
  public SessionClaims verify() throws InvalidSessionException {
    return verifier.verify(token);
  }
}
