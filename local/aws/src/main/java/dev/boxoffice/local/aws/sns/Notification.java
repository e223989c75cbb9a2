package dev.boxoffice.local.aws.sns;

import java.time.Instant;
import java.util.Map;

/** One published message on its way to a subscription, with the body chosen for that subscription's protocol. */
record Notification(String messageId, String topicArn, String subject, String message,
    Map<String, MessageAttribute> attributes, Instant timestamp) {
}
