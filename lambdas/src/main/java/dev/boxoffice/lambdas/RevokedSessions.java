package dev.boxoffice.lambdas;

import dev.boxoffice.codecs.session.SessionRevocations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * A person's revoked sessions as the backend wrote them to the revoked-sessions table
 * ({@code BOXOFFICE_REVOKED_SESSIONS_TABLE}), one Query per person, kept {@link #CACHE_TIME} per container: a
 * sign-out holds in every function within that time of reaching the table (the arithmetic is in
 * docs/architecture.md, "Signing out").
 */
final class RevokedSessions {

  static final String TABLE = "BOXOFFICE_REVOKED_SESSIONS_TABLE";
  /** Half the 60 s a sign-out may take everywhere, leaving the other half to the backend's write. */
  static final Duration CACHE_TIME = Duration.ofSeconds(30);
  /** Bounds a container's memory; when full it starts over rather than tracking recency. */
  private static final int MAX_CACHED_PEOPLE = 10_000;

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  RevokedSessions(DynamoDbClient dynamoDb, String table, Clock clock) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.clock = clock;
  }

  /** {@code email}'s revocations, read at most {@link #CACHE_TIME} ago; an SDK exception when the table is away. */
  SessionRevocations of(String email) {
    Instant now = clock.instant();
    String subjectKey = SessionRevocations.subjectKey(email);
    Cached cached = cache.get(subjectKey);
    if (cached != null && now.isBefore(cached.readAt().plus(CACHE_TIME))) {
      return cached.revocations();
    }
    SessionRevocations revocations = query(subjectKey, now);
    if (cache.size() >= MAX_CACHED_PEOPLE) {
      cache.clear();
    }
    cache.put(subjectKey, new Cached(revocations, now));
    return revocations;
  }

  private SessionRevocations query(String subjectKey, Instant now) {
    QueryRequest request = QueryRequest.builder()
        .tableName(table)
        .keyConditionExpression("#subject = :subject")
        .expressionAttributeNames(Map.of("#subject", SessionRevocations.SUBJECT_KEY))
        .expressionAttributeValues(Map.of(":subject", AttributeValue.fromS(subjectKey)))
        .build();
    Optional<Instant> everywhereAt = Optional.empty();
    Set<String> signedOut = new HashSet<>();
    for (Map<String, AttributeValue> item : dynamoDb.queryPaginator(request).items()) {
      // TTL deletes late (within days): an expired item is one no valid token can match any more.
      if (epochSeconds(item, SessionRevocations.EXPIRES_AT).map(now::isAfter).orElse(false)) {
        continue;
      }
      String revocation = item.get(SessionRevocations.REVOCATION).s();
      if (revocation.startsWith(SessionRevocations.SESSION_PREFIX)) {
        signedOut.add(revocation.substring(SessionRevocations.SESSION_PREFIX.length()));
      } else if (revocation.startsWith(SessionRevocations.EVERYWHERE_PREFIX)) {
        Optional<Instant> at = epochSeconds(item, SessionRevocations.REVOKED_AT);
        if (at.isPresent() && (everywhereAt.isEmpty() || at.get().isAfter(everywhereAt.get()))) {
          everywhereAt = at;
        }
      }
    }
    return new SessionRevocations(everywhereAt, signedOut);
  }

  private static Optional<Instant> epochSeconds(Map<String, AttributeValue> item, String attribute) {
    AttributeValue value = item.get(attribute);
    return value == null || value.n() == null ? Optional.empty()
        : Optional.of(Instant.ofEpochSecond(Long.parseLong(value.n())));
  }

  private record Cached(SessionRevocations revocations, Instant readAt) {
  }
}
