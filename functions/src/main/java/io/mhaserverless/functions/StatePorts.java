package io.mhaserverless.functions;

import io.micronaut.context.annotation.Factory;
import io.mhaserverless.core.port.Notifier;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.functions.aws.DynamoDbStateStore;
import io.mhaserverless.functions.aws.SnsNotifier;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/** What a failover leaves behind, on AWS: locks, records and progress in DynamoDB, reports on SNS. */
@Factory
public class StatePorts {

    @Singleton
    StateStore stateStore(DynamoDbClient dynamoDb, FunctionSettings settings) {
        return new DynamoDbStateStore(dynamoDb, settings.table());
    }

    @Singleton
    Notifier notifier(SnsClient sns, FunctionSettings settings) {
        return new SnsNotifier(sns, settings.topicArn());
    }
}
