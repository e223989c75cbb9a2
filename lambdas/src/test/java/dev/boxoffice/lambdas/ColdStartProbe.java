package dev.boxoffice.lambdas;

import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudSettings;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Measures a cold start of create-ticket locally: starts the local AWS half, then runs {@link ColdStartChild} in fresh
 * JVMs on the shaded jar alone, the handler built by its no-arg constructor from the process environment (the
 * function's environment on the local stack) as in AWS. Not a test;
 * run from {@code lambdas/} after {@code mvn package} with the test classpath, e.g. {@code mvn -q
 * org.codehaus.mojo:exec-maven-plugin:3.5.1:java -Dexec.mainClass=dev.boxoffice.lambdas.ColdStartProbe
 * -Dexec.classpathScope=test}.
 * Extra arguments are JVM options for the children (e.g. {@code -XX:TieredStopAtLevel=1}, as Lambda's Java runtimes use).
 */
public final class ColdStartProbe {

  private static final int RUNS = 5;

  private ColdStartProbe() {
  }

  public static void main(String[] jvmOptions) throws Exception {
    Path jar = Path.of("target/boxoffice-lambdas.jar").toAbsolutePath();
    Path probeClasses = Path.of("target/test-classes").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing; run mvn -pl lambdas package first");
    }
    Path dataDir = Files.createTempDirectory("boxoffice-cold-start");
    try (LocalCloud aws = LocalCloud.start(LocalCloudSettings.forTests(dataDir))) {
      String java = ProcessHandle.current().info().command().orElse("java");
      for (int run = 1; run <= RUNS; run++) {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", jar + File.pathSeparator + probeClasses, ColdStartChild.class.getName()));
        ProcessBuilder child = new ProcessBuilder(command).inheritIO();
        child.environment().putAll(aws.functionEnvironment("CreateTicketFunction"));
        System.out.print("run " + run + ": ");
        System.out.flush();
        if (child.start().waitFor() != 0) {
          throw new IllegalStateException("the cold-start child failed");
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }
}
