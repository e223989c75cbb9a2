package dev.boxoffice.local.aws;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates files of the repository from the tests: the serverless template and the test-only resources. */
public final class RepositoryFiles {

  public static final String TEMPLATE_VARIABLE = "BOXOFFICE_SERVERLESS_TEMPLATE";

  private RepositoryFiles() {
  }

  public static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("cloudformation"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no repository root (pom.xml beside cloudformation/) above "
        + Path.of("").toAbsolutePath());
  }

  /** The serverless template, {@code $BOXOFFICE_SERVERLESS_TEMPLATE} when set. */
  public static Path serverlessTemplate() {
    String override = System.getenv(TEMPLATE_VARIABLE);
    return override == null || override.isBlank()
        ? root().resolve("cloudformation/serverless.yaml")
        : Path.of(override);
  }

  public static Path testResource(String name) {
    try {
      return Path.of(RepositoryFiles.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
