package io.mhaserverless.local.crash;

/**
 * The controller's death, in-process: an Error, so that no {@code catch (Exception)} of the engine
 * mistakes it for a failure it could handle. Once thrown, every later act of the same controller is
 * refused with it too, as a SIGKILLed process does nothing more.
 */
public final class ControllerKill extends Error {
    public ControllerKill(String message) {
        super(message, null, false, false);
    }
}
