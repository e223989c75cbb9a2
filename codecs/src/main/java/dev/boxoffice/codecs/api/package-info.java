/**
 * The JSON bodies the Lambda handlers accept and answer, shared with the backend and the state machines that call
 * them. Field names are the JSON names; {@code null} fields are left out of answers.
 */
package dev.boxoffice.codecs.api;
