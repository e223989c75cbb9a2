package dev.boxoffice.backend.config;

import dev.boxoffice.codecs.session.SessionTokens;
import java.util.HashMap;
import java.util.Map;

/** Environments for {@link Config#fromEnvironment} in tests: local mode asked for, or aws mode with its settings. */
public final class TestEnvironments {

  /** A public key for the settings that only need one to parse. */
  public static final String PUBLIC_KEY_PEM =
      SessionTokens.publicKeyPem(SessionTokens.generateKeyPair().getPublic());

  private TestEnvironments() {
  }

  /** A developer's settings: local mode asked for, as the local stack and the tests ask for it. */
  public static Map<String, String> local(String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of("BOXOFFICE_MODE", "local"));
    env.putAll(pairs(pairs));
    return env;
  }

  /** A task's settings in AWS: every one aws mode requires, then {@code pairs}. */
  public static Map<String, String> aws(String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of(
        "BOXOFFICE_DB_HOST", "db.example.internal",
        "BOXOFFICE_REDIS_URL", "rediss://cache.example.internal:6379",
        "BOXOFFICE_SESSION_PUBLIC_KEY", PUBLIC_KEY_PEM,
        "BOXOFFICE_TICKET_PUBLIC_KEY", PUBLIC_KEY_PEM,
        "BOXOFFICE_PUBLIC_URL", "https://tickets.example.org",
        "BOXOFFICE_REVOKED_SESSIONS_TABLE", "boxoffice-revoked-sessions"));
    env.putAll(pairs(pairs));
    return env;
  }

  private static Map<String, String> pairs(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }
}
