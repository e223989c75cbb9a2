package dev.boxoffice.local.stepfunctions;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the ASL conformance cases: the shared set in {@code <project root>/../shared/asl-conformance/cases}, and the
 * engine's own cases in the test resources.
 */
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

  /** The engine's own cases, in the same format, from {@code src/test/resources/asl-conformance/cases}. */
  static Path engineDirectory() {
    URL cases = ConformanceCases.class.getResource("/asl-conformance/cases");
    if (cases == null) {
      throw new IllegalStateException("No asl-conformance/cases on the test class path");
    }
    try {
      return Path.of(cases.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The directory holding the root pom.xml: the topmost directory with a pom.xml above the working directory (module
   * directories such as local/stepfunctions sit below folders without one).
   */
  static Path projectRoot() {
    Path root = null;
    for (Path current = Path.of("").toAbsolutePath(); current != null; current = current.getParent()) {
      if (Files.isRegularFile(current.resolve("pom.xml"))) {
        root = current;
      }
    }
    if (root == null) {
      throw new IllegalStateException("No pom.xml in " + Path.of("").toAbsolutePath() + " or above");
    }
    return root;
  }
}
