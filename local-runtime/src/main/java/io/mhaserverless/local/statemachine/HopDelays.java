package io.mhaserverless.local.statemachine;

/**
 * Time the service would spend between the interpreter's steps, for a benchmark that models AWS
 * (the figures live with the benchmark, never here). {@link #NONE}, the default, adds nothing.
 */
public interface HopDelays {

    HopDelays NONE = new HopDelays() {
    };

    /** Before a state is entered: Step Functions' state transition. */
    default void beforeState(String state) throws InterruptedException {
    }

    /** Before a Task's resource is called (on the task's thread, so its TimeoutSeconds counts it): e.g. a Lambda invoke. */
    default void beforeTask(String state, String resource) throws InterruptedException {
    }
}
