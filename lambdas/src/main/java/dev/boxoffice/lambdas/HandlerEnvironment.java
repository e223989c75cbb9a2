package dev.boxoffice.lambdas;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The environment variables a handler is constructed with: {@code System.getenv()} in AWS, the template's variables
 * plus local endpoint overrides on the local stack. A missing required variable fails construction, so a misconfigured
 * function fails its first invocation loudly instead of answering wrongly.
 */
public final class HandlerEnvironment {

  private final Map<String, String> variables;
  private final Set<String> namesRead = ConcurrentHashMap.newKeySet();

  public HandlerEnvironment(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
  }

  /** Every name a handler asked for so far, set or not: what its template entry must cover. */
  public Set<String> namesRead() {
    return Set.copyOf(namesRead);
  }

  public String required(String name) {
    return optional(name).orElseThrow(() -> new IllegalStateException("environment variable " + name + " is not set"));
  }

  public Optional<String> optional(String name) {
    namesRead.add(name);
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
