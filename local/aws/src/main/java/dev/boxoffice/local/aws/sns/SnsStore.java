package dev.boxoffice.local.aws.sns;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Topics and subscriptions in memory, written to a JSON file in the data directory after every change so they
 * survive a restart of the stack. Used from the SNS verticle's event loop only; file I/O is Vert.x asynchronous.
 */
final class SnsStore {

  static final String FILE_NAME = "sns-state.json";

  private final Vertx vertx;
  private final String file;
  private final Map<String, Topic> topics = new LinkedHashMap<>();
  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  private Future<Void> lastWrite = Future.succeededFuture();

  private SnsStore(Vertx vertx, Path file) {
    this.vertx = vertx;
    this.file = file.toString();
  }

  static Future<SnsStore> load(Vertx vertx, Path dataDir) {
    SnsStore store = new SnsStore(vertx, dataDir.resolve(FILE_NAME));
    return vertx.fileSystem().mkdirs(dataDir.toString())
        .compose(created -> vertx.fileSystem().exists(store.file))
        .compose(exists -> exists
            ? vertx.fileSystem().readFile(store.file).map(store::restore)
            : Future.succeededFuture(store));
  }

  private SnsStore restore(Buffer saved) {
    JsonObject state;
    try {
      state = saved.toJsonObject();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "The SNS state file " + file + " is not valid JSON; move it aside to start empty", e);
    }
    state.getJsonArray("topics", new JsonArray()).stream()
        .map(JsonObject.class::cast).map(Topic::fromJson)
        .forEach(topic -> topics.put(topic.arn(), topic));
    state.getJsonArray("subscriptions", new JsonArray()).stream()
        .map(JsonObject.class::cast).map(Subscription::fromJson)
        .forEach(subscription -> subscriptions.put(subscription.arn(), subscription));
    return this;
  }

  /** Writes the whole state through a temporary file and an atomic move, one write after the other. */
  Future<Void> save() {
    JsonObject state = new JsonObject()
        .put("topics", new JsonArray(topics.values().stream().map(Topic::toJson).toList()))
        .put("subscriptions", new JsonArray(subscriptions.values().stream().map(Subscription::toJson).toList()));
    Buffer content = state.toBuffer();
    String temporary = file + ".tmp";
    lastWrite = lastWrite.recover(previousFailure -> Future.succeededFuture())
        .compose(previous -> vertx.fileSystem().writeFile(temporary, content))
        .compose(written -> vertx.fileSystem().move(temporary, file,
            new CopyOptions().setReplaceExisting(true).setAtomicMove(true)));
    return lastWrite;
  }

  Optional<Topic> topic(String arn) {
    return Optional.ofNullable(topics.get(arn));
  }

  Collection<Topic> topics() {
    return List.copyOf(topics.values());
  }

  void putTopic(Topic topic) {
    topics.put(topic.arn(), topic);
  }

  void deleteTopic(String arn) {
    topics.remove(arn);
    subscriptions.values().removeIf(subscription -> subscription.topicArn().equals(arn));
  }

  Optional<Subscription> subscription(String arn) {
    return Optional.ofNullable(subscriptions.get(arn));
  }

  List<Subscription> subscriptions() {
    return List.copyOf(subscriptions.values());
  }

  List<Subscription> subscriptionsOf(String topicArn) {
    return subscriptions.values().stream().filter(subscription -> subscription.topicArn().equals(topicArn)).toList();
  }

  void putSubscription(Subscription subscription) {
    subscriptions.put(subscription.arn(), subscription);
  }

  void deleteSubscription(String arn) {
    subscriptions.remove(arn);
  }
}
