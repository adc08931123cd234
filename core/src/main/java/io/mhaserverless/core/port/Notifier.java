package io.mhaserverless.core.port;

/**
 * Where failover reports go (AWS: one SNS publish per outcome, MessageStructure json with a text
 * body for email and the JSON body for chat and webhooks; locally: the console and a file).
 */
public interface Notifier {

    /** @param subject at most 99 characters of ASCII (SNS's limit: "less than 100") */
    void publish(String subject, String text, String json);
}
