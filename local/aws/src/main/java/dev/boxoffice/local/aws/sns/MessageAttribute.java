package dev.boxoffice.local.aws.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Publish message attribute: its data type (String, Number, Binary, String.Array, each optionally with a custom
 * suffix such as String.orderId) and its value.
 */
record MessageAttribute(String dataType, String value) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,256}");
  private static final int MAX_ATTRIBUTES = 10;
  private static final BigDecimal NUMBER_LIMIT = new BigDecimal("1E9");

  String baseType() {
    int dot = dataType.indexOf('.');
    String base = dot < 0 ? dataType : dataType.substring(0, dot);
    return dataType.startsWith("String.Array") ? "String.Array" : base;
  }

  /** Bytes counted against the 256 KiB message limit, as AWS counts them: name, type and value. */
  int size(String name) {
    return name.getBytes(StandardCharsets.UTF_8).length + dataType.getBytes(StandardCharsets.UTF_8).length
        + value.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * Reads and validates {@code <prefix>MessageAttributes.entry.N.Name / Value.DataType / Value.StringValue|BinaryValue}
   * ({@code prefix} is empty for Publish, {@code PublishBatchRequestEntries.member.N.} for a batch entry).
   */
  static Map<String, MessageAttribute> parse(QueryRequest request, String prefix) {
    Map<String, Map<String, String>> raw = request.structureMap(prefix + "MessageAttributes", "Name", "Value");
    if (raw.size() > MAX_ATTRIBUTES) {
      throw SnsException.invalidParameterValue(
          "Number of message attributes [" + raw.size() + "] exceeds the allowed maximum [" + MAX_ATTRIBUTES + "].");
    }
    Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
    raw.forEach((name, members) -> attributes.put(name, validated(name, members)));
    return attributes;
  }

  private static MessageAttribute validated(String name, Map<String, String> members) {
    if (!NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".") || name.contains("..")
        || name.startsWith("AWS.") || name.startsWith("Amazon.")) {
      throw SnsException.invalidParameterValue("The message attribute name '" + name + "' is invalid.");
    }
    String dataType = members.getOrDefault("DataType", "");
    if (dataType.isEmpty()) {
      throw SnsException.invalidParameterValue(
          "The message attribute '" + name + "' must contain a non-empty message attribute type.");
    }
    MessageAttribute attribute = switch (typePrefix(dataType)) {
      case "Binary" -> new MessageAttribute(dataType, nonEmpty(name, dataType, members.get("BinaryValue")));
      case "String", "Number" -> new MessageAttribute(dataType, nonEmpty(name, dataType, members.get("StringValue")));
      default -> throw SnsException.invalidParameterValue("The message attribute '" + name
          + "' has an invalid message attribute type, "
          + "the set of supported type prefixes is Binary, Number, and String.");
    };
    attribute.checkValue(name);
    return attribute;
  }

  private static String typePrefix(String dataType) {
    for (String prefix : new String[] {"String", "Number", "Binary"}) {
      if (dataType.equals(prefix) || dataType.startsWith(prefix + ".")) {
        return prefix;
      }
    }
    return "";
  }

  private static String nonEmpty(String name, String dataType, String value) {
    if (value == null || value.isEmpty()) {
      throw SnsException.invalidParameterValue("The message attribute '" + name
          + "' must contain non-empty message attribute value for message attribute type '" + dataType + "'.");
    }
    return value;
  }

  private void checkValue(String name) {
    switch (baseType()) {
      case "Number" -> {
        BigDecimal number = number();
        if (number == null || number.abs().compareTo(NUMBER_LIMIT) > 0 || Math.max(number.scale(), 0) > 5) {
          throw SnsException.invalidParameterValue("Could not cast message attribute '" + name
              + "' value to number (a number from -1e9 to 1e9 with up to 5 decimal places).");
        }
      }
      case "String.Array" -> {
        JsonNode array = array();
        if (array == null) {
          throw SnsException.invalidParameterValue("The message attribute '" + name
              + "' with type 'String.Array' must be a JSON array of strings, numbers, booleans or nulls.");
        }
      }
      case "Binary" -> {
        try {
          Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
          throw SnsException.invalidParameterValue("The message attribute '" + name + "' is not valid base64 binary.");
        }
      }
      default -> {
      }
    }
  }

  BigDecimal number() {
    try {
      return new BigDecimal(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The elements of a String.Array value, or null when the value is not a flat JSON array. */
  JsonNode array() {
    try {
      JsonNode node = JSON.readTree(value);
      if (node == null || !node.isArray()) {
        return null;
      }
      for (JsonNode element : node) {
        if (element.isContainerNode()) {
          return null;
        }
      }
      return node;
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
