package dev.boxoffice.codecs.api;

import java.util.List;

/** POST /log-activity: up to {@value #MAX_EVENTS} activity events at once (DynamoDB's BatchWriteItem limit). */
public record ActivityBatch(List<ActivityEvent> events) {

  public static final int MAX_EVENTS = 25;
}
