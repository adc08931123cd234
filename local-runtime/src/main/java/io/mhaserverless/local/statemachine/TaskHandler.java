package io.mhaserverless.local.statemachine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Answers a Task state as its service integration would on AWS: the resource's result, or a
 * {@link StatesError} whose name Retry and Catch match.
 */
@FunctionalInterface
public interface TaskHandler {

    /**
     * @param state    the Task state's name
     * @param resource its Resource, e.g. {@code arn:aws:states:::lambda:invoke}
     * @param input    its input after InputPath and Parameters
     */
    JsonNode handle(String state, String resource, JsonNode input) throws StatesError;
}
