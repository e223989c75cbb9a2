package dev.boxoffice.codecs.notifications;

import java.util.Objects;

/**
 * A newly published event a subscriber asked to hear about: {@link #eventUrl()} is its page,
 * {@link #unsubscribePageUrl()} the site's page that ends the subscription with one button (the email's footer links
 * there) and {@link #oneClickUnsubscribeUrl()} the signed URL a mail provider POSTs to end it in one click (RFC 8058:
 * the mailer puts it in {@code List-Unsubscribe}). The announcement workflow publishes one per matching subscriber,
 * with the id {@code announcement:<eventId>:<subscriberId>}.
 */
public record EventAnnouncement(String id, String to, String language, EventDetails event, String category,
                                String eventUrl, String unsubscribePageUrl, String oneClickUnsubscribeUrl)
    implements Notification {

  public static final String TYPE = "event-announcement";

  public EventAnnouncement {
    id = Checks.id(id);
    to = Checks.recipient(to);
    language = Checks.language(language);
    Objects.requireNonNull(event, "event");
    category = Checks.text(category, "category", 200);
    eventUrl = Checks.url(eventUrl, "eventUrl");
    unsubscribePageUrl = Checks.url(unsubscribePageUrl, "unsubscribePageUrl");
    oneClickUnsubscribeUrl = Checks.url(oneClickUnsubscribeUrl, "oneClickUnsubscribeUrl");
  }

  @Override
  public String type() {
    return TYPE;
  }
}
