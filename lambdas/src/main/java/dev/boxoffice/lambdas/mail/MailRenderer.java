package dev.boxoffice.lambdas.mail;

import dev.boxoffice.codecs.notifications.EventAnnouncement;
import dev.boxoffice.codecs.notifications.EventDetails;
import dev.boxoffice.codecs.notifications.HoldExpired;
import dev.boxoffice.codecs.notifications.IssuedTicket;
import dev.boxoffice.codecs.notifications.Notification;
import dev.boxoffice.codecs.notifications.OrderCancelled;
import dev.boxoffice.codecs.notifications.PaymentDeclined;
import dev.boxoffice.codecs.notifications.PaymentRefunded;
import dev.boxoffice.codecs.notifications.SignInCode;
import dev.boxoffice.codecs.notifications.SubscriptionConfirmation;
import dev.boxoffice.codecs.notifications.TicketsReady;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a notification into the email its recipient reads, in their language: a subject that fits, the same content
 * as text and as HTML (every value that came from an organizer or a buyer escaped), the ticket email's QR codes as
 * inline images and its calendar entry as an attachment.
 */
public final class MailRenderer {

  private static final ZoneId UTC = ZoneId.of("UTC");

  private final MailLayout layout = new MailLayout();
  private final Function<IssuedTicket, byte[]> qrCodes;
  private final String siteUrl;
  private final String myTicketsUrl;
  private final Clock clock;

  /**
   * @param qrCodes the PNG of a ticket's QR code (the media bucket's object at its key)
   * @param siteUrl the site's origin, under which emails link a buyer's tickets, an event's page and a hold's page
   */
  public MailRenderer(Function<IssuedTicket, byte[]> qrCodes, String siteUrl, Clock clock) {
    this.qrCodes = qrCodes;
    this.siteUrl = siteUrl.replaceAll("/+$", "");
    this.myTicketsUrl = this.siteUrl + "/my/tickets";
    this.clock = clock;
  }

  public RenderedMail render(Notification notification) {
    MailCatalogue texts = MailCatalogue.of(notification.language());
    return switch (notification) {
      case SignInCode code -> signIn(code, texts);
      case SubscriptionConfirmation confirmation -> confirmation(confirmation, texts);
      case TicketsReady tickets -> tickets(tickets, texts);
      case EventAnnouncement announcement -> announcement(announcement, texts);
      case OrderCancelled cancelled -> cancelled(cancelled, texts);
      case HoldExpired expired -> holdExpired(expired, texts);
      case PaymentDeclined declined -> declined(declined, texts);
      case PaymentRefunded refunded -> refunded(refunded, texts);
    };
  }

  private RenderedMail signIn(SignInCode code, MailCatalogue texts) {
    MailLayout.Body body = layout.body()
        .paragraph(texts.text("signIn.body", code.code()))
        .paragraph(texts.text("signIn.validity", Math.max(1,
            (Duration.between(clock.instant(), code.expiresAt()).toSeconds() + 59) / 60)));
    return mail(texts.text("signIn.subject"), body, texts, List.of(), List.of(), Optional.empty());
  }

  private RenderedMail confirmation(SubscriptionConfirmation confirmation, MailCatalogue texts) {
    String any = texts.text("confirm.any");
    MailLayout.Body body = layout.body()
        .paragraph(texts.text("confirm.intro"))
        .paragraph(texts.text("confirm.categories", listOrAny(confirmation.categories(), any)))
        .paragraph(texts.text("confirm.cities", listOrAny(confirmation.cities(), any)))
        .action(texts.text("confirm.action"), confirmation.confirmUrl())
        .paragraph(texts.text("confirm.expiry", texts.dateTime(confirmation.expiresAt(), UTC)));
    return mail(texts.text("confirm.subject"), body, texts, List.of(), List.of(), Optional.empty());
  }

  private RenderedMail tickets(TicketsReady ready, MailCatalogue texts) {
    EventDetails event = ready.event();
    int count = ready.tickets().size();
    MailLayout.Body body = layout.body()
        .paragraph(texts.text("tickets.intro", count, Subjects.oneLine(event.title())))
        .paragraph(texts.text("tickets.when", texts.dateTime(event.startsAt(), event.zone())))
        .paragraph(texts.text("tickets.where", place(event)))
        .paragraph(texts.text("tickets.order", ready.orderId()));
    List<RenderedMail.Part> images = new ArrayList<>();
    for (int index = 0; index < count; index++) {
      IssuedTicket ticket = ready.tickets().get(index);
      String contentId = "qr-" + ticket.ticketId() + "@boxoffice";
      images.add(new RenderedMail.Part(contentId, "ticket-" + ticket.ticketId() + ".png", "image/png",
          qrCodes.apply(ticket)));
      body.image(texts.text("tickets.ticket", index + 1, count), contentId, ticket.ticketId().toString());
    }
    body.paragraph(texts.text("tickets.door")).action(texts.text("tickets.action"), myTicketsUrl);
    byte[] calendar = CalendarInvite.of("order-" + ready.orderId() + "@boxoffice", Subjects.oneLine(event.title()),
        place(event), event.startsAt(), event.endsAt(), texts.text("calendar.description", count, ready.orderId()),
        myTicketsUrl, clock.instant());
    return mail(Subjects.fit(texts.text("tickets.subject", "{0}"), event.title()), body, texts, images,
        List.of(new RenderedMail.Part(null, "event.ics", CalendarInvite.CONTENT_TYPE, calendar)), Optional.empty());
  }

  private RenderedMail announcement(EventAnnouncement announcement, MailCatalogue texts) {
    EventDetails event = announcement.event();
    MailLayout.Body body = layout.body()
        .paragraph(texts.text("announcement.intro", announcement.category()))
        .heading(Subjects.oneLine(event.title()))
        .paragraph(texts.text("tickets.when", texts.dateTime(event.startsAt(), event.zone())))
        .paragraph(texts.text("tickets.where", place(event)))
        .action(texts.text("announcement.action"), announcement.eventUrl())
        .footnote(texts.text("announcement.footer"), texts.text("announcement.unsubscribe"),
            announcement.unsubscribePageUrl());
    return mail(Subjects.fit(texts.text("announcement.subject", "{0}"), event.title()), body, texts, List.of(),
        List.of(), Optional.of(announcement.oneClickUnsubscribeUrl()));
  }

  private RenderedMail cancelled(OrderCancelled cancelled, MailCatalogue texts) {
    EventDetails event = cancelled.event();
    MailLayout.Body body = layout.body()
        .paragraph(texts.text("cancelled.order", cancelled.orderId(), Subjects.oneLine(event.title()),
            cancelled.ticketCount()));
    if (cancelled.eventCancelled()) {
      body.paragraph(texts.text("cancelled.event"));
    }
    // Free tickets give nothing back, and a refund of 0.00 would only puzzle the buyer.
    if (cancelled.refundMinor() > 0) {
      body.paragraph(texts.text("cancelled.refund", texts.money(cancelled.refundMinor(), cancelled.currency())));
    }
    String subject = cancelled.eventCancelled()
        ? Subjects.fit(texts.text("cancelled.eventSubject", "{0}"), event.title())
        : Subjects.fit(texts.text("cancelled.subject", "{0}"), event.title());
    return mail(subject, body, texts, List.of(), List.of(), Optional.empty());
  }

  private RenderedMail holdExpired(HoldExpired expired, MailCatalogue texts) {
    EventDetails event = expired.event();
    MailLayout.Body body = layout.body()
        .paragraph(texts.text("holdExpired.intro", expired.quantity(), Subjects.oneLine(event.title())))
        .paragraph(texts.text("holdExpired.notCharged"))
        .paragraph(texts.text("holdExpired.next"))
        .action(texts.text("holdExpired.action"), siteUrl + "/events/" + event.eventId());
    return mail(Subjects.fit(texts.text("holdExpired.subject", "{0}"), event.title()), body, texts, List.of(),
        List.of(), Optional.empty());
  }

  private RenderedMail declined(PaymentDeclined declined, MailCatalogue texts) {
    EventDetails event = declined.event();
    MailLayout.Body body = layout.body()
        .paragraph(texts.text("declined.intro", Subjects.oneLine(event.title())))
        .paragraph(texts.text("declined.reason", Subjects.oneLine(declined.reason())))
        .paragraph(texts.text("declined.next", texts.dateTime(declined.holdExpiresAt(), event.zone())))
        .action(texts.text("declined.action"), siteUrl + "/holds/" + declined.holdId())
        .paragraph(texts.text("declined.notCharged"));
    return mail(Subjects.fit(texts.text("declined.subject", "{0}"), event.title()), body, texts, List.of(),
        List.of(), Optional.empty());
  }

  private RenderedMail refunded(PaymentRefunded refunded, MailCatalogue texts) {
    EventDetails event = refunded.event();
    String amount = texts.money(refunded.amountMinor(), refunded.currency());
    MailLayout.Body body = layout.body()
        .paragraph(texts.text("refunded.intro", amount, Subjects.oneLine(event.title())))
        .paragraph(texts.text("refunded.reason." + refunded.reason(), refunded.tickets()));
    if (refunded.orderId() != null) {
      body.paragraph(texts.text("tickets.order", refunded.orderId()));
    }
    body.paragraph(texts.text("refunded.next"))
        .action(texts.text("tickets.action"), myTicketsUrl);
    return mail(Subjects.fit(texts.text("refunded.subject", amount, "{0}"), event.title()), body, texts, List.of(),
        List.of(), Optional.empty());
  }

  private RenderedMail mail(String subject, MailLayout.Body body, MailCatalogue texts, List<RenderedMail.Part> images,
      List<RenderedMail.Part> attachments, Optional<String> oneClickUnsubscribe) {
    String footer = texts.text("footer");
    return new RenderedMail(subject, body.text(footer), body.html(subject, footer), images, attachments,
        oneClickUnsubscribe);
  }

  private static String place(EventDetails event) {
    String city = Subjects.oneLine(event.city());
    return event.venue() == null || event.venue().isBlank() ? city : Subjects.oneLine(event.venue()) + ", " + city;
  }

  private static String listOrAny(List<String> values, String any) {
    return values.isEmpty() ? any : String.join(", ", values);
  }
}
