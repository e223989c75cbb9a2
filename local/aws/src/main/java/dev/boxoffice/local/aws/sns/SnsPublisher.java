package dev.boxoffice.local.aws.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publish and PublishBatch: each message checked as SNS checks it (size with its attributes, subject, message
 * structure), then handed to every confirmed subscription of the topic whose filter policy matches it. Deliveries go
 * out after the answer, as in AWS.
 */
final class SnsPublisher {

  static final int MAX_MESSAGE_BYTES = 256 * 1024;
  static final int MAX_BATCH_ENTRIES = 10;
  static final int MAX_SUBJECT_LENGTH = 100;

  private static final Logger LOG = LoggerFactory.getLogger(SnsPublisher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ENTRIES = "PublishBatchRequestEntries.member.";
  private static final Pattern BATCH_ENTRY_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

  private final SnsStore store;
  private final SubscriptionDelivery delivery;
  private final PublishRate rate;

  SnsPublisher(SnsStore store, SubscriptionDelivery delivery, PublishRate rate) {
    this.store = store;
    this.delivery = delivery;
    this.rate = rate;
  }

  /** One message checked and ready to fan out. */
  private record Outgoing(String subject, Function<String, String> messageFor,
                          Map<String, MessageAttribute> attributes) {
  }

  String publish(Topic topic, QueryRequest request, String requestId) {
    if (!rate.tryTake(1)) {
      throw SnsException.throttled();
    }
    Outgoing outgoing = outgoing(request, "");
    String messageId = fanOut(topic, outgoing);
    return SnsXml.response("Publish", requestId, result -> result.element("MessageId", messageId));
  }

  /**
   * Up to ten entries, each published or failed on its own as AWS does; the batch as a whole is refused when it is
   * empty, too long, too large or its entry ids repeat, and throttled when its messages exceed the account's Publish
   * rate (a quota of messages, whichever call carries them).
   */
  String publishBatch(Topic topic, QueryRequest request, String requestId) {
    List<String> ids = new ArrayList<>();
    for (int index = 1; request.optional(ENTRIES + index + ".Id").isPresent(); index++) {
      ids.add(request.optional(ENTRIES + index + ".Id").orElseThrow());
    }
    if (ids.isEmpty()) {
      throw SnsException.batchRefused("EmptyBatchRequest", "The batch request doesn't contain any entries.");
    }
    if (ids.size() > MAX_BATCH_ENTRIES) {
      throw SnsException.batchRefused("TooManyEntriesInBatchRequest",
          "The batch request contains more entries than permissible.");
    }
    if (new HashSet<>(ids).size() != ids.size()) {
      throw SnsException.batchRefused("BatchEntryIdsNotDistinct", "Two or more batch entries in the request have "
          + "the same Id.");
    }
    if (!rate.tryTake(ids.size())) {
      throw SnsException.throttled();
    }
    Set<String> malformedIds = new HashSet<>();
    List<Outgoing> entries = new ArrayList<>();
    List<SnsException> refusals = new ArrayList<>();
    int totalBytes = 0;
    for (int index = 1; index <= ids.size(); index++) {
      if (!BATCH_ENTRY_ID.matcher(ids.get(index - 1)).matches()) {
        malformedIds.add(ids.get(index - 1));
      }
      try {
        Outgoing entry = outgoing(request, ENTRIES + index + ".");
        totalBytes += size(request, ENTRIES + index + ".", entry);
        entries.add(entry);
        refusals.add(null);
      } catch (SnsException refused) {
        entries.add(null);
        refusals.add(refused);
      }
    }
    if (!malformedIds.isEmpty()) {
      throw SnsException.batchRefused("InvalidBatchEntryId", "A batch entry id can only contain alphanumeric "
          + "characters, hyphens and underscores. It can be at most 80 letters long.");
    }
    if (totalBytes > MAX_MESSAGE_BYTES) {
      throw SnsException.batchRefused("BatchRequestTooLong", "The length of all the messages put together is more "
          + "than the limit.");
    }
    List<String> messageIds = new ArrayList<>();
    for (Outgoing entry : entries) {
      messageIds.add(entry == null ? null : fanOut(topic, entry));
    }
    return SnsXml.response("PublishBatch", requestId, result -> {
      result.open("Successful");
      for (int index = 0; index < ids.size(); index++) {
        if (messageIds.get(index) != null) {
          result.open("member").element("Id", ids.get(index)).element("MessageId", messageIds.get(index))
              .close("member");
        }
      }
      result.close("Successful").open("Failed");
      for (int index = 0; index < ids.size(); index++) {
        SnsException refusal = refusals.get(index);
        if (refusal != null) {
          result.open("member").element("Id", ids.get(index)).element("Code", refusal.code())
              .element("Message", refusal.getMessage()).element("SenderFault", "true").close("member");
        }
      }
      result.close("Failed");
    });
  }

  private Outgoing outgoing(QueryRequest request, String prefix) {
    String message = request.optional(prefix + "Message").filter(text -> !text.isEmpty())
        .orElseThrow(() -> SnsException.invalidParameter("Empty message"));
    String subject = request.optional(prefix + "Subject").map(SnsPublisher::validSubject).orElse(null);
    Map<String, MessageAttribute> attributes = MessageAttribute.parse(request, prefix);
    Outgoing outgoing = new Outgoing(subject,
        messageStructure(request.optional(prefix + "MessageStructure").orElse(null), message), attributes);
    if (size(request, prefix, outgoing) > MAX_MESSAGE_BYTES) {
      throw SnsException.invalidParameter("Message too long");
    }
    return outgoing;
  }

  private static int size(QueryRequest request, String prefix, Outgoing outgoing) {
    int size = request.optional(prefix + "Message").orElse("").getBytes(StandardCharsets.UTF_8).length;
    for (Map.Entry<String, MessageAttribute> attribute : outgoing.attributes().entrySet()) {
      size += attribute.getValue().size(attribute.getKey());
    }
    return size;
  }

  private String fanOut(Topic topic, Outgoing outgoing) {
    String messageId = UUID.randomUUID().toString();
    Instant now = Instant.now();
    for (Subscription subscription : store.subscriptionsOf(topic.arn())) {
      Notification notification = new Notification(messageId, topic.arn(), outgoing.subject(),
          outgoing.messageFor().apply(subscription.protocol()), outgoing.attributes(), now);
      FilterPolicy filter = subscription.filter();
      if (subscription.confirmed() && (filter == null || filter.matches(outgoing.attributes(),
          notification.message()))) {
        delivery.deliver(topic, subscription, notification).onFailure(failure -> LOG.warn(
            "Delivery of message {} to {} ({}) failed: {}", messageId, subscription.endpoint(),
            subscription.protocol(), failure.getMessage()));
      }
    }
    return messageId;
  }

  /**
   * SNS's rule for a subject: at most 100 printable ASCII characters, no line break or other control character, and
   * not starting with a space.
   */
  private static String validSubject(String subject) {
    if (subject.isEmpty() || subject.length() > MAX_SUBJECT_LENGTH || subject.charAt(0) == ' '
        || subject.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
      throw SnsException.invalidParameter("Subject");
    }
    return subject;
  }

  /** With MessageStructure=json the message is an object of per-protocol bodies and a required "default". */
  private static Function<String, String> messageStructure(String structure, String message) {
    if (structure == null || structure.isEmpty()) {
      return protocol -> message;
    }
    if (!structure.equals("json")) {
      throw SnsException.invalidParameter("MessageStructure: only the value json is supported");
    }
    JsonNode bodies;
    try {
      bodies = JSON.readTree(message);
    } catch (JsonProcessingException e) {
      throw SnsException.invalidParameter("Message Structure - JSON message body failed to parse");
    }
    if (bodies == null || !bodies.isObject() || !bodies.path("default").isTextual()) {
      throw SnsException.invalidParameter("Message Structure - No default entry in JSON message body");
    }
    return protocol -> bodies.path(protocol).isTextual()
        ? bodies.get(protocol).asText()
        : bodies.get("default").asText();
  }
}
