package dev.boxoffice.codecs.notifications;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Asks {@link #to()} to confirm announcements of {@link #categories()} in {@link #cities()} (an empty list: any) by
 * opening {@link #confirmUrl()}, a signed link valid until {@link #expiresAt()}. The subscription workflow publishes
 * it; its id names the pending request, so asking again for the same preferences mails nobody twice.
 */
public record SubscriptionConfirmation(String id, String to, String language, String confirmUrl,
                                       List<String> categories, List<String> cities, Instant expiresAt)
    implements Notification {

  public static final String TYPE = "subscription-confirmation";

  public SubscriptionConfirmation {
    id = Checks.id(id);
    to = Checks.recipient(to);
    language = Checks.language(language);
    confirmUrl = Checks.url(confirmUrl, "confirmUrl");
    categories = Checks.list(categories, "categories");
    cities = Checks.list(cities, "cities");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  @Override
  public String type() {
    return TYPE;
  }
}
