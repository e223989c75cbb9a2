package dev.boxoffice.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Definitions are checked on create: every malformed shape gets a located message, none gets through or crashes. */
class DefinitionValidatorTest {

  private static final String END = "{\"Type\":\"Pass\",\"End\":true}";

  private static String machine(String stateA) {
    return "{\"StartAt\":\"A\",\"States\":{\"A\":" + stateA + ",\"B\":" + END + "}}";
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("an array", "[]", "The definition must be a JSON object"),
        Arguments.of("no States", "{\"StartAt\":\"A\"}", "The field \"States\" is required"),
        Arguments.of("StartAt naming no state", "{\"StartAt\":\"Z\",\"States\":{\"A\":" + END + "}}",
            "Missing 'Next' target: Z at /StartAt"),
        Arguments.of("a Type that is not a string", machine("{\"Type\":5}"), "The field \"Type\" must be a string"),
        Arguments.of("a choice rule with two operators", machine("{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":"
            + "\"$.x\",\"StringEquals\":\"a\",\"NumericEquals\":1,\"Next\":\"B\"}]}"), "exactly one comparison"),
        Arguments.of("a choice rule without Next", machine("{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":"
            + "\"$.x\",\"IsNull\":true}],\"Default\":\"B\"}"), "/States/A/Choices[0]/Next"),
        Arguments.of("Not holding a number", machine("{\"Type\":\"Choice\",\"Choices\":[{\"Not\":5,\"Next\":\"B\"}]}"),
            "A choice rule must be an object at /States/A/Choices[0]/Not"),
        Arguments.of("a NumericEquals string", machine("{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.x\","
            + "\"NumericEquals\":\"1\",\"Next\":\"B\"}]}"), "NumericEquals must be a number"),
        Arguments.of("ErrorEquals holding a number", machine("{\"Type\":\"Task\",\"Resource\":"
            + "\"arn:aws:states:::lambda:invoke\",\"Retry\":[{\"ErrorEquals\":[5]}],\"Next\":\"B\"}"),
            "ErrorEquals must hold error names"),
        Arguments.of("States.ALL before another retrier", machine("{\"Type\":\"Task\",\"Resource\":"
            + "\"arn:aws:states:::lambda:invoke\",\"Retry\":[{\"ErrorEquals\":[\"States.ALL\"]},{\"ErrorEquals\":"
            + "[\"X\"]}],\"Next\":\"B\"}"), "States.ALL must appear alone in the last Retry"),
        Arguments.of("a Catch without Next", machine("{\"Type\":\"Task\",\"Resource\":"
            + "\"arn:aws:states:::lambda:invoke\",\"Catch\":[{\"ErrorEquals\":[\"X\"]}],\"Next\":\"B\"}"),
            "/States/A/Catch[0]/Next"),
        Arguments.of("a resource that is not an ARN", machine("{\"Type\":\"Task\",\"Resource\":\"lambda\","
            + "\"Next\":\"B\"}"), "Value is not a valid resource ARN"),
        Arguments.of("a negative HeartbeatSeconds", machine("{\"Type\":\"Task\",\"Resource\":"
            + "\"arn:aws:states:::lambda:invoke\",\"HeartbeatSeconds\":-5,\"Next\":\"B\"}"),
            "HeartbeatSeconds must be a positive integer"),
        Arguments.of("Wait with two durations", machine("{\"Type\":\"Wait\",\"Seconds\":1,\"SecondsPath\":\"$.s\","
            + "\"Next\":\"B\"}"), "exactly one of Seconds"),
        Arguments.of("Wait seconds as text", machine("{\"Type\":\"Wait\",\"Seconds\":\"ten\",\"Next\":\"B\"}"),
            "Seconds must be a non-negative integer"),
        Arguments.of("an empty Parallel", machine("{\"Type\":\"Parallel\",\"Branches\":[],\"Next\":\"B\"}"),
            "The field \"Branches\" is required"),
        Arguments.of("a branch with a dangling Next", machine("{\"Type\":\"Parallel\",\"Next\":\"B\",\"Branches\":"
            + "[{\"StartAt\":\"X\",\"States\":{\"X\":{\"Type\":\"Pass\",\"Next\":\"Y\"}}}]}"),
            "Missing 'Next' target: Y at /States/A/Branches[0]/States/X/Next"),
        Arguments.of("a distributed Map", machine("{\"Type\":\"Map\",\"Next\":\"B\",\"ItemProcessor\":{"
            + "\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\"},\"StartAt\":\"X\",\"States\":{\"X\":" + END + "}}}"),
            "Only the INLINE Map mode is supported locally"),
        Arguments.of("a MaxConcurrency as text", machine("{\"Type\":\"Map\",\"MaxConcurrency\":\"x\",\"Next\":\"B\","
            + "\"ItemProcessor\":{\"StartAt\":\"X\",\"States\":{\"X\":" + END + "}}}"),
            "MaxConcurrency must be a non-negative integer"),
        Arguments.of("a non-reference ResultPath", machine("{\"Type\":\"Pass\",\"ResultPath\":\"$.a[*]\","
            + "\"Next\":\"B\"}"), "must be a valid ReferencePath"),
        Arguments.of("a Parameters path that is not JSONPath", machine("{\"Type\":\"Pass\",\"Parameters\":{"
            + "\"a.$\":\"items\"},\"Next\":\"B\"}"), "'a.$' must be a valid JSONPath"),
        Arguments.of("a JSONPath field in a JSONata state", "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"A\","
            + "\"States\":{\"A\":{\"Type\":\"Pass\",\"InputPath\":\"$.a\",\"End\":true}}}",
            "The field \"InputPath\" is not supported for the JSONata query language"),
        Arguments.of("a JSONata Choice without Condition", "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"A\","
            + "\"States\":{\"A\":{\"Type\":\"Choice\",\"Choices\":[{\"Next\":\"B\"}]},\"B\":" + END + "}}",
            "The field \"Condition\" must be a JSONata expression"),
        Arguments.of("a Fail Error that is a number", "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Fail\","
            + "\"Error\":5}}}", "Error must be a string"),
        Arguments.of("a machine TimeoutSeconds as text", "{\"TimeoutSeconds\":\"x\",\"StartAt\":\"A\",\"States\":"
            + "{\"A\":" + END + "}}", "TimeoutSeconds must be a positive integer at /TimeoutSeconds"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  @DisplayName("a malformed definition is refused with a message that says what and where")
  void refused(String description, String definition, String expectedMessage) {
    List<String> problems = DefinitionValidator.validate(Json.parse(definition));
    assertThat(problems).as(description).anySatisfy(problem -> assertThat(problem).contains(expectedMessage));
  }

  @Test
  @DisplayName("a definition using every state type and both query languages passes")
  void validDefinition() {
    String definition = """
        {"StartAt":"Pass","TimeoutSeconds":60,"States":{
          "Pass":{"Type":"Pass","Parameters":{"a.$":"$.a","f.$":"States.Format('{}', $.a)"},"Next":"Choice"},
          "Choice":{"Type":"Choice","Choices":[{"And":[{"Variable":"$.a","IsPresent":true},
            {"Not":{"Variable":"$.a","StringMatches":"x*"}}],"Next":"Wait"}],"Default":"Fail"},
          "Wait":{"Type":"Wait","Seconds":0,"Next":"Task"},
          "Task":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,
            "Retry":[{"ErrorEquals":["Busy"],"MaxAttempts":2},{"ErrorEquals":["States.ALL"]}],
            "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Fail"}],"Next":"Parallel"},
          "Parallel":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Succeed"}}}],
            "Next":"Map"},
          "Map":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,"ToleratedFailurePercentage":10,
            "ItemProcessor":{"StartAt":"Y","States":{"Y":{"Type":"Pass","QueryLanguage":"JSONPath","End":true}}},
            "Next":"Jsonata"},
          "Jsonata":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $states.input %}",
            "Assign":{"v":"{% 1 %}"},"Next":"Done"},
          "Done":{"Type":"Succeed"},
          "Fail":{"Type":"Fail","Error":"Failed","Cause":"why"}}}""";
    assertThat(DefinitionValidator.validate(Json.parse(definition))).isEmpty();
  }
}
