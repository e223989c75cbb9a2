package dev.boxoffice.local.aws.sns;

import dev.boxoffice.codecs.EmailAddresses;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SNS actions Boxoffice uses, each answering the AWS XML document of its action or raising an
 * {@link SnsException}. Runs on the SNS verticle's event loop; deliveries go out after the answer, as in AWS.
 *
 * <p>Longer than most classes on purpose: one short method per SNS action, each with the validation AWS applies to
 * its parameters, like the action list of the SNS API reference; splitting them would scatter that one table.
 */
final class SnsActions {

  static final String REGION = "us-east-1";
  static final String ACCOUNT = "000000000000";

  private static final Logger LOG = LoggerFactory.getLogger(SnsActions.class);
  private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  private static final Set<String> PROTOCOLS = Set.of("email", "email-json", "http", "https", "lambda", "sqs");
  /** Protocols that need no confirmation from the endpoint: AWS confirms them itself within one account. */
  private static final Set<String> SELF_CONFIRMED = Set.of("lambda", "sqs");
  /** Protocols whose subscriptions may skip the JSON envelope. */
  private static final Set<String> RAW_CAPABLE = Set.of("http", "https", "sqs");
  private static final int PAGE_SIZE = 100;

  private final SnsStore store;
  private final SubscriptionDelivery delivery;
  private final SnsPublisher publisher;
  private final SnsQuotas quotas;
  private final SecureRandom random = new SecureRandom();

  SnsActions(SnsStore store, SubscriptionDelivery delivery, SnsQuotas quotas) {
    this.store = store;
    this.delivery = delivery;
    this.publisher = new SnsPublisher(store, delivery, new PublishRate(quotas.publishPerSecond()));
    this.quotas = quotas;
  }

  Future<String> handle(QueryRequest request, String requestId) {
    String action = request.optional("Action").filter(name -> !name.isEmpty())
        .orElseThrow(SnsException::missingAction);
    return switch (action) {
      case "CreateTopic" -> createTopic(request, requestId);
      case "DeleteTopic" -> deleteTopic(request, requestId);
      case "ListTopics" -> Future.succeededFuture(listTopics(request, requestId));
      case "GetTopicAttributes" -> Future.succeededFuture(getTopicAttributes(request, requestId));
      case "Subscribe" -> subscribe(request, requestId);
      case "ConfirmSubscription" -> confirmSubscription(request, requestId);
      case "Unsubscribe" -> unsubscribe(request, requestId);
      case "ListSubscriptions" -> Future.succeededFuture(
          listSubscriptions("ListSubscriptions", store.subscriptions(), request, requestId));
      case "ListSubscriptionsByTopic" -> Future.succeededFuture(listSubscriptions("ListSubscriptionsByTopic",
          store.subscriptionsOf(existingTopic(request.required("TopicArn")).arn()), request, requestId));
      case "GetSubscriptionAttributes" -> Future.succeededFuture(getSubscriptionAttributes(request, requestId));
      case "SetSubscriptionAttributes" -> setSubscriptionAttributes(request, requestId);
      case "Publish" -> Future.succeededFuture(publisher.publish(existingTopic(publishTarget(request)), request,
          requestId));
      case "PublishBatch" -> Future.succeededFuture(publisher.publishBatch(
          existingTopic(request.required("TopicArn")), request, requestId));
      default -> throw SnsException.invalidAction(action);
    };
  }

  /** The SubscriptionArn a confirmation answered, for the page a browser shows after following a SubscribeURL. */
  Optional<Subscription> subscriptionByToken(String topicArn, String token) {
    return store.subscriptionsOf(topicArn).stream().filter(each -> each.token().equals(token)).findFirst();
  }

  private Future<String> createTopic(QueryRequest request, String requestId) {
    String name = request.required("Name");
    if (!TOPIC_NAME.matcher(name).matches()) {
      throw SnsException.invalidParameter("Topic Name: Topic names must be made up of only uppercase and lowercase "
          + "ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.");
    }
    Map<String, String> attributes = request.map("Attributes", "key", "value");
    for (String attribute : attributes.keySet()) {
      if (!attribute.equals("DisplayName")) {
        throw SnsException.invalidParameter("Attributes Reason: the local SNS supports only the DisplayName topic "
            + "attribute, not " + attribute);
      }
    }
    String arn = "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + name;
    Optional<Topic> existing = store.topic(arn);
    Future<Void> saved = Future.succeededFuture();
    if (existing.isEmpty()) {
      store.putTopic(new Topic(arn, name, attributes.getOrDefault("DisplayName", "")));
      saved = store.save();
    }
    return saved.map(done -> SnsXml.response("CreateTopic", requestId, result -> result.element("TopicArn", arn)));
  }

  private Future<String> deleteTopic(QueryRequest request, String requestId) {
    String arn = request.required("TopicArn");
    // AWS answers success for a topic that does not exist.
    store.deleteTopic(arn);
    return store.save().map(done -> SnsXml.emptyResponse("DeleteTopic", requestId));
  }

  private String listTopics(QueryRequest request, String requestId) {
    List<Topic> topics = List.copyOf(store.topics());
    int from = pageStart(request, topics.size());
    int to = Math.min(from + PAGE_SIZE, topics.size());
    return SnsXml.response("ListTopics", requestId, result -> {
      result.open("Topics");
      topics.subList(from, to).forEach(topic -> result.open("member").element("TopicArn", topic.arn()).close("member"));
      result.close("Topics");
      if (to < topics.size()) {
        result.element("NextToken", String.valueOf(to));
      }
    });
  }

  private String getTopicAttributes(QueryRequest request, String requestId) {
    Topic topic = existingTopic(request.required("TopicArn"));
    List<Subscription> subscriptions = store.subscriptionsOf(topic.arn());
    long confirmed = subscriptions.stream().filter(Subscription::confirmed).count();
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("TopicArn", topic.arn());
    attributes.put("Owner", ACCOUNT);
    attributes.put("DisplayName", topic.displayName());
    attributes.put("SubscriptionsConfirmed", String.valueOf(confirmed));
    attributes.put("SubscriptionsPending", String.valueOf(subscriptions.size() - confirmed));
    attributes.put("SubscriptionsDeleted", "0");
    return SnsXml.response("GetTopicAttributes", requestId, result -> result.attributes(attributes));
  }

  private Future<String> subscribe(QueryRequest request, String requestId) {
    Topic topic = existingTopic(request.required("TopicArn"));
    String protocol = request.required("Protocol");
    if (!PROTOCOLS.contains(protocol)) {
      throw SnsException.invalidParameter("Amazon SNS does not support this protocol string: " + protocol
          + " (the local SNS supports email, email-json, http, https, lambda and sqs)");
    }
    String endpoint = validEndpoint(protocol, request.optional("Endpoint").orElse(""));
    Map<String, String> attributes = request.map("Attributes", "key", "value");
    Subscription requested = withAttributes(new Subscription(
        topic.arn() + ":" + UUID.randomUUID(), topic.arn(), protocol, endpoint, newToken(),
        SELF_CONFIRMED.contains(protocol), null, FilterPolicy.SCOPE_ATTRIBUTES, false), attributes);
    boolean returnArn = request.flag("ReturnSubscriptionArn");

    Optional<Subscription> existing = store.subscriptionsOf(topic.arn()).stream()
        .filter(each -> each.protocol().equals(protocol) && each.endpoint().equals(endpoint))
        .findFirst();
    if (existing.isPresent()) {
      Subscription current = existing.get();
      if (!attributes.isEmpty() && !sameAttributes(current, requested)) {
        throw SnsException.invalidParameter("Attributes Reason: Subscription already exists with different attributes");
      }
      if (!current.confirmed()) {
        requestConfirmation(topic, current);
      }
      return Future.succeededFuture(subscribeResponse(current, returnArn, requestId));
    }
    if (requested.filterPolicy() != null) {
      checkFilterPolicyLimits(topic.arn());
    }
    store.putSubscription(requested);
    return store.save().map(saved -> {
      if (!requested.confirmed()) {
        requestConfirmation(topic, requested);
      }
      return subscribeResponse(requested, returnArn, requestId);
    });
  }

  private static String subscribeResponse(Subscription subscription, boolean returnArn, String requestId) {
    String arn = subscription.confirmed() || returnArn ? subscription.arn() : "pending confirmation";
    return SnsXml.response("Subscribe", requestId, result -> result.element("SubscriptionArn", arn));
  }

  private static boolean sameAttributes(Subscription current, Subscription requested) {
    return Objects.equals(current.filterPolicy(), requested.filterPolicy())
        && current.filterPolicyScope().equals(requested.filterPolicyScope())
        && current.rawMessageDelivery() == requested.rawMessageDelivery();
  }

  private void requestConfirmation(Topic topic, Subscription subscription) {
    delivery.requestConfirmation(topic, subscription).onFailure(failure -> LOG.warn(
        "Could not send the confirmation request of {} to {}: {}", subscription.arn(), subscription.endpoint(),
        failure.getMessage()));
  }

  private static String validEndpoint(String protocol, String endpoint) {
    boolean valid = switch (protocol) {
      case "email", "email-json" -> EmailAddresses.isValid(endpoint);
      case "http" -> endpoint.startsWith("http://") && endpoint.length() > "http://".length();
      case "https" -> endpoint.startsWith("https://") && endpoint.length() > "https://".length();
      case "sqs" -> endpoint.matches("arn:aws:sqs:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,80}(\\.fifo)?");
      default -> endpoint.startsWith("arn:aws:lambda:") || endpoint.matches("[A-Za-z0-9_-]{1,64}");
    };
    if (!valid) {
      throw SnsException.invalidParameter(switch (protocol) {
        case "email", "email-json" -> "Email address";
        case "lambda" -> "Lambda endpoint must be a function ARN";
        case "sqs" -> "SQS endpoint must be a queue ARN";
        default -> "Endpoint must match the specified protocol";
      });
    }
    return endpoint;
  }

  private Subscription withAttributes(Subscription subscription, Map<String, String> attributes) {
    Subscription updated = subscription;
    String scope = attributes.getOrDefault("FilterPolicyScope", subscription.filterPolicyScope());
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      updated = switch (attribute.getKey()) {
        case "FilterPolicy" -> withPolicy(updated, attribute.getValue(), scope);
        case "FilterPolicyScope" -> withPolicy(updated, updated.filterPolicy(), attribute.getValue());
        case "RawMessageDelivery" -> withRawDelivery(updated, attribute.getValue());
        default -> throw SnsException.invalidParameter("Attributes Reason: the local SNS does not support the "
            + "subscription attribute " + attribute.getKey()
            + " (supported: FilterPolicy, FilterPolicyScope, RawMessageDelivery)");
      };
    }
    return updated;
  }

  private static Subscription withPolicy(Subscription subscription, String policy, String scope) {
    String effective = policy == null || policy.isBlank() ? null : policy;
    if (effective != null) {
      FilterPolicy.parse(effective, scope);
    } else if (!FilterPolicy.SCOPE_ATTRIBUTES.equals(scope) && !FilterPolicy.SCOPE_BODY.equals(scope)) {
      FilterPolicy.parse("{}", scope);
    }
    return subscription.withFilterPolicy(effective, scope);
  }

  private static Subscription withRawDelivery(Subscription subscription, String value) {
    if (!value.equals("true") && !value.equals("false")) {
      throw SnsException.invalidParameter("Attributes Reason: RawMessageDelivery: Invalid value [" + value
          + "]. Must be true or false.");
    }
    boolean raw = Boolean.parseBoolean(value);
    if (raw && !RAW_CAPABLE.contains(subscription.protocol())) {
      throw SnsException.invalidParameter("Attributes Reason: Delivery protocol [" + subscription.protocol()
          + "] does not support raw message delivery.");
    }
    return subscription.withRawMessageDelivery(raw);
  }

  private Future<String> confirmSubscription(QueryRequest request, String requestId) {
    Topic topic = existingTopic(request.required("TopicArn"));
    String token = request.required("Token");
    Subscription subscription = subscriptionByToken(topic.arn(), token)
        .orElseThrow(() -> SnsException.invalidParameter("Token"));
    Future<Void> saved = Future.succeededFuture();
    if (!subscription.confirmed()) {
      store.putSubscription(subscription.confirm());
      saved = store.save();
    }
    return saved.map(done -> SnsXml.response("ConfirmSubscription", requestId,
        result -> result.element("SubscriptionArn", subscription.arn())));
  }

  private Future<String> unsubscribe(QueryRequest request, String requestId) {
    Subscription subscription = existingSubscription(request.required("SubscriptionArn"));
    store.deleteSubscription(subscription.arn());
    return store.save().map(done -> SnsXml.emptyResponse("Unsubscribe", requestId));
  }

  private String listSubscriptions(String action, List<Subscription> subscriptions, QueryRequest request,
      String requestId) {
    int from = pageStart(request, subscriptions.size());
    int to = Math.min(from + PAGE_SIZE, subscriptions.size());
    return SnsXml.response(action, requestId, result -> {
      result.open("Subscriptions");
      for (Subscription subscription : subscriptions.subList(from, to)) {
        result.open("member")
            .element("TopicArn", subscription.topicArn())
            .element("Protocol", subscription.protocol())
            .element("SubscriptionArn", subscription.listedArn())
            .element("Owner", ACCOUNT)
            .element("Endpoint", subscription.endpoint())
            .close("member");
      }
      result.close("Subscriptions");
      if (to < subscriptions.size()) {
        result.element("NextToken", String.valueOf(to));
      }
    });
  }

  private static int pageStart(QueryRequest request, int size) {
    String token = request.optional("NextToken").orElse("0");
    try {
      int start = Integer.parseInt(token);
      if (start >= 0 && start <= size) {
        return start;
      }
    } catch (NumberFormatException e) {
      // reported below like any other token this endpoint did not issue
    }
    throw SnsException.invalidParameter("NextToken");
  }

  private String getSubscriptionAttributes(QueryRequest request, String requestId) {
    Subscription subscription = existingSubscription(request.required("SubscriptionArn"));
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("SubscriptionArn", subscription.arn());
    attributes.put("TopicArn", subscription.topicArn());
    attributes.put("Owner", ACCOUNT);
    attributes.put("Protocol", subscription.protocol());
    attributes.put("Endpoint", subscription.endpoint());
    attributes.put("PendingConfirmation", String.valueOf(!subscription.confirmed()));
    attributes.put("ConfirmationWasAuthenticated", String.valueOf(subscription.confirmed()));
    attributes.put("RawMessageDelivery", String.valueOf(subscription.rawMessageDelivery()));
    if (subscription.filterPolicy() != null) {
      attributes.put("FilterPolicy", subscription.filterPolicy());
      attributes.put("FilterPolicyScope", subscription.filterPolicyScope());
    }
    return SnsXml.response("GetSubscriptionAttributes", requestId, result -> result.attributes(attributes));
  }

  private Future<String> setSubscriptionAttributes(QueryRequest request, String requestId) {
    Subscription subscription = existingSubscription(request.required("SubscriptionArn"));
    String name = request.required("AttributeName");
    String value = request.optional("AttributeValue").orElse("");
    if (name.equals("FilterPolicy") && !value.isBlank() && subscription.filterPolicy() == null) {
      checkFilterPolicyLimits(subscription.topicArn());
    }
    store.putSubscription(withAttributes(subscription, Map.of(name, value)));
    return store.save().map(done -> SnsXml.emptyResponse("SetSubscriptionAttributes", requestId));
  }

  /** A subscription taking on a filter policy must stay within the topic's and the account's quotas. */
  private void checkFilterPolicyLimits(String topicArn) {
    long onTopic = store.subscriptionsOf(topicArn).stream().filter(each -> each.filterPolicy() != null).count();
    if (quotas.filterPoliciesPerTopic() > 0 && onTopic >= quotas.filterPoliciesPerTopic()) {
      throw SnsException.filterPolicyLimitExceeded("the topic has " + onTopic + " filter policies, the quota is "
          + quotas.filterPoliciesPerTopic());
    }
    long inAccount = store.subscriptions().stream().filter(each -> each.filterPolicy() != null).count();
    if (quotas.filterPoliciesPerAccount() > 0 && inAccount >= quotas.filterPoliciesPerAccount()) {
      throw SnsException.filterPolicyLimitExceeded("the account has " + inAccount + " filter policies, the quota is "
          + quotas.filterPoliciesPerAccount());
    }
  }

  private static String publishTarget(QueryRequest request) {
    if (request.optional("PhoneNumber").isPresent()) {
      throw SnsException.invalidParameter("PhoneNumber Reason: the local SNS publishes to topics only");
    }
    return request.optional("TopicArn").or(() -> request.optional("TargetArn"))
        .filter(arn -> !arn.isEmpty())
        .orElseThrow(() -> SnsException.invalidParameter(
            "TopicArn or TargetArn Reason: no value for required parameter"));
  }

  private Topic existingTopic(String arn) {
    return store.topic(arn).orElseThrow(() -> SnsException.notFound("Topic does not exist"));
  }

  private Subscription existingSubscription(String arn) {
    return store.subscription(arn).orElseThrow(() -> SnsException.notFound("Subscription does not exist"));
  }

  private String newToken() {
    byte[] token = new byte[64];
    random.nextBytes(token);
    return HexFormat.of().formatHex(token);
  }
}
