package dev.boxoffice.backend;

import dev.boxoffice.backend.config.Config;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Chooses the log layout before the first logger exists: JSON lines for CloudWatch, or text for a terminal. */
public final class Logging {

  private Logging() {
  }

  public static void configure(Config.LogFormat format) {
    if (System.getProperty("logback.configurationFile") == null && format == Config.LogFormat.TEXT) {
      System.setProperty("logback.configurationFile", "logback-text.xml");
    }
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }
}
