package dev.boxoffice.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a second-client script of {@code local/aws/scripts/} (the AWS CLI, curl, the AWS SDK for JavaScript) and
 * asserts that it finished, exited 0 and printed its closing line; the script's own checks print PASS or FAIL.
 */
public final class ClientScript {

  private static final long TIMEOUT_SECONDS = 180;

  private ClientScript() {
  }

  /**
   * Runs {@code command} (its script named relative to the repository root) with {@code environment} added to this
   * process's, minus the variables that would change an AWS client's defaults or point it at real credentials.
   *
   * @return everything the script printed
   */
  public static String run(List<String> command, Map<String, String> environment, String closingLine)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(RepositoryFiles.root().toFile())
        .redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
    builder.environment().put("AWS_CONFIG_FILE", "/dev/null");
    builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    builder.environment().putAll(environment);

    Process script = builder.start();
    boolean finished = script.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!finished) {
      script.destroyForcibly();
    }
    String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(finished).as("%s finished within %d s; output so far:%n%s", command, TIMEOUT_SECONDS, output).isTrue();
    assertThat(script.exitValue()).as("the exit code of %s; its output:%n%s", command, output).isZero();
    assertThat(output).contains(closingLine).doesNotContain("FAIL");
    return output;
  }
}
