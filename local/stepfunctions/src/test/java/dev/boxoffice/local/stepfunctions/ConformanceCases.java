package dev.boxoffice.local.stepfunctions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared ASL conformance cases: {@code <project root>/../shared/asl-conformance/cases}. */
final class ConformanceCases {

  static final String DIRECTORY_VARIABLE = "BOXOFFICE_ASL_CONFORMANCE_DIR";

  private ConformanceCases() {
  }

  /** The cases directory, whether or not it exists. */
  static Path directory() {
    String override = System.getenv(DIRECTORY_VARIABLE);
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    return projectRoot().resolve("../shared/asl-conformance/cases").normalize();
  }

  /** The directory holding the root pom.xml: the topmost one on the way up that has a pom.xml. */
  static Path projectRoot() {
    Path current = Path.of("").toAbsolutePath();
    Path root = null;
    while (current != null) {
      if (Files.isRegularFile(current.resolve("pom.xml"))) {
        root = current;
      }
      current = current.getParent();
    }
    if (root == null) {
      throw new IllegalStateException("No pom.xml above " + Path.of("").toAbsolutePath());
    }
    return root;
  }
}
