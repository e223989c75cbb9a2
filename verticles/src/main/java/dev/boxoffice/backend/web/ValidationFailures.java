package dev.boxoffice.backend.web;

import dev.boxoffice.codecs.ErrorBody;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
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
    if (failure instanceof SchemaValidationException schema && schema.getOutputUnit() != null
        && !message.contains(" parameter ")) {
      OutputUnit culprit = deepestError(schema.getOutputUnit());
      String field = fieldOf(culprit);
      if (field != null) {
        String keyword = culprit.getKeywordLocation();
        String detail = keyword != null && keyword.endsWith("/additionalProperties")
            ? field + " is not a field of this request"
            : field + ": " + culprit.getError();
        return ErrorBody.forField("invalid_request", "The request body is invalid: " + detail, field);
      }
    }
    Matcher parameter = PARAMETER.matcher(message + " ");
    return ErrorBody.forField("invalid_request", message, parameter.find() ? parameter.group(1) : null);
  }

  /** A body whose format is unsupported has a media type the operation does not accept. */
  static boolean isUnsupportedMediaType(ValidatorException failure) {
    return failure.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT && failure.getMessage() != null
        && failure.getMessage().contains(" body ");
  }

  /**
   * The most precise error: the deepest instance location, and there the most specific keyword (JSON Schema also
   * reports the {@code properties} and {@code additionalProperties} summaries for a property whose value is invalid).
   */
  private static OutputUnit deepestError(OutputUnit root) {
    OutputUnit best = root;
    Deque<OutputUnit> pending = new ArrayDeque<>(List.of(root));
    while (!pending.isEmpty()) {
      OutputUnit unit = pending.pop();
      if (unit.getError() != null && (best.getError() == null || depth(unit) > depth(best)
          || depth(unit) == depth(best) && specificity(unit) > specificity(best))) {
        best = unit;
      }
      if (unit.getErrors() != null) {
        pending.addAll(unit.getErrors());
      }
    }
    return best;
  }

  private static int specificity(OutputUnit unit) {
    String keyword = unit.getKeywordLocation();
    return keyword == null ? 0 : (int) keyword.chars().filter(c -> c == '/').count();
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
