package dev.boxoffice.lambdas;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How often sign-in codes may be asked for and tried, per client network, per address and overall (the arithmetic
 * behind the values is in docs/fairness.md). Budgets are spent in a fixed order, the caller's network first, so a
 * request its network may not make spends nothing of the address's or everybody's budgets: an attacker hammering one
 * address from a few networks runs out of their own budgets long before the address's, and the address's owner keeps
 * theirs. A network the address signed in from in the last {@value #KNOWN_NETWORK_DAYS} days is exempt from the
 * address's overall budget and the global one, so neither a botnet spending them nor a flood of strangers locks a
 * returning user out.
 */
final class SignInLimits {

  static final String CODES_PER_MINUTE = "BOXOFFICE_SIGN_IN_CODES_PER_MINUTE";
  static final int DEFAULT_CODES_PER_MINUTE = 600;
  static final int KNOWN_NETWORK_DAYS = 90;

  static final RateLimits.Budget CODES_PER_NETWORK = new RateLimits.Budget("send-net", 20, Duration.ofDays(1),
      Duration.ofMinutes(1), Duration.ofHours(1));
  /** Small, so that one network spends at most half of an address's own budget in a day. */
  static final RateLimits.Budget CODES_PER_ADDRESS_AND_NETWORK = new RateLimits.Budget("send-addr-net", 3,
      Duration.ofDays(1), Duration.ofMinutes(15), Duration.ofHours(8));
  static final RateLimits.Budget CODES_PER_ADDRESS = new RateLimits.Budget("send-addr", 20, Duration.ofDays(1),
      Duration.ofHours(1), Duration.ofHours(8));
  static final RateLimits.Budget ATTEMPTS_PER_NETWORK = new RateLimits.Budget("verify-net", 30, Duration.ofDays(1),
      Duration.ofMinutes(1), Duration.ofHours(1));

  /** Which limit refused a request, and when the caller may try again. */
  record Refusal(Limit limit, Duration retryAfter) {
  }

  enum Limit { NETWORK, ADDRESS, EVERYONE }

  private final RateLimits limits;
  private final OneTimePasswords passwords;
  private final RateLimits.Budget codesOverall;

  SignInLimits(RateLimits limits, OneTimePasswords passwords, int codesPerMinute) {
    this.limits = limits;
    this.passwords = passwords;
    this.codesOverall = new RateLimits.Budget("send-all", codesPerMinute, Duration.ofMinutes(1), null, null);
  }

  /** Spends the budgets of one code sent to {@code email} from {@code network}, or says which refused it. */
  Optional<Refusal> spendCode(String email, String network, Instant now) {
    String networkKey = passwords.hash("network", network);
    String emailKey = passwords.emailHash(email);
    boolean known = limits.remembers(knownKey(emailKey, networkKey), now);
    Optional<Refusal> refusal = spend(CODES_PER_NETWORK, networkKey, Limit.NETWORK, now)
        .or(() -> spend(CODES_PER_ADDRESS_AND_NETWORK, emailKey + "#" + networkKey, Limit.ADDRESS, now));
    if (refusal.isPresent() || known) {
      return refusal;
    }
    return spend(codesOverall, "all", Limit.EVERYONE, now)
        .or(() -> spend(CODES_PER_ADDRESS, emailKey, Limit.ADDRESS, now));
  }

  /** Spends one attempt of {@code network} at a code, or says when it may try again. */
  Optional<Refusal> spendAttempt(String network, Instant now) {
    return spend(ATTEMPTS_PER_NETWORK, passwords.hash("network", network), Limit.NETWORK, now);
  }

  /** Remembers that {@code email} signed in from {@code network}: later codes from there skip the shared budgets. */
  void rememberSignIn(String email, String network, Instant now) {
    limits.remember(knownKey(passwords.emailHash(email), passwords.hash("network", network)), now,
        Duration.ofDays(KNOWN_NETWORK_DAYS));
  }

  private Optional<Refusal> spend(RateLimits.Budget budget, String caller, Limit limit, Instant now) {
    return limits.spend(budget, caller, now).map(wait -> new Refusal(limit, wait));
  }

  private static String knownKey(String emailKey, String networkKey) {
    return "known#" + emailKey + "#" + networkKey;
  }
}
