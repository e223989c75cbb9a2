package dev.boxoffice.local.aws.sns;

import io.vertx.core.json.JsonObject;

/** An SNS topic of the local account. */
record Topic(String arn, String name, String displayName) {

  JsonObject toJson() {
    return new JsonObject().put("arn", arn).put("name", name).put("displayName", displayName);
  }

  static Topic fromJson(JsonObject json) {
    return new Topic(json.getString("arn"), json.getString("name"), json.getString("displayName", ""));
  }
}
