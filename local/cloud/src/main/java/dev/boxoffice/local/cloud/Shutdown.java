package dev.boxoffice.local.cloud;

import org.slf4j.Logger;

/** Stops things one after the other, each even when one before it failed, and logs what did not stop cleanly. */
final class Shutdown {

  /** A step that may throw anything. */
  interface Step {
    void run() throws Exception;
  }

  private final Logger log;

  Shutdown(Logger log) {
    this.log = log;
  }

  void run(String what, Step step) {
    try {
      step.run();
    } catch (Exception e) {
      log.warn("{} did not stop cleanly", what, e);
    }
  }
}
