package dev.boxoffice.backend.db;

import dev.boxoffice.backend.config.Config;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The login user the backend serves as when migrations run as the schema's owner: created if missing, given the
 * password of its secret (so a rotated secret applies at the next start) and kept a member of {@code boxoffice_app},
 * which may change data and not the schema (migration V15). The password is sent as a SCRAM-SHA-256 verifier, never in
 * clear: no statement log or {@code pg_stat_activity} shows it. Blocking JDBC, run before Vert.x starts.
 */
public final class ApplicationUser {

  static final String ROLE = "boxoffice_app";
  /** PostgreSQL's own default for the verifiers it computes. */
  private static final int ITERATIONS = 4096;

  private ApplicationUser() {
  }

  /** Creates or updates {@code database.user()} as the migrator of {@code database}. */
  public static void ensure(Config.Database database) {
    Config.Credentials owner = database.migrator().orElseThrow();
    String user = database.user();
    if (!user.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a plain role name: " + user);
    }
    String verifier = scramVerifier(database.password());
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), owner.user(), owner.password());
         Statement statement = connection.createStatement()) {
      statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + user + "') THEN"
          + " CREATE ROLE " + user + " LOGIN; END IF; END $$");
      statement.execute("ALTER ROLE " + user + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT"
          + " NOREPLICATION PASSWORD '" + verifier + "'");
      statement.execute("GRANT " + ROLE + " TO " + user);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create or update the database user " + user + " as "
          + owner.user() + ": " + e.getMessage(), e);
    }
  }

  /** {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}, as RFC 5802 and PostgreSQL define it. */
  static String scramVerifier(String password) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    return scramVerifier(password, salt);
  }

  static String scramVerifier(String password, byte[] salt) {
    try {
      byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256)).getEncoded();
      byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
      byte[] serverKey = hmac(salted, "Server Key");
      Base64.Encoder base64 = Base64.getEncoder();
      return "SCRAM-SHA-256$" + ITERATIONS + ":" + base64.encodeToString(salt) + "$"
          + base64.encodeToString(storedKey) + ":" + base64.encodeToString(serverKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has PBKDF2WithHmacSHA256 and HmacSHA256", e);
    }
  }

  private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
  }
}
