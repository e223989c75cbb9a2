package dev.boxoffice.backend.api;

import dev.boxoffice.codecs.ErrorBody;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a vertx-openapi validation failure into {@code 400 {code: "invalid_request", message, field}}. */
final class ValidationFailures {

  private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
  private static final Pattern PARAMETER = Pattern.compile("(?:query|path|header|cookie) parameter (\\S+?)[ .,]");

  private ValidationFailures() {
  }

  static ErrorBody toErrorBody(ValidatorException failure) {
    String message = failure.getMessage() == null ? "The request does not match the API description"
        : failure.getMessage();
    return ErrorBody.forField("invalid_request", message, field(failure, message));
  }

  private static String field(ValidatorException failure, String message) {
    if (failure instanceof SchemaValidationException schema && schema.getOutputUnit() != null
        && !message.contains(" parameter ")) {
      String fromBody = fieldOf(deepestError(schema.getOutputUnit()));
      if (fromBody != null) {
        return fromBody;
      }
    }
    Matcher parameter = PARAMETER.matcher(message + " ");
    return parameter.find() ? parameter.group(1) : null;
  }

  private static OutputUnit deepestError(OutputUnit root) {
    OutputUnit deepest = root;
    Deque<OutputUnit> pending = new ArrayDeque<>(List.of(root));
    while (!pending.isEmpty()) {
      OutputUnit unit = pending.pop();
      if (unit.getError() != null && depth(unit) >= depth(deepest)) {
        deepest = unit;
      }
      if (unit.getErrors() != null) {
        pending.addAll(unit.getErrors());
      }
    }
    return deepest;
  }

  private static int depth(OutputUnit unit) {
    String location = unit.getInstanceLocation();
    return location == null ? -1 : (int) location.chars().filter(c -> c == '/').count();
  }

  private static String fieldOf(OutputUnit unit) {
    String error = unit.getError();
    if (error != null && error.startsWith("Instance does not have required property")) {
      Matcher quoted = QUOTED.matcher(error);
      if (quoted.find()) {
        return quoted.group(1);
      }
    }
    String location = unit.getInstanceLocation();
    if (location == null) {
      return null;
    }
    String pointer = location.startsWith("#") ? location.substring(1) : location;
    String last = pointer.substring(pointer.lastIndexOf('/') + 1);
    return last.isEmpty() ? null : last.replace("~1", "/").replace("~0", "~");
  }
}
