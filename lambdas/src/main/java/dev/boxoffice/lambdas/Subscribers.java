package dev.boxoffice.lambdas;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The subscribers table ({@code BOXOFFICE_SUBSCRIBERS_TABLE}), keyed {@code pk}/{@code sk}:
 * <ul>
 *   <li>a profile per address, {@code subscriber#<id>}/{@code profile}: the address, the status (pending, confirmed,
 *   unsubscribed), the confirmed preferences, and the preferences waiting for confirmation with their nonce and
 *   expiry;</li>
 *   <li>for a confirmed subscriber, one interest item per (category, city) it asked for,
 *   {@code subscriber#<id>}/{@code interest#<category>#<city>}, {@code *} standing for "any", with the index keys
 *   {@code interestKey} = {@code <category>#<city>} and {@code subscriberId} and the address.</li>
 * </ul>
 * The sparse index {@value #INTEREST_INDEX} on those keys answers "confirmed subscribers of category C in city X" with
 * three queries, {@code C#X}, {@code C#*} and {@code *#X}, each page of which is a batch of announcements.
 *
 * <p>Slightly longer than most classes: every read and write of this one table's item layout is here, so the layout
 * changes in one place.
 */
final class Subscribers {

  static final String TABLE = "BOXOFFICE_SUBSCRIBERS_TABLE";
  static final String INTEREST_INDEX = "confirmed-by-interest";
  static final String ANY = "*";

  private static final int BATCH_WRITE_LIMIT = 25;
  /** Writes of a pending request raced by other requests for the same address before giving up. */
  private static final int MAX_PENDING_WRITES = 3;

  /** Where an address stands. */
  enum Status { NONE, PENDING, CONFIRMED, UNSUBSCRIBED }

  /** The confirmed preferences of a subscriber and the ones waiting for confirmation, if any. */
  record Profile(String subscriberId, String email, Status status, List<String> categories, List<String> cities,
                 Optional<PendingPreferences> pending) {
  }

  record PendingPreferences(List<String> categories, List<String> cities, String nonce, Instant expiresAt) {
  }

  /** One page of confirmed subscribers of an interest, and where the next page starts (empty: none). */
  record Page(List<Recipient> recipients, Map<String, String> next) {
  }

  record Recipient(String subscriberId, String email) {
  }

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final SecureRandom random = new SecureRandom();

  Subscribers(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  Optional<Profile> profile(String subscriberId) {
    return rawProfile(subscriberId).map(item -> profileOf(subscriberId, item));
  }

  /**
   * Records preferences waiting for confirmation and answers the nonce of their link: the nonce already pending when
   * the same preferences are asked for again before their link expires (so its notification id repeats and nobody
   * is mailed twice), a new one otherwise. A confirmed subscriber keeps their confirmed preferences meanwhile. Two
   * requests at once (Lambda runs them side by side) settle on one nonce: each writes only over the pending request
   * it read, and one that finds it changed reads again and answers the request now pending if it is the same.
   */
  PendingPreferences requestConfirmation(String subscriberId, String email, List<String> categories,
      List<String> cities, Instant now, Instant expiresAt) {
    for (int attempt = 1; ; attempt++) {
      Optional<PendingPreferences> seen = profile(subscriberId).flatMap(Profile::pending);
      if (seen.isPresent() && seen.get().categories().equals(categories) && seen.get().cities().equals(cities)
          && seen.get().expiresAt().isAfter(now)) {
        return seen.get();
      }
      PendingPreferences requested = new PendingPreferences(categories, cities, newNonce(), expiresAt);
      try {
        writePending(subscriberId, email, requested, seen.map(PendingPreferences::nonce), now);
        return requested;
      } catch (ConditionalCheckFailedException changedMeanwhile) {
        if (attempt == MAX_PENDING_WRITES) {
          throw changedMeanwhile;
        }
      }
    }
  }

  /** Writes {@code requested} over the pending request of nonce {@code seenNonce}, or over none if empty. */
  private void writePending(String subscriberId, String email, PendingPreferences requested,
      Optional<String> seenNonce, Instant now) {
    Map<String, AttributeValue> values = new HashMap<>(Map.of(
        ":email", text(email),
        ":categories", list(requested.categories()),
        ":cities", list(requested.cities()),
        ":nonce", text(requested.nonce()),
        ":expiresAt", number(requested.expiresAt().getEpochSecond()),
        ":now", text(now.toString()),
        ":pending", text("pending")));
    seenNonce.ifPresent(nonce -> values.put(":seenNonce", text(nonce)));
    dynamoDb.updateItem(update -> update.tableName(table).key(profileKey(subscriberId))
        .updateExpression("SET email = :email, pendingCategories = :categories, pendingCities = :cities, "
            + "pendingNonce = :nonce, pendingExpiresAt = :expiresAt, updatedAt = :now, "
            + "#status = if_not_exists(#status, :pending)")
        .conditionExpression(seenNonce.isPresent() ? "pendingNonce = :seenNonce"
            : "attribute_not_exists(pendingNonce)")
        .expressionAttributeNames(Map.of("#status", "status"))
        .expressionAttributeValues(values));
  }

  /**
   * Makes the pending preferences of nonce {@code nonce} the confirmed ones and writes their interest items. A link
   * used a second time confirms again harmlessly; a link whose request was replaced by a newer one, or has expired,
   * confirms nothing.
   */
  Optional<Profile> confirm(String subscriberId, String nonce, Instant now) {
    Map<String, AttributeValue> item;
    try {
      item = dynamoDb.updateItem(update -> update.tableName(table).key(profileKey(subscriberId))
          .updateExpression("SET #status = :confirmed, categories = pendingCategories, cities = pendingCities, "
              + "confirmedNonce = :nonce, confirmedAt = :now, updatedAt = :now "
              + "REMOVE pendingCategories, pendingCities, pendingNonce, pendingExpiresAt")
          .conditionExpression("pendingNonce = :nonce AND pendingExpiresAt > :epoch")
          .expressionAttributeNames(Map.of("#status", "status"))
          .expressionAttributeValues(Map.of(
              ":confirmed", text("confirmed"),
              ":nonce", text(nonce),
              ":now", text(now.toString()),
              ":epoch", number(now.getEpochSecond())))
          .returnValues(ReturnValue.ALL_NEW)).attributes();
    } catch (ConditionalCheckFailedException notPending) {
      Optional<Map<String, AttributeValue>> current = rawProfile(subscriberId)
          .filter(raw -> "confirmed".equals(raw.get("status").s()) && raw.containsKey("confirmedNonce")
              && nonce.equals(raw.get("confirmedNonce").s()));
      if (current.isEmpty()) {
        return Optional.empty();
      }
      item = current.get();
    }
    Profile confirmed = profileOf(subscriberId, item);
    writeInterests(confirmed);
    return Optional.of(confirmed);
  }

  /**
   * Makes {@code categories} and {@code cities} the confirmed preferences of the address, at its signed-in owner's
   * request (the session proves the address, as the link would), dropping any request still waiting for its link.
   */
  Profile setByOwner(String subscriberId, String email, List<String> categories, List<String> cities, Instant now) {
    Map<String, AttributeValue> item = dynamoDb.updateItem(update -> update.tableName(table)
        .key(profileKey(subscriberId))
        .updateExpression("SET email = :email, #status = :confirmed, categories = :categories, cities = :cities, "
            + "confirmedAt = :now, updatedAt = :now "
            + "REMOVE pendingCategories, pendingCities, pendingNonce, pendingExpiresAt")
        .expressionAttributeNames(Map.of("#status", "status"))
        .expressionAttributeValues(Map.of(
            ":email", text(email),
            ":confirmed", text("confirmed"),
            ":categories", list(categories),
            ":cities", list(cities),
            ":now", text(now.toString())))
        .returnValues(ReturnValue.ALL_NEW)).attributes();
    Profile confirmed = profileOf(subscriberId, item);
    writeInterests(confirmed);
    return confirmed;
  }

  /** Ends the subscription: no interest item is left for an announcement to find. Unknown ids end nothing. */
  void unsubscribe(String subscriberId, Instant now) {
    try {
      dynamoDb.updateItem(update -> update.tableName(table).key(profileKey(subscriberId))
          .updateExpression("SET #status = :unsubscribed, unsubscribedAt = :now, updatedAt = :now "
              + "REMOVE categories, cities")
          .conditionExpression("attribute_exists(pk)")
          .expressionAttributeNames(Map.of("#status", "status"))
          .expressionAttributeValues(Map.of(":unsubscribed", text("unsubscribed"), ":now", text(now.toString()))));
    } catch (ConditionalCheckFailedException unknown) {
      return;
    }
    replaceInterests(subscriberId, null, Set.of());
  }

  /** A page of at most {@code limit} confirmed subscribers of {@code interestKey}, after {@code start} if given. */
  Page matching(String interestKey, Map<String, String> start, int limit) {
    QueryResponse page = dynamoDb.query(query -> {
      query.tableName(table).indexName(INTEREST_INDEX).limit(limit)
          .keyConditionExpression("interestKey = :interest")
          .expressionAttributeValues(Map.of(":interest", text(interestKey)));
      if (start != null && !start.isEmpty()) {
        Map<String, AttributeValue> exclusiveStart = new HashMap<>();
        start.forEach((name, value) -> exclusiveStart.put(name, text(value)));
        query.exclusiveStartKey(exclusiveStart);
      }
    });
    List<Recipient> recipients = page.items().stream()
        .map(item -> new Recipient(item.get("subscriberId").s(), item.get("email").s())).toList();
    Map<String, String> next = new HashMap<>();
    if (page.hasLastEvaluatedKey()) {
      page.lastEvaluatedKey().forEach((name, value) -> next.put(name, value.s()));
    }
    return new Page(recipients, next);
  }

  /** The interest keys of preferences: every (category, city) pair, an empty list standing for any. */
  static Set<String> interestKeys(List<String> categories, List<String> cities) {
    Set<String> keys = new LinkedHashSet<>();
    for (String category : categories.isEmpty() ? List.of(ANY) : categories) {
      for (String city : cities.isEmpty() ? List.of(ANY) : cities) {
        keys.add(category + "#" + city);
      }
    }
    return keys;
  }

  private void writeInterests(Profile profile) {
    replaceInterests(profile.subscriberId(), profile.email(),
        interestKeys(profile.categories(), profile.cities()));
  }

  /** Deletes the interest items not in {@code wanted} and writes those that are, idempotently. */
  private void replaceInterests(String subscriberId, String email, Set<String> wanted) {
    List<WriteRequest> writes = new ArrayList<>();
    Set<String> existing = new LinkedHashSet<>();
    dynamoDb.queryPaginator(query -> query.tableName(table).consistentRead(true)
            .keyConditionExpression("pk = :pk AND begins_with(sk, :interest)")
            .expressionAttributeValues(Map.of(":pk", text(pk(subscriberId)), ":interest", text("interest#"))))
        .items().forEach(item -> existing.add(item.get("interestKey").s()));
    for (String key : existing) {
      if (!wanted.contains(key)) {
        writes.add(WriteRequest.builder().deleteRequest(delete -> delete.key(Map.of(
            "pk", text(pk(subscriberId)), "sk", text("interest#" + key)))).build());
      }
    }
    for (String key : wanted) {
      writes.add(WriteRequest.builder().putRequest(put -> put.item(Map.of(
          "pk", text(pk(subscriberId)), "sk", text("interest#" + key), "interestKey", text(key),
          "subscriberId", text(subscriberId), "email", text(email)))).build());
    }
    for (int from = 0; from < writes.size(); from += BATCH_WRITE_LIMIT) {
      List<WriteRequest> chunk = writes.subList(from, Math.min(writes.size(), from + BATCH_WRITE_LIMIT));
      Map<String, List<WriteRequest>> unprocessed = Map.of(table, chunk);
      while (!unprocessed.isEmpty()) {
        Map<String, List<WriteRequest>> request = unprocessed;
        unprocessed = dynamoDb.batchWriteItem(batch -> batch.requestItems(request)).unprocessedItems();
      }
    }
  }

  private Optional<Map<String, AttributeValue>> rawProfile(String subscriberId) {
    Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(table).key(profileKey(subscriberId))
        .consistentRead(true)).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
  }

  private static Profile profileOf(String subscriberId, Map<String, AttributeValue> item) {
    Optional<PendingPreferences> pending = item.containsKey("pendingNonce")
        ? Optional.of(new PendingPreferences(strings(item.get("pendingCategories")), strings(item.get("pendingCities")),
            item.get("pendingNonce").s(), Instant.ofEpochSecond(Long.parseLong(item.get("pendingExpiresAt").n()))))
        : Optional.empty();
    return new Profile(subscriberId, item.get("email").s(),
        Status.valueOf(item.get("status").s().toUpperCase(Locale.ROOT)),
        strings(item.get("categories")), strings(item.get("cities")), pending);
  }

  private String newNonce() {
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
  }

  private static Map<String, AttributeValue> profileKey(String subscriberId) {
    return Map.of("pk", text(pk(subscriberId)), "sk", text("profile"));
  }

  private static String pk(String subscriberId) {
    return "subscriber#" + subscriberId;
  }

  private static List<String> strings(AttributeValue value) {
    return value == null || !value.hasL() ? List.of() : value.l().stream().map(AttributeValue::s).toList();
  }

  private static AttributeValue list(List<String> values) {
    return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
  }

  private static AttributeValue text(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue number(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
