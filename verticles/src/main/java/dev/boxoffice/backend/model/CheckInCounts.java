package dev.boxoffice.backend.model;

/** An event's tickets that admit or admitted ({@code issued}, cancelled ones left out) and those already in. */
public record CheckInCounts(long issued, long checkedIn) {
}
