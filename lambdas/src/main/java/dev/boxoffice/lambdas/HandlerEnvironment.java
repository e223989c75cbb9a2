package dev.boxoffice.lambdas;

import java.util.Map;
import java.util.Optional;

/**
 * The environment variables a handler is constructed with: {@code System.getenv()} in AWS, the template's variables
 * plus local endpoint overrides on the local stack. A missing required variable fails construction, so a misconfigured
 * function fails its first invocation loudly instead of answering wrongly.
 */
public final class HandlerEnvironment {

  private final Map<String, String> variables;

  public HandlerEnvironment(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
  }

  public String required(String name) {
    return optional(name).orElseThrow(() -> new IllegalStateException("environment variable " + name + " is not set"));
  }

  public Optional<String> optional(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  public int integer(String name, int defaultValue) {
    return optional(name).map(value -> {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalStateException("environment variable " + name + " is not an integer: " + value, e);
      }
    }).orElse(defaultValue);
  }
}
