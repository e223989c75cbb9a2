package dev.boxoffice.codecs.api;

/** 201 answer of POST /create-event: the S3 keys of the re-encoded image and its thumbnail. */
public record EventImageStored(String imageKey, String thumbnailKey) {
}
