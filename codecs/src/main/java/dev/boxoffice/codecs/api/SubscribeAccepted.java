package dev.boxoffice.codecs.api;

/** 202 answer of POST /subscribe: the subscription state machine's execution now running. */
public record SubscribeAccepted(String executionArn) {
}
