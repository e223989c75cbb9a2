package dev.boxoffice.local.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The local Stripe server driven by clients nobody here wrote: curl, form-encoded, and Stripe's Node package. */
class SecondClientsTest {

  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static LocalStripe stripe;

  @BeforeAll
  static void start() throws Exception {
    stripe = LocalStripe.start(new LocalStripe.Settings(0, Duration.ofMillis(200), 3));
  }

  @AfterAll
  static void stop() throws Exception {
    stripe.close();
  }

  @Test
  @DisplayName("scripts/curl-client.sh: a session, its replay, the hosted page, a refund and errors, with curl")
  void curl() throws Exception {
    String output = run(List.of("bash", MODULE.resolve("scripts/curl-client.sh").toString()));
    assertThat(output).contains("curl-client: all checks passed with curl").doesNotContain("FAIL");
  }

  @Test
  @DisplayName("test/node-client.test.mjs: the Node stripe package pays, verifies webhooks, refunds and fails typed")
  void nodeStripe() throws Exception {
    assertThat(MODULE.resolve("node_modules/stripe")).as("the Node stripe package: npm ci in local/stripe"
        + " (./boxoffice test does it)").isDirectory();
    String output = run(List.of("node", "--test", MODULE.resolve("test/node-client.test.mjs").toString()));
    assertThat(output).contains("# pass 2").contains("# fail 0");
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(MODULE.toFile()).redirectErrorStream(true);
    builder.environment().put("STRIPE_API_BASE", stripe.apiBase().toString());
    builder.environment().put("STRIPE_SECRET_KEY", stripe.secretKey());
    Process process = builder.start();
    boolean finished = process.waitFor(120, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(finished).as("finished within 120 s; output so far:%n%s", output).isTrue();
    assertThat(process.exitValue()).as("exit code; output:%n%s", output).isZero();
    return output;
  }
}
