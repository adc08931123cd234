package io.mhaserverless.core.workflow;

/**
 * The execution's input is wrong (a missing or mistyped field). Thrown by the first state before
 * anything is locked or touched; the message names the field. Its class name is the error name
 * statemachine/asl.json catches.
 */
public final class InputRejected extends RuntimeException {

    public InputRejected(String message) {
        super(message);
    }
}
