package dev.boxoffice.local.stack;

import dev.boxoffice.local.servers.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a test starts a stack with, as a developer would set it to run beside another stack: a data folder
 * of its own, every local server on a free port, the backend on a free loopback port. Tests add their own settings.
 */
final class TestStackEnvironment {

  /** The servers of {@code BOXOFFICE_LOCAL_<name>_PORT}, all of them. */
  static final List<String> LOCAL_SERVERS = List.of("PG", "REDIS", "APIGATEWAY", "S3", "DYNAMODB", "SNS", "SFN",
      "SMTP", "INBOX", "MEDIA", "STRIPE", "SQS", "SES", "SECRETS");

  private TestStackEnvironment() {
  }

  /** A mutable environment for a stack in {@code dataDir} whose organizers are {@code organizerEmails}. */
  static Map<String, String> in(Path dataDir, String organizerEmails) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("BOXOFFICE_DATA_DIR", dataDir.toString());
    env.put("BOXOFFICE_HTTP_HOST", "127.0.0.1");
    env.put("BOXOFFICE_HTTP_PORT", Integer.toString(LoopbackPorts.free()));
    env.put("BOXOFFICE_STATIC_DIR", Files.createDirectories(dataDir.resolve("static")).toString());
    env.put("BOXOFFICE_ORGANIZER_EMAILS", organizerEmails);
    for (String server : LOCAL_SERVERS) {
      env.put("BOXOFFICE_LOCAL_" + server + "_PORT", "0");
    }
    return env;
  }
}
