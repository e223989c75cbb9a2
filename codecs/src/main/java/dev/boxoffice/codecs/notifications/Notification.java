package dev.boxoffice.codecs.notifications;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A message to one person that the mailer turns into an email: published to the notification topic by a workflow, a
 * Lambda or the backend (from its outbox), carried by SNS and SQS, read by the mailer. The JSON form (see {@link Notifications}) carries a
 * {@code type} tag.
 *
 * <p>{@link #id()} is chosen by the publisher and deterministic for what the notification says
 * ({@code tickets-ready:<orderId>}, {@code sign-in:<code id>}...): the mailer sends each id at most once however often
 * it is published, so a retried workflow step or a restarted execution never mails anyone twice.
 * {@link #language()} is the recipient's language (BCP 47, {@code en} unless the publisher knows better): the
 * mailer's message catalogue picks its texts by it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SignInCode.class, name = SignInCode.TYPE),
    @JsonSubTypes.Type(value = SubscriptionConfirmation.class, name = SubscriptionConfirmation.TYPE),
    @JsonSubTypes.Type(value = TicketsReady.class, name = TicketsReady.TYPE),
    @JsonSubTypes.Type(value = EventAnnouncement.class, name = EventAnnouncement.TYPE),
    @JsonSubTypes.Type(value = OrderCancelled.class, name = OrderCancelled.TYPE),
    @JsonSubTypes.Type(value = HoldExpired.class, name = HoldExpired.TYPE),
    @JsonSubTypes.Type(value = PaymentDeclined.class, name = PaymentDeclined.TYPE),
    @JsonSubTypes.Type(value = PaymentRefunded.class, name = PaymentRefunded.TYPE)
})
public sealed interface Notification
    permits SignInCode, SubscriptionConfirmation, TicketsReady, EventAnnouncement, OrderCancelled, HoldExpired,
    PaymentDeclined, PaymentRefunded {

  /** The language of a notification whose publisher knows none. */
  String DEFAULT_LANGUAGE = "en";

  /** At most this many characters, so an id fits a DynamoDB key and a log line comfortably. */
  int MAX_ID_LENGTH = 256;

  String id();

  /** The recipient's address, normalised. */
  String to();

  String language();

  /** The {@code type} tag of the JSON form, also published as the SNS message attribute {@code type}. */
  String type();
}
