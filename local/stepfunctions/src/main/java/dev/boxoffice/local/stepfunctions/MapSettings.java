package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The numbers that configure a Map state (MaxConcurrency, ToleratedFailureCount, ToleratedFailurePercentage) and its
 * items, checked at run time with the error texts AWS records.
 */
final class MapSettings {

  static final String INPUT_NOT_ARRAY = "Map state input must be an array but was: ";

  private MapSettings() {
  }

  /** One setting's value, and the reference path it was read from ({@code MaxConcurrencyPath}), if any. */
  record Setting(String field, JsonNode value, String path) {
  }

  static Integer maxConcurrency(Setting setting, Payloads.Site site) {
    Integer value = integer(setting, site);
    if (value != null && value < 0) {
      throw site.runtime("MaxConcurrency cannot be negative.");
    }
    return value;
  }

  static Integer toleratedFailureCount(Setting setting, Payloads.Site site) {
    Integer value = integer(setting, site);
    if (value != null && value < 0) {
      throw site.runtime("ToleratedFailureCount cannot be negative.");
    }
    return value;
  }

  static Float toleratedFailurePercentage(Setting setting, Payloads.Site site) {
    if (setting == null) {
      return null;
    }
    float value;
    try {
      value = Float.parseFloat(Values.javaText(setting.value()));
    } catch (NumberFormatException e) {
      throw notA("float", setting, site);
    }
    if (!(value >= 0 && value <= 100)) {
      throw site.runtime("ToleratedFailurePercentage must be between 0 and 100.");
    }
    return value;
  }

  /** AWS reads the setting's text as a Java int, so {@code "2"} is 2 and {@code 1.5} or {@code {}} are refused. */
  private static Integer integer(Setting setting, Payloads.Site site) {
    if (setting == null) {
      return null;
    }
    try {
      return Integer.parseInt(Values.javaText(setting.value()));
    } catch (NumberFormatException e) {
      throw notA("integer", setting, site);
    }
  }

  private static StatesError notA(String type, Setting setting, Payloads.Site site) {
    String source = setting.path() == null ? setting.field() : setting.field() + "Path";
    return site.runtime("The " + source + " field refers to value \"" + Values.javaText(setting.value())
        + "\" which is not a valid " + type + (setting.path() == null ? "" : ": " + setting.path()));
  }

  /** The error of JSONata Map items that are no array: AWS names the expression when there is one. */
  static StatesError itemsNotArray(JsonNode itemsField, JsonNode items, Payloads.Site site) {
    if (!JsonataEvaluator.isExpression(itemsField)) {
      return new StatesError(StatesError.QUERY_EVALUATION_ERROR, site.prefix() + INPUT_NOT_ARRAY + Json.write(items));
    }
    return new StatesError(StatesError.QUERY_EVALUATION_ERROR, site.prefix() + "The JSONata expression '"
        + JsonataEvaluator.body(itemsField.textValue()) + "' specified for the field 'Items' returned an unexpected "
        + "result type. Expected 'array', but was '" + typeName(items) + "' for value: " + Json.write(items));
  }

  private static String typeName(JsonNode value) {
    return switch (value.getNodeType()) {
      case NUMBER -> "number";
      case STRING -> "string";
      case BOOLEAN -> "boolean";
      case OBJECT -> "object";
      case ARRAY -> "array";
      default -> "null";
    };
  }
}
