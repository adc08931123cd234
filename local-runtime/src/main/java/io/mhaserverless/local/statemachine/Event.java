package io.mhaserverless.local.statemachine;

/**
 * One entry of an execution's history, as the console lists it and aws-local-stepfunctions emits it:
 * {@code ExecutionStarted}, {@code StateEntered}, {@code StateFailed}, {@code StateRetried},
 * {@code StateCaught}, {@code StateExited}, {@code MapIterationStarted} / {@code Succeeded} /
 * {@code Failed}, {@code ExecutionSucceeded} / {@code Failed} / {@code Timeout}.
 *
 * @param state  the state's name (null for execution events)
 * @param parent the Map state an iteration's event belongs to (null at the top level)
 * @param index  the Map iteration's index (null at the top level)
 */
public record Event(String type, long timestamp, String state, String parent, Integer index, String error, String cause) {
}
