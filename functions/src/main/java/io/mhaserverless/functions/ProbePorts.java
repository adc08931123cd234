package io.mhaserverless.functions;

import io.micronaut.context.annotation.Factory;
import io.mhaserverless.core.port.SecretStore;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.functions.aws.CachingSecretStore;
import io.mhaserverless.functions.aws.ParameterStoreConfigSource;
import io.mhaserverless.functions.aws.StepFunctionsStarter;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/** The probe function's wiring: its clusters, their configs (secrets kept five minutes), the starter, the leases. */
@Factory
public class ProbePorts {

    /** Long enough to spare Secrets Manager a call a minute per cluster (docs/cost.md), short for a rotated password. */
    static final Duration SECRET_TTL = Duration.ofMinutes(5);

    @Singleton
    ProbeInvocation probeInvocation(SsmClient ssm, SfnClient sfn, SecretStore secrets, StateStore store, HostPorts hosts,
                                    FunctionSettings settings, ProbeSettings probe) {
        ParameterStoreConfigSource parameters = new ParameterStoreConfigSource(ssm, settings.configPrefix());
        SecretResolvingConfigSource configs = new SecretResolvingConfigSource(parameters,
                new CachingSecretStore(secrets, SECRET_TTL, Clock.systemUTC()));
        return new ProbeInvocation(parameters::clusters, configs::load, hosts::nodeAgent, store,
                new StepFunctionsStarter(sfn, probe.stateMachineArn()), ProbeInvocation.jsonLines(), Clock.systemUTC(),
                probe.leasePeriod());
    }
}
