package dev.boxoffice.backend;

import dev.boxoffice.backend.config.Config;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** Entry point of the backend image: configuration from the environment, then {@link Boxoffice#start}. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    Config config;
    try {
      config = Config.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("Boxoffice cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    Logging.configure(config.logFormat());
    try {
      config = RuntimeSecrets.resolve(config, System.getenv(), DefaultCredentialsProvider.builder().build());
      Boxoffice app = Boxoffice.start(config);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(app), "boxoffice-shutdown"));
    } catch (Exception e) {
      LoggerFactory.getLogger(Main.class).error("backend failed to start", e);
      System.exit(1);
    }
  }

  private static void closeQuietly(Boxoffice app) {
    try {
      app.close();
    } catch (Exception e) {
      LoggerFactory.getLogger(Main.class).warn("backend did not stop cleanly", e);
    }
  }
}
