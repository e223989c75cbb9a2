package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.boxoffice.codecs.api.AnnouncementBatch;
import dev.boxoffice.codecs.api.AnnouncementCursor;
import dev.boxoffice.codecs.api.AnnouncementProgress;
import dev.boxoffice.codecs.notifications.EventAnnouncement;
import dev.boxoffice.codecs.notifications.EventDetails;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * announce-event, not routed: one batch of an event's announcement, invoked in a loop by the event-announcement state
 * machine. Reads the next page of at most {@value #PAGE_SIZE} confirmed subscribers of the event's category and city
 * (the interest keys {@code category#city}, {@code category#*} and {@code *#city} of the subscribers table's index, in
 * turn), publishes one event-announcement notification per subscriber to the notification topic (ten per
 * PublishBatch), each with its signed one-click unsubscribe link, and answers {@code {published, cursor}}; the state
 * machine calls again with the cursor until none is left. 100,000 subscribers take 200 batches, not 100,000 state
 * transitions. Each notification's id is {@code announcement:<eventId>:<subscriberId>}, so a retried batch mails
 * nobody twice. Input that can never succeed fails with {@link InvalidInputException}.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_SUBSCRIBERS_TABLE}; {@code BOXOFFICE_NOTIFICATION_TOPIC_ARN};
 * {@code BOXOFFICE_KEYS_SECRET_ID} (the secret holding the link key, read at run time: {@link KeysSecret});
 * {@code BOXOFFICE_SITE_URL}; {@code BOXOFFICE_API_URL} (the REST API's stage URL, where one-click unsubscribes are
 * POSTed); optional {@code BOXOFFICE_SECRETS_TTL_SECONDS}, {@code BOXOFFICE_DYNAMODB_ENDPOINT},
 * {@code BOXOFFICE_SNS_ENDPOINT}, {@code BOXOFFICE_SECRETSMANAGER_ENDPOINT}.
 */
public final class AnnounceEventHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  public static final String API_URL = "BOXOFFICE_API_URL";
  /** Subscribers per batch: 50 PublishBatch calls, well within one invocation's time. */
  static final int PAGE_SIZE = 500;

  private final Subscribers subscribers;
  private final NotificationTopic topic;
  private final SubscriptionLinks links;
  private final SiteLinks site;
  private final String apiUrl;
  private final Clock clock;

  public AnnounceEventHandler() {
    this(System.getenv());
  }

  public AnnounceEventHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment), Clock.systemUTC());
  }

  AnnounceEventHandler(HandlerEnvironment environment, Clock clock) {
    this.subscribers = new Subscribers(AwsClients.dynamoDb(environment), environment.required(Subscribers.TABLE));
    this.topic = new NotificationTopic(AwsClients.sns(environment), environment.required(NotificationTopic.TOPIC_ARN));
    this.links = new SubscriptionLinks(new KeysSecret(environment, clock));
    this.site = new SiteLinks(environment);
    this.apiUrl = environment.required(API_URL).replaceAll("/+$", "");
    this.clock = clock;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
    Log.invocation(context);
    AnnouncementBatch batch = StateMachineInput.read(input, AnnouncementBatch.class);
    EventDetails event;
    try {
      event = new EventDetails(batch.eventId(), batch.title(), null, batch.city(), batch.startsAt(), null,
          batch.timeZone());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidInputException("the event is incomplete: " + e.getMessage());
    }
    if (batch.category() == null || batch.category().isBlank()) {
      throw new InvalidInputException("category is required");
    }
    List<String> interests = interestKeys(batch.category(), batch.city());
    AnnouncementCursor cursor = batch.cursor() == null ? new AnnouncementCursor(0, Map.of()) : batch.cursor();
    if (cursor.interest() < 0 || cursor.interest() >= interests.size()) {
      throw new InvalidInputException("cursor.interest must be within 0.." + (interests.size() - 1));
    }
    Subscribers.Page page = subscribers.matching(interests.get(cursor.interest()), cursor.after(), PAGE_SIZE);
    Instant unsubscribeExpiry = clock.instant().plus(SubscriptionLinks.UNSUBSCRIBE_LIFETIME);
    List<EventAnnouncement> announcements = new ArrayList<>();
    for (Subscribers.Recipient recipient : page.recipients()) {
      String token = links.token(SubscriptionLinks.Purpose.UNSUBSCRIBE, recipient.subscriberId(), "all",
          unsubscribeExpiry);
      announcements.add(new EventAnnouncement("announcement:" + event.eventId() + ":" + recipient.subscriberId(),
          recipient.email(), null, event, batch.category(), site.event(event.eventId()), site.unsubscribePage(token),
          apiUrl + "/unsubscribe?token=" + SiteLinks.encode(token)));
    }
    topic.publishAll(announcements);
    return StateMachineInput.asMap(new AnnouncementProgress(announcements.size(), next(cursor, page, interests)));
  }

  private static AnnouncementCursor next(AnnouncementCursor cursor, Subscribers.Page page, List<String> interests) {
    if (!page.next().isEmpty()) {
      return new AnnouncementCursor(cursor.interest(), page.next());
    }
    return cursor.interest() + 1 < interests.size() ? new AnnouncementCursor(cursor.interest() + 1, Map.of()) : null;
  }

  /** The three interest keys whose subscribers hear of an event of {@code category} in {@code city}. */
  static List<String> interestKeys(String category, String city) {
    String normalizedCategory = category.trim().toLowerCase(Locale.ROOT);
    String normalizedCity = city.trim().toLowerCase(Locale.ROOT);
    return List.of(normalizedCategory + "#" + normalizedCity, normalizedCategory + "#" + Subscribers.ANY,
        Subscribers.ANY + "#" + normalizedCity);
  }
}
