package dev.boxoffice.local.aws.sns;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@DisplayName("The AWS CLI, a second client, works against the local SNS and its inbox")
class SnsSecondClientTest {

  private static final Path AWS_CLI = Path.of("/usr/bin/aws");
  private static final String SCRIPT = "local/aws/scripts/sns-second-client.sh";

  /**
   * About 16 AWS CLI runs, each starting a Python interpreter: a second or two apiece on a quiet machine, five or
   * more on a busy one. A deadline against a hung script, not a speed check.
   */
  private static final Duration SCRIPT_DEADLINE = Duration.ofMinutes(4);

  @TempDir
  Path dataDir;

  private SnsWithMail localSns;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    SnsWithMail.start(vertx, dataDir, (function, payload) -> Future.succeededFuture("null"))
        .onComplete(context.succeeding(started -> {
          localSns = started;
          context.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext context) {
    localSns.stop().onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("scripts/sns-second-client.sh subscribes, confirms, publishes and reads AWS error codes with the AWS CLI")
  void awsCliScript() throws Exception {
    assertThat(AWS_CLI).as("the AWS CLI from Debian is the second client: apt-get install -y awscli").isExecutable();
    Path script = script();
    // To a file, so a script that runs out of time still shows how far it got.
    Path log = dataDir.resolve("sns-second-client.log");
    ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("SNS_ENDPOINT", localSns.snsEndpoint().toString());
    builder.environment().put("INBOX_URL", localSns.inboxUrl().toString());
    builder.environment().put("AWS_CLI", AWS_CLI.toString());

    Process process = builder.start();
    boolean finished = process.waitFor(SCRIPT_DEADLINE.toSeconds(), TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);

    assertThat(finished).as("the script finished within %d s; output so far:%n%s", SCRIPT_DEADLINE.toSeconds(), output).isTrue();
    assertThat(process.exitValue()).as("the script's exit code; its output:%n%s", output).isZero();
    assertThat(output).contains("sns-second-client: all checks passed with aws-cli/").doesNotContain("FAIL");
  }

  /** The script in the repository, found from the project root (the topmost directory with a pom.xml). */
  private static Path script() throws IOException {
    Optional<String> override = Optional.ofNullable(System.getenv("SNS_SECOND_CLIENT_SCRIPT"));
    if (override.isPresent()) {
      return Path.of(override.get());
    }
    Path root = Path.of("").toAbsolutePath();
    for (Path directory = root; directory != null; directory = directory.getParent()) {
      if (Files.exists(directory.resolve("pom.xml"))) {
        root = directory;
      }
    }
    Path script = root.resolve(SCRIPT);
    if (!Files.isRegularFile(script)) {
      throw new IOException("no " + SCRIPT + " under the project root " + root);
    }
    return script;
  }
}
