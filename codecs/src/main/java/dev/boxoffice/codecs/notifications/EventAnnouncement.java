package dev.boxoffice.codecs.notifications;

import java.util.Objects;

/**
 * A newly published event a subscriber asked to hear about: {@link #eventUrl()} is its page, {@link #unsubscribeUrl()}
 * the signed one-click link that ends the subscription (the mailer puts it in {@code List-Unsubscribe} too). The
 * announcement workflow publishes one per matching subscriber, with the id
 * {@code announcement:<eventId>:<subscriberId>}.
 */
public record EventAnnouncement(String id, String to, String language, EventDetails event, String category,
                                String eventUrl, String unsubscribeUrl) implements Notification {

  public static final String TYPE = "event-announcement";

  public EventAnnouncement {
    id = Checks.id(id);
    to = Checks.recipient(to);
    language = Checks.language(language);
    Objects.requireNonNull(event, "event");
    category = Checks.text(category, "category", 200);
    eventUrl = Checks.url(eventUrl, "eventUrl");
    unsubscribeUrl = Checks.url(unsubscribeUrl, "unsubscribeUrl");
  }

  @Override
  public String type() {
    return TYPE;
  }
}
