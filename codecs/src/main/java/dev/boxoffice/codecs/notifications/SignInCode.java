package dev.boxoffice.codecs.notifications;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/** A one-time sign-in code for {@link #to()}, valid until {@link #expiresAt()}; /send-otp publishes it. */
public record SignInCode(String id, String to, String language, String code, Instant expiresAt)
    implements Notification {

  public static final String TYPE = "sign-in-code";

  private static final Pattern CODE = Pattern.compile("[0-9]{6}");

  public SignInCode {
    id = Checks.id(id);
    to = Checks.recipient(to);
    language = Checks.language(language);
    if (code == null || !CODE.matcher(code).matches()) {
      throw new IllegalArgumentException("code must be six digits");
    }
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** The notification of a new code, whose id is {@code codeId}: one per code sent. */
  public static SignInCode of(String codeId, String to, String code, Instant expiresAt) {
    return new SignInCode("sign-in:" + codeId, to, null, code, expiresAt);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
