package dev.boxoffice.local.aws.cloudformation;

/** A template the local stack cannot read or resolve; the message names the resource or function at fault. */
public class TemplateException extends RuntimeException {

  public TemplateException(String message) {
    super(message);
  }

  public TemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
