package dev.boxoffice.lambdas;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Gives tests the one {@link LocalAws} of the run: started on first use, closed when the whole run ends. */
public final class LocalAwsExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == LocalAws.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    return extension.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(LocalAws.class, type -> {
          try {
            return LocalAws.start();
          } catch (Exception e) {
            throw new IllegalStateException("the local AWS endpoints did not start", e);
          }
        }, LocalAws.class);
  }
}
