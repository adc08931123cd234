package io.mhaserverless.functions;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The probe function's own settings, from the environment the CDK stack sets (whole numbers: the
 * function's context converts no durations). Asked for only by the probe, so the phase function
 * never needs them.
 *
 * @param stateMachineArn MHA_STATE_MACHINE_ARN: the failover state machine the probe starts
 * @param probeWatchMillis  MHA_PROBE_WATCH_MILLIS: how long one invocation watches (a minute and a little more)
 * @param probeLeaseSeconds MHA_PROBE_LEASE_SECONDS: how long a crashed invocation's clusters stay unwatched at most
 */
@ConfigurationProperties("mha")
public record ProbeSettings(@Nullable String stateMachineArn,
                            @Bindable(defaultValue = "60500") long probeWatchMillis,
                            @Bindable(defaultValue = "30") long probeLeaseSeconds) {

    public ProbeSettings {
        if (stateMachineArn == null || stateMachineArn.isBlank()) {
            throw new ConfigurationException("environment variable MHA_STATE_MACHINE_ARN is not set: the probe starts that state machine");
        }
        if (probeWatchMillis < 1000 || probeWatchMillis > 14 * 60_000) {
            throw new ConfigurationException("environment variable MHA_PROBE_WATCH_MILLIS: expected 1000 to 840000 (under Lambda's"
                    + " 15 minutes), got " + probeWatchMillis);
        }
        if (probeLeaseSeconds < 3) {
            throw new ConfigurationException("environment variable MHA_PROBE_LEASE_SECONDS: expected at least 3, got " + probeLeaseSeconds);
        }
    }

    public Duration watch() {
        return Duration.ofMillis(probeWatchMillis);
    }

    public Duration leasePeriod() {
        return Duration.ofSeconds(probeLeaseSeconds);
    }
}
