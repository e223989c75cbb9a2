package dev.boxoffice.local.stripe;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stripe's request encoding, decoded: {@code application/x-www-form-urlencoded} pairs whose keys nest with brackets,
 * {@code line_items[0][price_data][unit_amount]=2500}, {@code metadata[hold_id]=...}, {@code expand[]=payment_intent}.
 * Numeric and empty brackets make arrays, names make objects; every value stays a string, as Stripe receives it
 * (the resources parse the numbers they expect).
 */
final class FormBody {

  private FormBody() {
  }

  static JsonObject decode(String encoded) {
    JsonObject root = new JsonObject();
    if (encoded == null || encoded.isEmpty()) {
      return root;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      put(root, path(key), value);
    }
    return root;
  }

  /** {@code a[b][0][]} as {@code [a, b, 0, ""]}. */
  private static List<String> path(String key) {
    List<String> parts = new ArrayList<>();
    int bracket = key.indexOf('[');
    if (bracket < 0 || !key.endsWith("]")) {
      parts.add(key);
      return parts;
    }
    parts.add(key.substring(0, bracket));
    for (String part : key.substring(bracket + 1, key.length() - 1).split("\\]\\[", -1)) {
      parts.add(part);
    }
    return parts;
  }

  private static void put(JsonObject root, List<String> path, String value) {
    Object container = root;
    for (int i = 0; i < path.size(); i++) {
      String part = path.get(i);
      boolean last = i == path.size() - 1;
      Object next = last ? value : isIndex(path.get(i + 1)) ? new JsonArray() : new JsonObject();
      if (container instanceof JsonObject object) {
        if (last) {
          object.put(part, value);
        } else if (object.getValue(part) instanceof JsonObject || object.getValue(part) instanceof JsonArray) {
          next = object.getValue(part);
        } else {
          object.put(part, next);
        }
      } else {
        JsonArray array = (JsonArray) container;
        int index = part.isEmpty() ? array.size() : Integer.parseInt(part);
        while (array.size() <= index) {
          array.addNull();
        }
        if (last) {
          array.set(index, value);
        } else if (array.getValue(index) instanceof JsonObject || array.getValue(index) instanceof JsonArray) {
          next = array.getValue(index);
        } else {
          array.set(index, next);
        }
      }
      container = next;
    }
  }

  private static boolean isIndex(String part) {
    return part.isEmpty() || part.chars().allMatch(Character::isDigit);
  }
}
