package dev.boxoffice.backend.workflows;

import dev.boxoffice.backend.config.Config;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Where the backend publishes buyer notices: the notification topic {@code topicArn} in {@code region}, at the
 * endpoint of {@code settings} if it names one, signed with {@code credentials} (the task role).
 */
public record NotificationTarget(Config.BuyerNotifications settings, String topicArn, String region,
                                 AwsCredentialsProvider credentials) {
}
