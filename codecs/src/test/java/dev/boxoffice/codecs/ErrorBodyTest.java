package dev.boxoffice.codecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ErrorBodyTest {

  @Test
  @DisplayName("an error without a field is written without a field key")
  void omitsAbsentField() {
    assertThat(Json.write(ErrorBody.of("not_found", "No such event")))
        .isEqualTo("{\"code\":\"not_found\",\"message\":\"No such event\"}");
  }

  @Test
  @DisplayName("an error about one field names it and reads back equal")
  void roundTripsWithField() throws JsonProcessingException {
    ErrorBody error = ErrorBody.forField("invalid", "must be positive", "quantity");

    assertThat(Json.read(Json.write(error), ErrorBody.class)).isEqualTo(error);
  }

  @Test
  @DisplayName("unknown fields and trailing garbage are rejected, not ignored")
  void rejectsUnknownFieldsAndTrailingTokens() {
    assertThatThrownBy(() -> Json.read("{\"code\":\"a\",\"message\":\"b\",\"extra\":1}", ErrorBody.class))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> Json.read("{\"code\":\"a\",\"message\":\"b\"} x", ErrorBody.class))
        .isInstanceOf(JsonProcessingException.class);
  }
}
