package dev.boxoffice.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The intrinsic functions and AWS's JSONata functions that the recorded conformance cases do not reach. */
class IntrinsicsAndJsonataTest {

  private static final JsonNode INPUT = Json.parse("""
      {"list":[1,1,"a","a",{"k":1},{"k":1},[2],[2],null],"left":{"a":1,"b":{"x":1}},"right":{"b":{"y":2},"c":3},
       "text":"tickets & seats"}""");
  private static final JsonNode CONTEXT = Json.parse("{\"Execution\":{\"Name\":\"run-1\"}}");

  private static JsonNode intrinsic(String call) {
    return StatesIntrinsics.evaluate(call, new StatesIntrinsics.Sources(INPUT, CONTEXT, Map.of(),
        new Payloads.Site("State", 2)));
  }

  private static JsonNode jsonata(String expression) {
    return JsonataEvaluator.evaluate(expression, Json.object().set("input", INPUT), Map.of(), "State", 2,
        "Output");
  }

  @Test
  @DisplayName("States.ArrayUnique keeps the first of each equal value, in order")
  void arrayUnique() {
    assertThat(intrinsic("States.ArrayUnique($.list)")).isEqualTo(Json.parse("[1,\"a\",{\"k\":1},[2],null]"));
  }

  @Test
  @DisplayName("States.JsonMerge merges shallowly, the second object winning, and refuses deep merges")
  void jsonMerge() {
    assertThat(intrinsic("States.JsonMerge($.left, $.right, false)"))
        .isEqualTo(Json.parse("{\"a\":1,\"b\":{\"y\":2},\"c\":3}"));
    assertThatThrownBy(() -> intrinsic("States.JsonMerge($.left, $.right, true)"))
        .isInstanceOfSatisfying(StatesError.class,
            error -> assertThat(error.error()).isEqualTo(StatesError.INTRINSIC_FAILURE));
  }

  @Test
  @DisplayName("Base64 encoding round-trips, Hash gives lowercase hex, UUID is a random v4 UUID")
  void encodingHashingAndIds() {
    assertThat(intrinsic("States.Base64Decode(States.Base64Encode($.text))").textValue())
        .isEqualTo("tickets & seats");
    assertThat(intrinsic("States.Hash('abc', 'SHA-256')").textValue())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(intrinsic("States.UUID()").textValue())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  @Test
  @DisplayName("States.MathRandom stays within [start, end) and repeats itself for the same seed")
  void mathRandom() {
    for (int i = 0; i < 100; i++) {
      assertThat(intrinsic("States.MathRandom(5, 8)").intValue()).isBetween(5, 7);
    }
    assertThat(intrinsic("States.MathRandom(0, 1000, 42)")).isEqualTo(intrinsic("States.MathRandom(0, 1000, 42)"));
  }

  @Test
  @DisplayName("States.Format takes escaped braces literally and reads the context object")
  void formatEscapes() {
    assertThat(intrinsic("States.Format('\\\\{literal\\\\} {}', $$.Execution.Name)").textValue())
        .isEqualTo("{literal} run-1");
    assertThatThrownBy(() -> intrinsic("States.Format('{} {}', 1)")).isInstanceOf(StatesError.class);
  }

  @Test
  @DisplayName("a missing path in an intrinsic argument is a States.Runtime error, not a crash")
  void missingPath() {
    assertThatThrownBy(() -> intrinsic("States.ArrayLength($.nothing)"))
        .isInstanceOfSatisfying(StatesError.class,
            error -> assertThat(error.error()).isEqualTo(StatesError.RUNTIME));
  }

  @Test
  @DisplayName("JSONata gets AWS's $hash, $uuid, $random, $range and $parse")
  void awsJsonataFunctions() {
    assertThat(jsonata("$hash('abc', 'SHA-256')").textValue())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(jsonata("$uuid()").textValue()).hasSize(36);
    assertThat(jsonata("$random()").doubleValue()).isBetween(0.0, 1.0);
    assertThat(jsonata("$range(0, 6, 2)")).isEqualTo(Json.parse("[0,2,4,6]"));
    assertThat(jsonata("$parse('{\"a\":[1,2.5]}')")).isEqualTo(Json.parse("{\"a\":[1,2.5]}"));
    assertThat(jsonata("$states.input.left.a + 0.5")).isEqualTo(Json.parse("1.5"));
  }

  @Test
  @DisplayName("a JSONata error names the state, the field and the JSONata error code")
  void jsonataErrors() {
    assertThatThrownBy(() -> jsonata("$nope()"))
        .isInstanceOfSatisfying(StatesError.class, error -> {
          assertThat(error.error()).isEqualTo(StatesError.QUERY_EVALUATION_ERROR);
          assertThat(error.cause()).isEqualTo("An error occurred while executing the state 'State' (entered at "
              + "the event id #2). The JSONata expression '$nope()' specified for the field 'Output' threw an "
              + "error during evaluation. T1006: Attempted to invoke a non-function");
        });
  }
}
