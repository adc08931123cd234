package io.mhaserverless.core.probe;

/** Where the probe's steps go: stdout as JSON on Lambda, the terminal for {@code mha manager}, a list in tests. */
@FunctionalInterface
public interface ProbeLog {

    void step(ProbeStep step);

    ProbeLog NONE = step -> { };
}
