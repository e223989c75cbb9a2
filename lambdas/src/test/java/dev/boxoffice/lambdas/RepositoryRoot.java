package dev.boxoffice.lambdas;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository the tests read, found by walking up to the root {@code pom.xml} beside {@code cloudformation/}. */
final class RepositoryRoot {

  static final String TEMPLATE_VARIABLE = "BOXOFFICE_SERVERLESS_TEMPLATE";

  private RepositoryRoot() {
  }

  static Path serverlessTemplate() {
    String override = System.getenv(TEMPLATE_VARIABLE);
    return override == null || override.isBlank() ? root().resolve("cloudformation/serverless.yaml") : Path.of(override);
  }

  private static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("cloudformation"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }
}
