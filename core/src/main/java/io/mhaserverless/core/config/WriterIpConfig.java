package io.mhaserverless.core.config;

import java.util.Optional;

/** How clients find the writer: an ENI secondary private IP on AWS, a local forwarder in the sandbox, or nothing. */
public record WriterIpConfig(Mode mode, Optional<String> address) {

    public enum Mode { NONE, ENI, LOCAL }

    public static WriterIpConfig none() {
        return new WriterIpConfig(Mode.NONE, Optional.empty());
    }
}
