package dev.boxoffice.local.aws.testhandlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;

/** Test-only Lambda handler for SNS deliveries: answers with the subject, message and one attribute it received. */
public class SnsMessageHandler implements RequestHandler<SNSEvent, String> {

  @Override
  public String handleRequest(SNSEvent event, Context context) {
    SNSEvent.SNS sns = event.getRecords().getFirst().getSNS();
    return sns.getSubject() + "|" + sns.getMessage() + "|" + sns.getMessageAttributes().get("kind").getValue()
        + "|" + sns.getTimestamp().getYear();
  }
}
