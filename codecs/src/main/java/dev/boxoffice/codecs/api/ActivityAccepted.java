package dev.boxoffice.codecs.api;

/** 202 answer of POST /log-activity: how many events were stored. */
public record ActivityAccepted(int accepted) {
}
