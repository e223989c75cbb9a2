package dev.boxoffice.local.aws.cloudformation;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads a CloudFormation YAML template into JSON nodes, turning the short-form intrinsic tags ({@code !Ref},
 * {@code !GetAtt}, {@code !Sub}, {@code !If} ...) into their long form ({@code {"Fn::Sub": ...}}), as CloudFormation
 * itself does before evaluating a template.
 */
final class CloudFormationYaml {

  private static final Set<String> FN_TAGS = Set.of(
      "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub", "Transform",
      "And", "Equals", "If", "Not", "Or", "Length", "ToJsonString");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final YAMLFactory YAML = new YAMLFactory();

  private CloudFormationYaml() {
  }

  static JsonNode read(Path file) {
    try (Reader reader = Files.newBufferedReader(file);
         YAMLParser parser = YAML.createParser(reader)) {
      if (parser.nextToken() == null) {
        throw new TemplateException("template " + file + " is empty");
      }
      return readValue(parser);
    } catch (IOException e) {
      throw new TemplateException("cannot read template " + file + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode readValue(YAMLParser parser) throws IOException {
    String tag = parser.getTypeId();
    JsonToken token = parser.currentToken();
    JsonNode value = switch (token) {
      case START_OBJECT -> readObject(parser);
      case START_ARRAY -> readArray(parser);
      case VALUE_STRING -> NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> throw new TemplateException("unexpected YAML token " + token + " at " + parser.currentLocation());
    };
    return tag == null ? value : longForm(tag, value, parser);
  }

  private static ObjectNode readObject(YAMLParser parser) throws IOException {
    ObjectNode object = NODES.objectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      object.set(name, readValue(parser));
    }
    return object;
  }

  private static ArrayNode readArray(YAMLParser parser) throws IOException {
    ArrayNode array = NODES.arrayNode();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      array.add(readValue(parser));
    }
    return array;
  }

  private static JsonNode longForm(String tag, JsonNode value, YAMLParser parser) {
    if (tag.startsWith("tag:yaml.org,2002:")) {
      return value;
    }
    if (tag.equals("Ref") || tag.equals("Condition")) {
      return NODES.objectNode().set(tag, value);
    }
    if (!FN_TAGS.contains(tag)) {
      throw new TemplateException("unknown YAML tag !" + tag + " at " + parser.currentLocation());
    }
    if (tag.equals("GetAtt") && value.isTextual()) {
      String text = value.asText();
      int dot = text.indexOf('.');
      if (dot < 1) {
        throw new TemplateException("!GetAtt needs Resource.Attribute, got '" + text + "'");
      }
      value = NODES.arrayNode().add(text.substring(0, dot)).add(text.substring(dot + 1));
    }
    return NODES.objectNode().set("Fn::" + tag, value);
  }
}
