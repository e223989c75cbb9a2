package dev.boxoffice.backend.model;

/** One page of an event's check-in conflicts, in scan order, with how many there are in all. */
public record CheckInConflicts(long count, Page<CheckInConflict> page) {
}
