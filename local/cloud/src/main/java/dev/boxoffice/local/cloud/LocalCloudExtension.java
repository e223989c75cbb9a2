package dev.boxoffice.local.cloud;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test's constructor or methods the one {@link LocalCloud} of the test run: started on first use from the
 * repository's template (data in a temporary folder, free ports, fresh secrets), stopped and its data deleted when the
 * run ends. Use it with {@code @ExtendWith(LocalCloudExtension.class)} and a {@code LocalCloud} parameter.
 */
public final class LocalCloudExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == LocalCloud.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    return extension.getRoot().getStore(ExtensionContext.Namespace.create(LocalCloudExtension.class))
        .getOrComputeIfAbsent(TestRunCloud.class, type -> TestRunCloud.start(), TestRunCloud.class).cloud();
  }

  /** Closed by JUnit with the root store at the end of the run. */
  private record TestRunCloud(LocalCloud cloud, Path dataDir) implements AutoCloseable {

    static TestRunCloud start() {
      try {
        Path dataDir = Files.createTempDirectory("boxoffice-local-cloud");
        return new TestRunCloud(LocalCloud.start(LocalCloudSettings.forTests(dataDir)), dataDir);
      } catch (Exception e) {
        throw new IllegalStateException("the local AWS half did not start", e);
      }
    }

    @Override
    public void close() throws IOException {
      cloud.close();
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }
}
