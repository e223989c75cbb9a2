package dev.boxoffice.codecs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * The JSON body of every 4xx/5xx answer, from the backend and the Lambda handlers alike:
 * {@code {"code": "...", "message": "...", "field": "..."}} with {@code field} only when one input field is at fault.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String code, String message, String field) {

  public ErrorBody {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  public static ErrorBody of(String code, String message) {
    return new ErrorBody(code, message, null);
  }

  public static ErrorBody forField(String code, String message, String field) {
    return new ErrorBody(code, message, field);
  }
}
