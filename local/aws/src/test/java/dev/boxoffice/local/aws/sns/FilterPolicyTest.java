package dev.boxoffice.local.aws.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("SNS filter policies follow the AWS matching rules and limits")
class FilterPolicyTest {

  private static final Map<String, MessageAttribute> ORDER = attributes(
      "store", "String", "example_corp",
      "event", "String", "order_placed",
      "customer_interests", "String.Array", "[\"soccer\", \"rugby\", 7]",
      "price_usd", "Number", "210.75",
      "encrypted", "Binary", "AAEC");

  static Stream<Arguments> attributePolicies() {
    return Stream.of(
        row("exact string", "{\"store\":[\"example_corp\"]}", true),
        row("exact string is case sensitive", "{\"store\":[\"Example_Corp\"]}", false),
        row("one of several strings", "{\"store\":[\"other\",\"example_corp\"]}", true),
        row("exact number against a Number attribute", "{\"price_usd\":[210.75]}", true),
        row("exact number written differently", "{\"price_usd\":[2.1075e2]}", true),
        row("a string never matches a Number attribute", "{\"price_usd\":[\"210.75\"]}", false),
        row("prefix", "{\"event\":[{\"prefix\":\"order_\"}]}", true),
        row("prefix that does not start the value", "{\"event\":[{\"prefix\":\"placed\"}]}", false),
        row("suffix", "{\"event\":[{\"suffix\":\"_placed\"}]}", true),
        row("equals-ignore-case", "{\"store\":[{\"equals-ignore-case\":\"EXAMPLE_CORP\"}]}", true),
        row("anything-but a list that holds the value", "{\"store\":[{\"anything-but\":[\"example_corp\",\"x\"]}]}", false),
        row("anything-but a list without the value", "{\"store\":[{\"anything-but\":[\"other\"]}]}", true),
        row("anything-but a single string", "{\"event\":[{\"anything-but\":\"order_cancelled\"}]}", true),
        row("anything-but a number", "{\"price_usd\":[{\"anything-but\":[210.75]}]}", false),
        row("anything-but a prefix the value has", "{\"event\":[{\"anything-but\":{\"prefix\":\"order\"}}]}", false),
        row("anything-but a prefix the value lacks", "{\"event\":[{\"anything-but\":{\"prefix\":\"refund\"}}]}", true),
        row("anything-but never matches a missing attribute", "{\"missing\":[{\"anything-but\":[\"x\"]}]}", false),
        row("numeric range containing the value", "{\"price_usd\":[{\"numeric\":[\">\",100,\"<=\",210.75]}]}", true),
        row("numeric range excluding the value", "{\"price_usd\":[{\"numeric\":[\">\",0,\"<\",210.75]}]}", false),
        row("numeric equals", "{\"price_usd\":[{\"numeric\":[\"=\",210.75]}]}", true),
        row("numeric lower bound only", "{\"price_usd\":[{\"numeric\":[\">=\",300]}]}", false),
        row("numeric does not apply to a String attribute", "{\"store\":[{\"numeric\":[\">\",0]}]}", false),
        row("exists true on a present attribute", "{\"store\":[{\"exists\":true}]}", true),
        row("exists true on a missing attribute", "{\"coupon\":[{\"exists\":true}]}", false),
        row("exists false on a missing attribute", "{\"coupon\":[{\"exists\":false}]}", true),
        row("exists false on a present attribute", "{\"store\":[{\"exists\":false}]}", false),
        row("String.Array matches when any element does", "{\"customer_interests\":[\"rugby\"]}", true),
        row("String.Array with numbers", "{\"customer_interests\":[7]}", true),
        row("String.Array without the value", "{\"customer_interests\":[\"tennis\"]}", false),
        row("a missing attribute does not match an exact value", "{\"coupon\":[\"WELCOME\"]}", false),
        row("Binary attributes are not filterable", "{\"encrypted\":[{\"exists\":true}]}", false),
        row("every key must match", "{\"store\":[\"example_corp\"],\"event\":[\"order_cancelled\"]}", false),
        row("$or takes any alternative", "{\"store\":[\"example_corp\"],\"$or\":[{\"event\":[\"nope\"]},"
            + "{\"price_usd\":[{\"numeric\":[\">\",200]}]}]}", true),
        row("$or with no matching alternative", "{\"$or\":[{\"event\":[\"nope\"]},{\"store\":[\"nope\"]}]}", false),
        row("an empty policy matches everything", "{}", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attributePolicies")
  @DisplayName("a MessageAttributes policy matches the AWS documentation's examples")
  void matchesAttributes(String description, String policy, boolean expected) {
    FilterPolicy filter = FilterPolicy.parse(policy, FilterPolicy.SCOPE_ATTRIBUTES);

    assertThat(filter.matches(ORDER, "any body")).as(description).isEqualTo(expected);
  }

  static Stream<Arguments> bodyPolicies() {
    return Stream.of(
        row("nested exact string", "{\"order\":{\"status\":[\"placed\"]}}", true),
        row("nested key on another value", "{\"order\":{\"status\":[\"cancelled\"]}}", false),
        row("deeply nested number range", "{\"order\":{\"total\":{\"amount\":[{\"numeric\":[\">\",10]}]}}}", true),
        row("array in the body matches any element", "{\"tags\":[\"vip\"]}", true),
        row("null matches an explicit null", "{\"coupon\":[null]}", true),
        row("boolean value", "{\"gift\":[true]}", true),
        row("exists false on a missing nested key", "{\"order\":{\"refund\":[{\"exists\":false}]}}", true),
        row("nested key under a missing object", "{\"refund\":{\"id\":[{\"exists\":true}]}}", false),
        row("top-level $or over nested keys", "{\"$or\":[{\"order\":{\"status\":[\"x\"]}},{\"tags\":[\"new\"]}]}", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodyPolicies")
  @DisplayName("a MessageBody policy matches keys nested in the JSON message")
  void matchesBody(String description, String policy, boolean expected) {
    String body = "{\"order\":{\"status\":\"placed\",\"total\":{\"amount\":42.5}},\"tags\":[\"vip\",\"new\"],"
        + "\"coupon\":null,\"gift\":true}";
    FilterPolicy filter = FilterPolicy.parse(policy, FilterPolicy.SCOPE_BODY);

    assertThat(filter.matches(Map.of(), body)).as(description).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodyPolicies")
  @DisplayName("a MessageBody policy matches nothing when the message is not a JSON object")
  void bodyPolicyNeedsJson(String description, String policy, boolean ignored) {
    FilterPolicy filter = FilterPolicy.parse(policy, FilterPolicy.SCOPE_BODY);

    assertThat(filter.matches(Map.of(), "plain text")).as(description).isFalse();
  }

  static Stream<Arguments> invalidPolicies() {
    return Stream.of(
        Arguments.of("not JSON", "{\"store\":", FilterPolicy.SCOPE_ATTRIBUTES),
        Arguments.of("not an object", "[\"store\"]", FilterPolicy.SCOPE_ATTRIBUTES),
        Arguments.of("a bare value instead of a list", "{\"store\":\"example_corp\"}", FilterPolicy.SCOPE_ATTRIBUTES),
        Arguments.of("an empty list", "{\"store\":[]}", FilterPolicy.SCOPE_ATTRIBUTES),
        Arguments.of("an unknown match type", "{\"store\":[{\"wildcard\":\"*\"}]}", FilterPolicy.SCOPE_ATTRIBUTES),
        Arguments.of("a prefix that is not a string", "{\"store\":[{\"prefix\":5}]}", FilterPolicy.SCOPE_ATTRIBUTES),
        Arguments.of("a bad numeric operator", "{\"p\":[{\"numeric\":[\"!=\",5]}]}", FilterPolicy.SCOPE_ATTRIBUTES),
        Arguments.of("a range upside down", "{\"p\":[{\"numeric\":[\">\",5,\"<\",1]}]}", FilterPolicy.SCOPE_ATTRIBUTES),
        Arguments.of("a range with two lower bounds", "{\"p\":[{\"numeric\":[\">\",1,\">\",5]}]}", FilterPolicy.SCOPE_ATTRIBUTES),
        Arguments.of("a number beyond 1e9", "{\"p\":[1000000001]}", FilterPolicy.SCOPE_ATTRIBUTES),
        Arguments.of("exists that is not a boolean", "{\"p\":[{\"exists\":\"yes\"}]}", FilterPolicy.SCOPE_ATTRIBUTES),
        Arguments.of("a nested object with the MessageAttributes scope", "{\"a\":{\"b\":[\"c\"]}}", FilterPolicy.SCOPE_ATTRIBUTES),
        Arguments.of("$or with one alternative", "{\"$or\":[{\"a\":[\"b\"]}]}", FilterPolicy.SCOPE_ATTRIBUTES),
        Arguments.of("more than 5 keys", "{\"a\":[1],\"b\":[1],\"c\":[1],\"d\":[1],\"e\":[1],\"f\":[1]}", FilterPolicy.SCOPE_ATTRIBUTES),
        Arguments.of("more than 150 combinations", "{\"a\":[1,2,3,4,5,6],\"b\":[1,2,3,4,5],\"c\":[1,2,3,4,5,6]}", FilterPolicy.SCOPE_ATTRIBUTES),
        Arguments.of("an unknown scope", "{\"a\":[\"b\"]}", "MessageHeaders"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPolicies")
  @DisplayName("a policy AWS would reject answers InvalidParameter with the reason")
  void rejectsInvalid(String description, String policy, String scope) {
    assertThatThrownBy(() -> FilterPolicy.parse(policy, scope))
        .as(description)
        .isInstanceOfSatisfying(SnsException.class, error -> {
          assertThat(error.status()).isEqualTo(400);
          assertThat(error.code()).isEqualTo("InvalidParameter");
          assertThat(error.getMessage()).startsWith("Invalid parameter: FilterPolicy");
        });
  }

  private static Arguments row(String description, String policy, boolean expected) {
    return Arguments.of(description, policy, expected);
  }

  private static Map<String, MessageAttribute> attributes(String... nameTypeValue) {
    Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
    for (int index = 0; index < nameTypeValue.length; index += 3) {
      attributes.put(nameTypeValue[index], new MessageAttribute(nameTypeValue[index + 1], nameTypeValue[index + 2]));
    }
    return attributes;
  }
}
