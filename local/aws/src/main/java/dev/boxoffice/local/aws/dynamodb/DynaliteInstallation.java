package dev.boxoffice.local.aws.dynamodb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Where dynalite is installed: {@code node_modules} of the local-aws module, filled by {@code npm ci} from its
 * lockfile when missing. The module folder is {@code $BOXOFFICE_LOCAL_AWS_DIR}, or {@code local/aws} under the
 * repository root found by walking up from the working directory to the folder holding {@code cloudformation/} and the
 * root {@code pom.xml}.
 */
public final class DynaliteInstallation {

  public static final String MODULE_DIR_VARIABLE = "BOXOFFICE_LOCAL_AWS_DIR";

  private final Path moduleDir;

  public DynaliteInstallation(Path moduleDir) {
    this.moduleDir = moduleDir.toAbsolutePath().normalize();
  }

  public static DynaliteInstallation locate() {
    String override = System.getenv(MODULE_DIR_VARIABLE);
    if (override != null && !override.isBlank()) {
      return new DynaliteInstallation(Path.of(override));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve("local/aws/package.json"))) {
        return new DynaliteInstallation(dir.resolve("local/aws"));
      }
    }
    throw new IllegalStateException("cannot find local/aws/package.json above " + Path.of("").toAbsolutePath()
        + "; set " + MODULE_DIR_VARIABLE);
  }

  public Path moduleDir() {
    return moduleDir;
  }

  /** The dynalite command-line entry point, running {@code npm ci} first when it is not installed yet. */
  Path cliScript() throws IOException {
    Path cli = moduleDir.resolve("node_modules/dynalite/cli.js");
    if (!Files.isRegularFile(cli)) {
      npmCi();
    }
    if (!Files.isRegularFile(cli)) {
      throw new IOException("npm ci in " + moduleDir + " did not install dynalite");
    }
    return cli;
  }

  private void npmCi() throws IOException {
    Path log = Files.createTempFile("boxoffice-npm-ci", ".log");
    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
        .directory(moduleDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    try {
      if (!npm.waitFor(5, TimeUnit.MINUTES)) {
        npm.destroyForcibly();
        throw new IOException("npm ci in " + moduleDir + " took longer than 5 minutes");
      }
    } catch (InterruptedException e) {
      npm.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while npm ci ran in " + moduleDir, e);
    }
    if (npm.exitValue() != 0) {
      throw new IOException("npm ci in " + moduleDir + " failed (exit " + npm.exitValue() + "):\n"
          + Files.readString(log));
    }
    Files.deleteIfExists(log);
  }
}
